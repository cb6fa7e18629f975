// AudioPlayback following a Transport over a timeline of real clips with sound. The test machine
// may have no audio device, so these check what plays where (the voices), not the sound itself.

#include "gui_test_support.h"
#include "media_test_clips.h"

#include "kinora/core/project.h"
#include "kinora/ui/audio_playback.h"
#include "kinora/ui/transport.h"

#include <QTemporaryDir>
#include <QTest>
#include <QUrl>

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <set>

using namespace kinora;

namespace {

class AudioPlaybackTest : public ::testing::Test {
protected:
    void SetUp() override
    {
        test::useTemporaryDataDir();
        project = std::make_unique<core::Project>();
        const QString toned = dir.filePath(QStringLiteral("toned.mp4"));
        ASSERT_TRUE(test::writeTestClip(toned, 120, QSize(64, 48), 30, true));
        const QString silent = dir.filePath(QStringLiteral("silent.mp4"));
        ASSERT_TRUE(test::writeTestClip(silent, 60, QSize(64, 48), 30, false));
        withSound = test::addProbedMedia(*project, toned);
        withoutSound = test::addProbedMedia(*project, silent);
        timeline.setRate({ 24, 1 });
        transport.setRate({ 24, 1 });
        transport.setDuration(200);
    }

    // A clip of `source` (30 fps, conformed to the 24 fps timeline: 120 source frames last 96
    // timeline frames) from source frame `in`.
    QString place(const QString& source, int64_t start, int64_t length, int track = 0, int64_t in = 0)
    {
        core::TimelineClip clip;
        clip.source = core::TimelineClip::Source::Media;
        clip.sourceId = source;
        clip.sourceFrames = project->source(source)->frames;
        clip.sourceIn = in;
        clip.sourceStep = core::conformStep({ 30, 1 }, timeline.rate());
        clip.start = start;
        clip.length = length;
        clip.track = track;
        clip.hasAudio = project->source(source)->audio;
        return timeline.add(clip);
    }

    void program()
    {
        std::map<QString, core::SourceDetails> sources;
        for (const auto& clip : timeline.clips())
            sources[clip.sourceId] = *project->source(clip.sourceId);
        audio.setProgram(timeline, sources);
    }

    QTemporaryDir dir;
    std::unique_ptr<core::Project> project;
    QString withSound;
    QString withoutSound;
    core::Timeline timeline;
    ui::Transport transport;
    ui::AudioPlayback audio { &transport };
};

} // namespace

TEST_F(AudioPlaybackTest, PlayingOverAClipWithSoundMakesOneVoiceAtItsSourceTime)
{
    const QString clip = place(withSound, 0, 40, 0, 6);
    program();
    EXPECT_TRUE(audio.voices().empty()); // stopped: silent
    transport.setPlayhead(10);
    transport.play();
    const auto voices = audio.voices();
    ASSERT_EQ(voices.size(), 1u);
    EXPECT_EQ(voices[0].clipId, clip);
    EXPECT_EQ(voices[0].sourceId, withSound);
    // 10 timeline frames at 24 fps = 0.4167 s into the clip = 12 frames of the 30 fps source,
    // after its in-point 6: source frame 18, at 18 / 30 s.
    EXPECT_EQ(voices[0].expectedMs, 600);
    EXPECT_EQ(voices[0].positionSetMs, 600);
}

TEST_F(AudioPlaybackTest, PausedScrubbedOrShuttledIsSilent)
{
    place(withSound, 0, 96);
    program();
    transport.play();
    ASSERT_EQ(audio.voices().size(), 1u);
    transport.pause();
    EXPECT_TRUE(audio.voices().empty());
    transport.shuttleForward(); // L: 1x
    EXPECT_EQ(audio.voices().size(), 1u);
    transport.shuttleForward(); // L again: 2x
    EXPECT_EQ(transport.speed(), 2.0);
    EXPECT_TRUE(audio.voices().empty());
    transport.shuttleBackward(); // J: backwards
    EXPECT_TRUE(audio.voices().empty());
    transport.stop();
    transport.setPlayhead(50); // a scrub while stopped
    EXPECT_TRUE(audio.voices().empty());
}

TEST_F(AudioPlaybackTest, MovingThePlayheadWhilePlayingSetsThePosition)
{
    place(withSound, 0, 96);
    program();
    transport.play();
    ASSERT_EQ(audio.voices().size(), 1u);
    EXPECT_EQ(audio.voices()[0].positionSetMs, 0);
    transport.setPlayhead(48); // 2 s into the clip
    ASSERT_EQ(audio.voices().size(), 1u);
    EXPECT_EQ(audio.voices()[0].expectedMs, 2000);
    EXPECT_EQ(audio.voices()[0].positionSetMs, 2000);

    // Playing on by the clock, the voice follows the playhead without a seek every frame (at most
    // one drift correction where a real device plays late).
    std::vector<std::pair<int64_t, ui::AudioPlayback::Voice>> seen;
    QObject::connect(&transport, &ui::Transport::playheadChanged, &audio, [&](qint64 frame) {
        if (audio.voices().size() == 1)
            seen.emplace_back(frame, audio.voices()[0]);
    });
    ASSERT_TRUE(test::waitFor([&] { return transport.playhead() >= 60; }, 5000));
    transport.pause();
    EXPECT_TRUE(audio.voices().empty());
    ASSERT_GE(seen.size(), 3u);
    std::set<qint64> seeks;
    for (const auto& [frame, voice] : seen) {
        // Source frame floor(frame * 30 / 24), at 30 fps.
        EXPECT_EQ(voice.expectedMs, std::llround(double(frame * 30 / 24) / 30 * 1000)) << "frame " << frame;
        seeks.insert(voice.positionSetMs);
    }
    // A loaded machine may need another correction or two; a seek every frame would be one per
    // playhead change.
    EXPECT_LE(seeks.size(), std::max<size_t>(2, seen.size() / 4)) << seen.size() << " playhead changes";
    EXPECT_TRUE(seeks.count(2000));
}

TEST_F(AudioPlaybackTest, AClipWithoutSoundMakesNoVoiceAndClipsEndTheirVoice)
{
    place(withoutSound, 0, 20);
    place(withSound, 20, 20);
    program();
    transport.play();
    EXPECT_TRUE(audio.voices().empty());
    transport.setPlayhead(25);
    ASSERT_EQ(audio.voices().size(), 1u);
    EXPECT_EQ(audio.voices()[0].sourceId, withSound);
    EXPECT_EQ(audio.voices()[0].expectedMs, 200); // 5 frames at 24 fps into it: source frame 6
    transport.setPlayhead(45); // past every clip
    EXPECT_TRUE(audio.voices().empty());
}

TEST_F(AudioPlaybackTest, StackedClipsSoundTogetherUpToTheBound)
{
    for (int track = 0; track < 6; ++track)
        place(withSound, 0, 40, track, track);
    program();
    transport.play();
    const auto voices = audio.voices();
    ASSERT_EQ(voices.size(), static_cast<size_t>(ui::AudioPlayback::kMaxVoices));
    // The highest tracks sound: their in-points are 5, 4, 3, 2.
    std::vector<qint64> positions;
    for (const auto& voice : voices)
        positions.push_back(voice.expectedMs);
    std::sort(positions.begin(), positions.end());
    EXPECT_EQ(positions, (std::vector<qint64> { 67, 100, 133, 167 }));

    // A new program with the sound muted by the clip: silence.
    timeline = core::Timeline();
    timeline.setRate({ 24, 1 });
    const QString id = place(withSound, 0, 40);
    core::TimelineClip mutedClip = *timeline.clip(id);
    mutedClip.hasAudio = false;
    timeline.remove(id);
    timeline.add(mutedClip);
    program();
    EXPECT_TRUE(audio.voices().empty());
}

TEST_F(AudioPlaybackTest, PlayersAreReadyAheadAndDecodeTheSoundOnly)
{
    // The pool is made on the first turn of the event loop, not when playback starts.
    const auto players = [&] {
        QList<QObject*> found;
        for (QObject* child : audio.children())
            if (child->inherits("QMediaPlayer"))
                found.append(child);
        return found;
    };
    ASSERT_TRUE(test::waitFor([&] { return players().size() == ui::AudioPlayback::kMaxVoices; }, 5000));

    place(withSound, 0, 96);
    program();
    transport.play();
    const QUrl url = QUrl::fromLocalFile(project->source(withSound)->path);
    QObject* player = nullptr;
    for (QObject* candidate : players())
        if (candidate->property("source").toUrl() == url)
            player = candidate;
    ASSERT_NE(player, nullptr);
    // mediaStatus: LoadedMedia (2) .. BufferedMedia (5); InvalidMedia (7) where no backend reads it.
    ASSERT_TRUE(test::waitFor([&] { return player->property("mediaStatus").toInt() >= 2; }, 10000));
    if (player->property("mediaStatus").toInt() == 7)
        GTEST_SKIP() << "this machine's multimedia backend cannot read the clip";
    ASSERT_TRUE(test::waitFor([&] { return player->property("activeVideoTrack").toInt() == -1; }, 5000))
        << "the player decodes pictures the viewer already has";
    transport.pause();
    EXPECT_NE(player->property("playbackState").toInt(), 1); // not PlayingState
}
