// The timeline's undo commands on a real project and QUndoStack: each edit one step, a drag's moves
// merged into one, undo and redo exact, nothing done once the project is gone.

#include "gui_test_support.h"
#include "timeline_fixture.h"

#include "kinora/core/project.h"
#include "kinora/ui/timeline_commands.h"

#include <QUndoStack>

#include <gtest/gtest.h>

#include <memory>

using namespace kinora;
using ui::TimelineCommand;

namespace {

class TimelineCommands : public ::testing::Test {
protected:
    void SetUp() override
    {
        test::useTemporaryDataDir();
        project = std::make_unique<core::Project>();
        take = test::addFakeTake(*project, QStringLiteral("Red fox"), 48, 24);
        clip = test::addFakeMedia(*project, QStringLiteral("street"), 300, { 30, 1 }, true);
        still = test::addFakeMedia(*project, QStringLiteral("poster"), 1, { 24, 1 }, false, true);
    }

    // Pushes an add of `id` at `start` on `track`; returns the new clip's id.
    QString add(const QString& id, int64_t start, int track = 0)
    {
        auto command = TimelineCommand::add(project.get(), *project->source(id), start, track);
        EXPECT_TRUE(command);
        if (!command)
            return {};
        const QString clipId = command->newClipId();
        stack.push(command.release());
        return clipId;
    }

    std::unique_ptr<core::Project> project;
    QUndoStack stack;
    core::TakeRecord take;
    core::MediaRecord clip;
    core::MediaRecord still;
};

TEST_F(TimelineCommands, AddPlacesTheSourceAndUndoTakesItAway)
{
    const QString id = add(take.id, 10, 1);
    ASSERT_EQ(stack.count(), 1);
    EXPECT_EQ(stack.undoText(), QStringLiteral("Add “Red fox” to the timeline"));
    const core::TimelineClip* placed = project->timeline().clip(id);
    ASSERT_TRUE(placed);
    EXPECT_EQ(placed->start, 10);
    EXPECT_EQ(placed->track, 1);
    EXPECT_EQ(placed->length, 48);
    EXPECT_EQ(placed->sourceId, take.id);
    EXPECT_EQ(placed->source, core::TimelineClip::Source::Take);
    EXPECT_FALSE(placed->hasAudio);

    stack.undo();
    EXPECT_TRUE(project->timeline().isEmpty());
    stack.redo();
    EXPECT_TRUE(project->timeline().clip(id));
}

TEST_F(TimelineCommands, TheFirstClipSetsTheRateInTheSameStep)
{
    add(clip.id, 0);
    EXPECT_EQ(project->timeline().rate(), (core::Rational { 30, 1 }));
    EXPECT_EQ(project->timeline().clips().front().length, 300);
    EXPECT_TRUE(project->timeline().clips().front().hasAudio);

    // The next source is conformed by time: 48 frames at 24 fps last 2 s, 60 frames at 30 fps.
    const QString takeClip = add(take.id, 300);
    const core::TimelineClip* conformed = project->timeline().clip(takeClip);
    ASSERT_TRUE(conformed);
    EXPECT_EQ(conformed->sourceStep, (core::Rational { 4, 5 }));
    EXPECT_EQ(conformed->length, 60);
    EXPECT_EQ(project->timeline().rate(), (core::Rational { 30, 1 }));

    stack.undo();
    stack.undo();
    EXPECT_TRUE(project->timeline().isEmpty());
    EXPECT_EQ(project->timeline().rate(), (core::Rational { 24, 1 }));
}

TEST_F(TimelineCommands, AStillLastsFiveSecondsAndLeavesTheRate)
{
    const QString id = add(still.id, 0);
    EXPECT_EQ(project->timeline().rate(), (core::Rational { 24, 1 }));
    EXPECT_EQ(project->timeline().clip(id)->length, core::Timeline::kStillSeconds * 24);
    EXPECT_EQ(project->timeline().clip(id)->sourceStep, (core::Rational { 0, 1 }));
}

TEST_F(TimelineCommands, ADragOfManyMovesIsOneUndoStep)
{
    const QString id = add(take.id, 0);
    const core::Timeline origin = project->timeline();
    const int gesture = TimelineCommand::newGesture();
    for (int i = 1; i <= 200; ++i) {
        auto command = TimelineCommand::move(project.get(), origin, id, i / 2, i > 100 ? 2 : 0, gesture);
        if (command)
            stack.push(command.release());
    }
    EXPECT_EQ(stack.count(), 2);
    EXPECT_EQ(stack.undoText(), QStringLiteral("Move clip"));
    EXPECT_EQ(project->timeline().clip(id)->start, 100);
    EXPECT_EQ(project->timeline().clip(id)->track, 2);

    stack.undo();
    EXPECT_EQ(project->timeline(), origin);
    stack.redo();
    EXPECT_EQ(project->timeline().clip(id)->start, 100);
    // A later drag is a step of its own.
    stack.push(
        TimelineCommand::move(project.get(), project->timeline(), id, 5, 0, TimelineCommand::newGesture())
            .release());
    EXPECT_EQ(stack.count(), 3);
}

TEST_F(TimelineCommands, ADragThatEndsWhereItBeganLeavesNoStep)
{
    const QString id = add(take.id, 20);
    const core::Timeline origin = project->timeline();
    const int gesture = TimelineCommand::newGesture();
    for (int start : { 25, 40, 20 })
        if (auto command = TimelineCommand::move(project.get(), origin, id, start, 0, gesture))
            stack.push(command.release());
    EXPECT_EQ(project->timeline(), origin);
    EXPECT_EQ(stack.count(), 1);
    EXPECT_EQ(stack.undoText(), QStringLiteral("Add “Red fox” to the timeline"));
}

TEST_F(TimelineCommands, ADragOverAnotherClipRestoresItWhenMovedBack)
{
    const QString first = add(take.id, 0);
    const QString second = add(take.id, 100);
    const core::Timeline origin = project->timeline();
    const int gesture = TimelineCommand::newGesture();
    // Over the second clip (the overwrite rule trims it), then on past it: computed from the
    // origin, the second clip comes back whole.
    stack.push(TimelineCommand::move(project.get(), origin, first, 120, 0, gesture).release());
    EXPECT_EQ(project->timeline().clip(second)->length, 20);
    stack.push(TimelineCommand::move(project.get(), origin, first, 200, 0, gesture).release());
    EXPECT_EQ(project->timeline().clip(second)->length, 48);
    EXPECT_EQ(stack.count(), 3);
}

TEST_F(TimelineCommands, TrimSplitAndDeleteSayWhatTheyDid)
{
    const QString id = add(take.id, 0);
    stack.push(TimelineCommand::trim(project.get(), project->timeline(), id, TimelineCommand::Edge::End, 30)
                   .release());
    EXPECT_EQ(stack.undoText(), QStringLiteral("Trim clip"));
    EXPECT_EQ(project->timeline().clip(id)->length, 30);

    auto split = TimelineCommand::split(project.get(), id, 10);
    ASSERT_TRUE(split);
    const QString rest = split->newClipId();
    stack.push(split.release());
    EXPECT_EQ(stack.undoText(), QStringLiteral("Split clip"));
    EXPECT_EQ(project->timeline().clip(rest)->start, 10);
    EXPECT_EQ(project->timeline().clip(rest)->sourceIn, 10);

    stack.push(TimelineCommand::remove(project.get(), rest).release());
    EXPECT_EQ(stack.undoText(), QStringLiteral("Delete clip"));
    EXPECT_FALSE(project->timeline().clip(rest));

    // Edits that change nothing make no command.
    EXPECT_FALSE(TimelineCommand::split(project.get(), id, 0));
    EXPECT_FALSE(TimelineCommand::remove(project.get(), QStringLiteral("clip-99")));
    EXPECT_FALSE(TimelineCommand::move(project.get(), project->timeline(), id, 0, 0));

    stack.undo();
    stack.undo();
    stack.undo();
    EXPECT_EQ(project->timeline().clip(id)->length, 48);
    EXPECT_EQ(project->timeline().clips().size(), 1u);
}

TEST_F(TimelineCommands, ACommandWhoseProjectIsGoneDoesNothing)
{
    add(take.id, 0);
    project.reset();
    stack.undo(); // must not touch the deleted project
    EXPECT_EQ(stack.count(), 0);
    EXPECT_FALSE(TimelineCommand::remove(nullptr, QStringLiteral("clip-1")));
}

} // namespace
