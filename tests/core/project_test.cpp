// The project document as a user meets it through the files: save and reopen give the same
// document, Save As carries the frames along (and leaves a saved project whole), damaged or newer
// files are refused with a message and left byte for byte, and a crashed session's recovery file
// brings the takes back.

#include "kinora/core/mask_png.h"
#include "kinora/core/project.h"

#include <gtest/gtest.h>

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QImage>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QStringList>
#include <QTemporaryDir>

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <memory>

using namespace kinora::core;

namespace {

// Every test gets its own data folder: untitled projects and recovery files never mix.
class ProjectTest : public ::testing::Test {
protected:
    void SetUp() override
    {
        ASSERT_TRUE(m_data.isValid() && m_dir.isValid());
        qputenv("KINORA_DATA_DIR", QFile::encodeName(m_data.path()));
    }
    void TearDown() override { qunsetenv("KINORA_DATA_DIR"); }

    QString path(const QString& name) const { return m_dir.filePath(name); }

    QTemporaryDir m_data;
    QTemporaryDir m_dir;
};

TakeRecord makeTake(const Project& project, const QString& name, quint64 seed = 7)
{
    TakeRecord t;
    t.id = project.newTakeId();
    t.name = name;
    t.framesPattern = QStringLiteral("takes/%1/%04d.png").arg(t.id);
    t.frames = 2;
    t.width = 16;
    t.height = 16;
    t.fps = 8;
    t.request = QJsonObject { { QStringLiteral("task"), QStringLiteral("generate") },
        { QStringLiteral("prompt"), name }, { QStringLiteral("seed"), QString::number(seed) } };
    t.prompt = name;
    t.seed = seed;
    t.modelName = QStringLiteral("kinora-tiny");
    t.weightsHash = QStringLiteral("abc123");
    t.device = QStringLiteral("cpu");
    t.precision = QStringLiteral("fp32");
    t.created = QDateTime::currentDateTime();
    return t;
}

// Writes the take's first frame where a job would, and returns that file.
QString writeFrame(const Project& project, const TakeRecord& take)
{
    const QString file
        = project.takeFramesPattern(take.id).replace(QStringLiteral("%04d"), QStringLiteral("0001"));
    EXPECT_TRUE(QDir().mkpath(QFileInfo(file).absolutePath()));
    QImage image(16, 16, QImage::Format_RGB888);
    image.fill(Qt::red);
    EXPECT_TRUE(image.save(file));
    return file;
}

QString firstFrame(const Project& project, const TakeRecord& take)
{
    return project.absoluteFramesPattern(take).replace(QStringLiteral("%04d"), QStringLiteral("0001"));
}

QByteArray bytesOf(const QString& file)
{
    QFile f(file);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

void writeBytes(const QString& file, const QByteArray& bytes)
{
    QFile f(file);
    ASSERT_TRUE(f.open(QIODevice::WriteOnly));
    f.write(bytes);
}

QString openError(const QString& file)
{
    try {
        Project::open(file);
    } catch (const ProjectError& e) {
        return QString::fromStdString(e.what());
    }
    return {};
}

} // namespace

TEST_F(ProjectTest, SaveThenOpenGivesTheSameDocument)
{
    Project project;
    EXPECT_TRUE(project.isUntitled());
    EXPECT_EQ(project.displayName(), QStringLiteral("Untitled"));
    project.addTake(makeTake(project, QStringLiteral("a red fox"), (quint64(1) << 60) + 1));
    project.addTake(makeTake(project, QStringLiteral("rain on a window")));
    project.addMedia(
        { QStringLiteral("m1"), QStringLiteral("still.png"), QStringLiteral("/footage/still.png") });
    project.setPendingJobs(
        QJsonArray { QJsonObject { { QStringLiteral("prompt"), QStringLiteral("next") } } });
    EXPECT_TRUE(project.isModified());

    QSignalSpy renamed(&project, &Project::filePathChanged);
    project.save(path(QStringLiteral("film.kinora")));
    EXPECT_FALSE(project.isModified());
    EXPECT_EQ(renamed.count(), 1);
    EXPECT_EQ(project.displayName(), QStringLiteral("film"));
    EXPECT_EQ(project.mediaDir(), path(QStringLiteral("film_media")));

    const auto reopened = Project::open(path(QStringLiteral("film.kinora")));
    EXPECT_EQ(reopened->toJson(), project.toJson());
    EXPECT_FALSE(reopened->isModified());
    ASSERT_EQ(reopened->takes().size(), 2u);
    EXPECT_EQ(reopened->takes()[0].seed, (quint64(1) << 60) + 1);
    EXPECT_EQ(reopened->takes()[1].name, QStringLiteral("rain on a window"));
    EXPECT_EQ(reopened->pendingJobs().size(), 1);
    EXPECT_EQ(reopened->mediaDir(), path(QStringLiteral("film_media")));
    EXPECT_EQ(QJsonDocument::fromJson(bytesOf(path(QStringLiteral("film.kinora"))))
                  .object()
                  .value(QStringLiteral("format_version"))
                  .toInt(),
        Project::kFormatVersion);
}

TEST_F(ProjectTest, TheTimelineAndMasksComeBackAfterSaveAsAndReopen)
{
    Project project;
    Timeline timeline;
    TimelineClip clip;
    clip.sourceId = QStringLiteral("m1");
    clip.source = TimelineClip::Source::Media;
    clip.sourceFrames = 90;
    clip.length = 60;
    clip.start = 12;
    timeline.add(clip);
    QSignalSpy timelineSpy(&project, &Project::timelineChanged);
    project.setTimeline(timeline);
    project.setTimeline(timeline); // unchanged: no signal
    EXPECT_EQ(timelineSpy.count(), 1);

    QImage stroke(64, 48, QImage::Format_Grayscale8);
    stroke.fill(0);
    for (int y = 10; y < 20; ++y)
        for (int x = 5; x < 30; ++x)
            stroke.scanLine(y)[x] = 200;
    project.setMaskKey(QStringLiteral("m1"), 0, stroke);
    project.setMaskKey(QStringLiteral("m1"), 10, stroke);
    project.setMaskKey(QStringLiteral("m1"), 7, stroke);
    project.setMaskKey(QStringLiteral("m1"), 7, QImage()); // removed again
    EXPECT_TRUE(QFileInfo::exists(project.maskKeyPath(QStringLiteral("m1"), 10))); // written at once
    EXPECT_FALSE(QFileInfo::exists(project.maskKeyPath(QStringLiteral("m1"), 7)));
    EXPECT_THROW(project.setMaskKey(QStringLiteral("../up"), 1, stroke), std::invalid_argument);

    project.save(path(QStringLiteral("cut.kinora")));
    const auto reopened = Project::open(path(QStringLiteral("cut.kinora")));
    EXPECT_EQ(reopened->timeline(), timeline);
    EXPECT_EQ(reopened->maskKeyFrames(QStringLiteral("m1")), (std::vector<int64_t> { 0, 10 }));
    const MaskTrack masks = reopened->masks(QStringLiteral("m1"));
    EXPECT_EQ(masks.maskAt(10), stroke);
    EXPECT_EQ(masks.maskAt(5).constScanLine(15)[10], 255); // the in-between of two equal keys
    EXPECT_EQ(masks.maskAt(5).constScanLine(30)[10], 0);
}

// A mask with a hard disc and a soft band, as a stroke of a soft brush leaves.
QImage paintedMask(int shift = 0)
{
    QImage mask(96, 64, QImage::Format_Grayscale8);
    for (int y = 0; y < mask.height(); ++y) {
        for (int x = 0; x < mask.width(); ++x) {
            const int dx = x - 30 - shift;
            const bool disc = dx * dx + (y - 30) * (y - 30) < 200;
            mask.scanLine(y)[x] = disc ? 255 : y > 50 ? uchar(x * 2) : 0;
        }
    }
    return mask;
}

TEST(MaskPng, ComesBackExactlyAndIsCounted)
{
    const QImage mask = paintedMask();
    const int64_t encodes = maskPngEncodesOnThisThread();
    const int64_t decodes = maskPngDecodesOnThisThread();
    const QByteArray png = encodeMaskPng(mask);
    ASSERT_TRUE(png.startsWith("\x89PNG"));
    const QImage back = decodeMaskPng(png);
    EXPECT_EQ(back.format(), QImage::Format_Grayscale8);
    EXPECT_EQ(back, mask);
    // An RGB picture is stored as its grey levels.
    EXPECT_EQ(decodeMaskPng(encodeMaskPng(mask.convertToFormat(QImage::Format_RGB32))), mask);
    EXPECT_EQ(maskPngEncodesOnThisThread(), encodes + 2);
    EXPECT_EQ(maskPngDecodesOnThisThread(), decodes + 2);
    EXPECT_TRUE(encodeMaskPng(QImage()).isEmpty());
    EXPECT_TRUE(decodeMaskPng("not a png").isNull());
}

TEST_F(ProjectTest, MaskKeysAreWrittenAsABatchOfEncodedPngs)
{
    Project project;
    const QString id = QStringLiteral("m1");
    project.setMaskKey(id, 3, paintedMask());
    EXPECT_EQ(project.maskKeyPng(id, 3), encodeMaskPng(paintedMask())) << "setMaskKey uses the same encoder";
    project.setModified(false);

    QSignalSpy changed(&project, &Project::masksChanged);
    std::map<int64_t, QByteArray> batch;
    for (int frame = 10; frame < 14; ++frame)
        batch[frame] = encodeMaskPng(paintedMask(frame));
    batch[3] = QByteArray(); // removes that key
    batch[7] = QByteArray(); // not a key: nothing to do
    const int64_t encodes = maskPngEncodesOnThisThread();
    project.setMaskKeys(id, batch);
    EXPECT_EQ(maskPngEncodesOnThisThread(), encodes) << "only bytes are written";
    EXPECT_EQ(project.maskKeyFrames(id), (std::vector<int64_t> { 10, 11, 12, 13 }));
    EXPECT_FALSE(QFileInfo::exists(project.maskKeyPath(id, 3)));
    EXPECT_TRUE(project.isModified());
    ASSERT_EQ(changed.count(), 5);
    EXPECT_EQ(changed.at(0).at(1).toLongLong(), 3);
    for (int frame = 10; frame < 14; ++frame) {
        EXPECT_EQ(project.maskKeyPng(id, frame), batch[frame]) << frame;
        EXPECT_EQ(project.masks(id).keys().at(frame), paintedMask(frame)) << frame;
    }
    EXPECT_TRUE(project.maskKeyPng(id, 3).isEmpty());
    EXPECT_THROW(project.setMaskKeys(id, { { -1, batch[10] } }), std::invalid_argument);
    EXPECT_THROW(project.setMaskKeys(QStringLiteral("../up"), batch), std::invalid_argument);
}

TEST_F(ProjectTest, ABatchThatCannotBeWrittenLeavesTheKeysAsTheyWere)
{
    Project project;
    const QString id = QStringLiteral("m1");
    const QByteArray old = encodeMaskPng(paintedMask());
    project.setMaskKeys(id, { { 1, old }, { 2, old }, { 3, old } });
    // Frame 4's file cannot be written (a folder is in its way), after 1 and 3 were overwritten
    // and 2 removed.
    ASSERT_TRUE(QDir().mkpath(project.maskKeyPath(id, 4)));
    QSignalSpy changed(&project, &Project::masksChanged);
    const QByteArray fresh = encodeMaskPng(paintedMask(20));
    try {
        project.setMaskKeys(id, { { 1, fresh }, { 2, QByteArray() }, { 3, fresh }, { 4, fresh } });
        ADD_FAILURE() << "the batch was written";
    } catch (const ProjectError& error) {
        EXPECT_TRUE(QString::fromUtf8(error.what()).contains(QStringLiteral("frame 4"))) << error.what();
    }
    EXPECT_EQ(changed.count(), 0);
    EXPECT_EQ(project.maskKeyFrames(id), (std::vector<int64_t> { 1, 2, 3 }));
    for (int frame = 1; frame <= 3; ++frame)
        EXPECT_EQ(project.maskKeyPng(id, frame), old) << frame;
    EXPECT_TRUE(QFileInfo(project.maskKeyPath(id, 4)).isDir());
    // setMaskKey fails the same way and leaves the key as it was.
    EXPECT_THROW(project.setMaskKey(id, 4, paintedMask()), ProjectError);
    EXPECT_FALSE(project.isMaskKey(id, 4));
}

QByteArray fileBytes(const QString& path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

TEST_F(ProjectTest, BackgroundMaskWritesAnswerAtOnceAndLandInOrder)
{
    Project project;
    const QString id = QStringLiteral("m1");
    const QByteArray a = encodeMaskPng(paintedMask(0));
    const QByteArray b = encodeMaskPng(paintedMask(5));
    QSignalSpy changed(&project, &Project::masksChanged);
    project.setMaskKeysInBackground(id, { { 0, a }, { 1, a } });
    // The keys are there at once, whether or not the files are yet.
    EXPECT_EQ(changed.count(), 2);
    EXPECT_EQ(project.maskKeyFrames(id), (std::vector<int64_t> { 0, 1 }));
    EXPECT_EQ(project.maskKeyPng(id, 1), a);
    EXPECT_EQ(project.masks(id).keys().at(1), paintedMask(0));
    EXPECT_TRUE(project.isModified());

    project.setMaskKeysInBackground(id, { { 1, QByteArray() }, { 2, b } });
    EXPECT_EQ(project.maskKeyFrames(id), (std::vector<int64_t> { 0, 2 }));
    EXPECT_TRUE(project.maskKeyPng(id, 1).isEmpty());
    // A write made now lands after the ones queued.
    project.setMaskKey(id, 2, paintedMask(9));
    EXPECT_EQ(fileBytes(project.maskKeyPath(id, 0)), a);
    EXPECT_FALSE(QFileInfo::exists(project.maskKeyPath(id, 1)));
    EXPECT_EQ(fileBytes(project.maskKeyPath(id, 2)), encodeMaskPng(paintedMask(9)));
    EXPECT_EQ(changed.count(), 5);

    project.setMaskKeysInBackground(id, { { 7, b } });
    project.save(path(QStringLiteral("masks.kinora"))); // waits for the write, then moves the folder
    const auto reopened = Project::open(path(QStringLiteral("masks.kinora")));
    EXPECT_EQ(reopened->maskKeyFrames(id), (std::vector<int64_t> { 0, 2, 7 }));
    EXPECT_EQ(fileBytes(reopened->maskKeyPath(id, 7)), b);
}

TEST_F(ProjectTest, ABackgroundBatchThatCannotBeWrittenPutsTheKeysBack)
{
    Project project;
    const QString id = QStringLiteral("m1");
    const QByteArray old = encodeMaskPng(paintedMask());
    project.setMaskKeys(id, { { 1, old }, { 2, old } });
    ASSERT_TRUE(QDir().mkpath(project.maskKeyPath(id, 4))); // in frame 4's way
    QStringList failures;
    const QByteArray fresh = encodeMaskPng(paintedMask(20));
    project.setMaskKeysInBackground(id, { { 1, fresh }, { 2, QByteArray() }, { 3, fresh }, { 4, fresh } },
        [&failures](const QString& message) { failures << message; });
    EXPECT_EQ(project.maskKeyFrames(id), (std::vector<int64_t> { 1, 3, 4 }));
    QSignalSpy changed(&project, &Project::masksChanged);
    project.waitForMaskWrites();
    ASSERT_EQ(failures.size(), 1);
    EXPECT_TRUE(failures.front().contains(QStringLiteral("frame 4"))) << failures.front().toStdString();
    EXPECT_EQ(changed.count(), 4) << "every key of the batch went back";
    EXPECT_EQ(project.maskKeyFrames(id), (std::vector<int64_t> { 1, 2 }));
    EXPECT_EQ(fileBytes(project.maskKeyPath(id, 1)), old);
    EXPECT_EQ(fileBytes(project.maskKeyPath(id, 2)), old);
    EXPECT_EQ(project.maskKeyPng(id, 2), old);
    EXPECT_FALSE(QFileInfo::exists(project.maskKeyPath(id, 3)));
}

TEST_F(ProjectTest, AFormatOneProjectOpensWithAnEmptyTimeline)
{
    QJsonObject json = Project().toJson();
    json[QStringLiteral("format_version")] = 1;
    json.remove(QStringLiteral("timeline"));
    json.remove(QStringLiteral("masks"));
    writeBytes(path(QStringLiteral("old.kinora")), QJsonDocument(json).toJson());
    const auto project = Project::open(path(QStringLiteral("old.kinora")));
    EXPECT_TRUE(project->timeline().isEmpty());
    json[QStringLiteral("timeline")] = QStringLiteral("cut");
    writeBytes(path(QStringLiteral("bad.kinora")), QJsonDocument(json).toJson());
    EXPECT_TRUE(openError(path(QStringLiteral("bad.kinora"))).contains(QStringLiteral("timeline")));
}

TEST_F(ProjectTest, SaveAsOfAnUntitledProjectMovesItsFrames)
{
    Project project;
    const TakeRecord take = makeTake(project, QStringLiteral("fox"));
    const QString frame = writeFrame(project, take);
    project.addTake(take);
    const QString untitledMedia = project.mediaDir();
    EXPECT_TRUE(untitledMedia.startsWith(Project::untitledRoot()));

    project.save(path(QStringLiteral("fox.kinora")));
    const QString moved = path(QStringLiteral("fox_media/takes/%1/0001.png").arg(take.id));
    EXPECT_TRUE(QFileInfo::exists(moved));
    EXPECT_EQ(firstFrame(project, project.takes()[0]), moved);
    EXPECT_FALSE(QFileInfo::exists(frame));
    EXPECT_FALSE(QFileInfo::exists(QFileInfo(untitledMedia).absolutePath())) << "the untitled folder is left";
}

// Untitled media under a data folder on another file system cannot be renamed beside the file:
// they are copied, and the untitled copy goes once the project is saved.
TEST_F(ProjectTest, SaveAsAcrossFileSystemsCopiesTheFrames)
{
    QTemporaryDir other(QStringLiteral("/dev/shm/kinora-project-test-XXXXXX"));
    struct stat a {
    }, b {};
    if (!other.isValid() || ::stat(QFile::encodeName(other.path()).constData(), &a) != 0
        || ::stat(QFile::encodeName(m_dir.path()).constData(), &b) != 0 || a.st_dev == b.st_dev)
        GTEST_SKIP() << "no second file system at /dev/shm";
    qputenv("KINORA_DATA_DIR", QFile::encodeName(other.path()));

    Project project;
    const TakeRecord take = makeTake(project, QStringLiteral("fox"));
    const QString frame = writeFrame(project, take);
    project.addTake(take);
    const QByteArray bytes = bytesOf(frame);
    project.save(path(QStringLiteral("far.kinora")));
    EXPECT_EQ(bytesOf(firstFrame(project, project.takes()[0])), bytes);
    EXPECT_TRUE(firstFrame(project, project.takes()[0]).startsWith(path(QStringLiteral("far_media/"))));
    EXPECT_TRUE(QDir(Project::untitledRoot()).isEmpty(QDir::AllEntries | QDir::NoDotAndDotDot));
}

TEST_F(ProjectTest, SaveAsOfASavedProjectLeavesTheOldOneWhole)
{
    Project project;
    const TakeRecord take = makeTake(project, QStringLiteral("fox"));
    writeFrame(project, take);
    project.addTake(take);
    project.save(path(QStringLiteral("first.kinora")));
    project.save(path(QStringLiteral("second.kinora")));
    EXPECT_EQ(project.filePath(), path(QStringLiteral("second.kinora")));
    EXPECT_TRUE(QFileInfo::exists(firstFrame(project, project.takes()[0])));

    const auto old = Project::open(path(QStringLiteral("first.kinora")));
    ASSERT_EQ(old->takes().size(), 1u);
    EXPECT_EQ(firstFrame(*old, old->takes()[0]),
        path(QStringLiteral("first_media/takes/%1/0001.png").arg(take.id)));
    EXPECT_TRUE(QFileInfo::exists(firstFrame(*old, old->takes()[0])));
}

TEST_F(ProjectTest, SaveAsRefusesToMergeIntoAnotherProjectsMedia)
{
    Project project;
    const TakeRecord take = makeTake(project, QStringLiteral("fox"));
    const QString frame = writeFrame(project, take);
    project.addTake(take);
    ASSERT_TRUE(QDir().mkpath(path(QStringLiteral("taken_media"))));
    writeBytes(path(QStringLiteral("taken_media/theirs.png")), "not ours");

    try {
        project.save(path(QStringLiteral("taken.kinora")));
        FAIL() << "saved into another project's media folder";
    } catch (const ProjectError& e) {
        EXPECT_TRUE(QString::fromStdString(e.what()).contains(path(QStringLiteral("taken_media"))))
            << e.what();
    }
    EXPECT_TRUE(project.isUntitled());
    EXPECT_TRUE(QFileInfo::exists(frame));
    EXPECT_FALSE(QFileInfo::exists(path(QStringLiteral("taken.kinora"))));
    EXPECT_EQ(bytesOf(path(QStringLiteral("taken_media/theirs.png"))), QByteArray("not ours"));
}

TEST_F(ProjectTest, DamagedFilesAreRefusedAndLeftAsTheyWere)
{
    Project project;
    project.addTake(makeTake(project, QStringLiteral("fox")));
    project.save(path(QStringLiteral("good.kinora")));
    const QByteArray good = bytesOf(path(QStringLiteral("good.kinora")));

    QJsonObject noId = project.toJson();
    QJsonArray takes = noId.value(QStringLiteral("takes")).toArray();
    QJsonObject take = takes[0].toObject();
    take.remove(QStringLiteral("id"));
    takes[0] = take;
    noId[QStringLiteral("takes")] = takes;
    QJsonObject mistyped = project.toJson();
    QJsonObject typed = mistyped.value(QStringLiteral("takes")).toArray()[0].toObject();
    typed[QStringLiteral("frames")] = QStringLiteral("eight");
    mistyped[QStringLiteral("takes")] = QJsonArray { typed };

    const std::vector<std::pair<const char*, QByteArray>> damaged {
        { "truncated", good.left(good.size() / 2) },
        { "array", "[1, 2, 3]" },
        { "no-id", QJsonDocument(noId).toJson() },
        { "mistyped", QJsonDocument(mistyped).toJson() },
        { "empty", "" },
    };
    for (const auto& [name, bytes] : damaged) {
        const QString file = path(QStringLiteral("%1.kinora").arg(QLatin1String(name)));
        writeBytes(file, bytes);
        const QDateTime before = QFileInfo(file).lastModified();
        const QString error = openError(file);
        EXPECT_TRUE(error.contains(file)) << name << ": " << error.toStdString();
        EXPECT_EQ(bytesOf(file), bytes) << name;
        EXPECT_EQ(QFileInfo(file).lastModified(), before) << name;
        EXPECT_FALSE(QFileInfo::exists(path(QStringLiteral("%1_media").arg(QLatin1String(name))))) << name;
    }
    EXPECT_TRUE(openError(path(QStringLiteral("missing.kinora"))).contains(QStringLiteral("does not exist")));
    EXPECT_FALSE(QFileInfo::exists(path(QStringLiteral("missing.kinora"))));
}

TEST_F(ProjectTest, AFileFromANewerKinoraIsRefused)
{
    QJsonObject json = Project().toJson();
    json[QStringLiteral("format_version")] = Project::kFormatVersion + 1;
    const QByteArray bytes = QJsonDocument(json).toJson();
    writeBytes(path(QStringLiteral("future.kinora")), bytes);
    const QString error = openError(path(QStringLiteral("future.kinora")));
    EXPECT_TRUE(error.contains(QStringLiteral("newer"))) << error.toStdString();
    EXPECT_TRUE(error.contains(QStringLiteral("format %1").arg(Project::kFormatVersion + 1)))
        << error.toStdString();
    EXPECT_EQ(bytesOf(path(QStringLiteral("future.kinora"))), bytes);
}

TEST_F(ProjectTest, EditingTakesEmitsTheirSignals)
{
    Project project;
    QSignalSpy added(&project, &Project::takeAdded);
    QSignalSpy removed(&project, &Project::takeRemoved);
    QSignalSpy renamed(&project, &Project::takeRenamed);
    QSignalSpy changed(&project, &Project::takesChanged);
    QSignalSpy modified(&project, &Project::modifiedChanged);

    const TakeRecord a = makeTake(project, QStringLiteral("a"));
    const TakeRecord b = makeTake(project, QStringLiteral("b"));
    EXPECT_NE(a.id, b.id);
    project.addTake(a);
    project.insertTake(0, b);
    EXPECT_EQ(added.count(), 2);
    EXPECT_EQ(project.indexOfTake(b.id), 0);
    EXPECT_EQ(modified.count(), 1) << "modifiedChanged only on a change";

    EXPECT_TRUE(project.renameTake(a.id, QStringLiteral("  the fox ")));
    EXPECT_EQ(project.take(a.id)->name, QStringLiteral("the fox"));
    EXPECT_EQ(renamed.count(), 1);
    EXPECT_FALSE(project.renameTake(QStringLiteral("nope"), QStringLiteral("x")));

    const auto taken = project.removeTake(b.id);
    ASSERT_TRUE(taken.has_value());
    EXPECT_EQ(taken->name, QStringLiteral("b"));
    EXPECT_EQ(removed.count(), 1);
    EXPECT_EQ(project.take(b.id), nullptr);
    EXPECT_FALSE(project.removeTake(b.id).has_value());
    project.insertTake(0, *taken); // undo
    EXPECT_EQ(project.indexOfTake(b.id), 0);
    EXPECT_EQ(changed.count(), 5);

    project.setModified(false);
    project.setModified(false);
    EXPECT_EQ(modified.count(), 2);
}

TEST_F(ProjectTest, NewTakeIdsAreUniqueFolderNames)
{
    Project project;
    const QString first = project.newTakeId();
    const QString second = project.newTakeId(); // a queued job's id, its take not made yet
    EXPECT_NE(first, second);
    EXPECT_TRUE(QRegularExpression(QStringLiteral("^[A-Za-z0-9._-]+$")).match(first).hasMatch());
    const QString third = project.newTakeId();
    EXPECT_TRUE(QDir().mkpath(project.mediaDir() + QStringLiteral("/takes/take-0099")));
    for (int i = 0; i < 100; ++i)
        EXPECT_NE(project.newTakeId(), QStringLiteral("take-0099")) << "a removed take's frames are kept";
    EXPECT_NE(third, first);
}

TEST_F(ProjectTest, ClosingAnUntitledProjectWithoutRecoveryDiscardsIt)
{
    QString untitled;
    {
        Project project;
        untitled = QFileInfo(project.mediaDir()).absolutePath();
        EXPECT_TRUE(QFileInfo::exists(project.mediaDir()));
        project.writeRecovery();
        project.discardRecovery();
    }
    EXPECT_FALSE(QFileInfo::exists(untitled));
    EXPECT_TRUE(QDir(Project::recoveryRoot()).isEmpty(QDir::AllEntries | QDir::NoDotAndDotDot));
}

TEST_F(ProjectTest, ALiveSessionIsNotOffered)
{
    Project project;
    project.addTake(makeTake(project, QStringLiteral("fox")));
    project.writeRecovery();
    EXPECT_TRUE(QFileInfo::exists(project.recoveryFile()));
    EXPECT_TRUE(Project::recoverableSessions().empty());
}

// kill -9 in a child: it writes its recovery file and ends without running a destructor, so its
// lock is left behind by a process that is gone.
TEST_F(ProjectTest, ACrashedSessionIsOfferedAndRecovered)
{
    const QString saved = path(QStringLiteral("saved.kinora"));
    const pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
        auto* project = new Project; // never deleted: the crash
        for (const char* name : { "fox", "owl", "moth" }) {
            const TakeRecord take = makeTake(*project, QString::fromLatin1(name));
            writeFrame(*project, take);
            project->addTake(take);
        }
        project->writeRecovery();
        std::_Exit(0);
    }
    int status = 0;
    ASSERT_EQ(waitpid(child, &status, 0), child);
    ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);

    auto sessions = Project::recoverableSessions();
    ASSERT_EQ(sessions.size(), 1u);
    EXPECT_EQ(sessions[0].takes, 3);
    EXPECT_TRUE(sessions[0].originalPath.isEmpty());
    EXPECT_TRUE(sessions[0].saved.isValid());

    const auto recovered = Project::recover(sessions[0]);
    EXPECT_TRUE(recovered->isModified());
    EXPECT_TRUE(recovered->isUntitled());
    ASSERT_EQ(recovered->takes().size(), 3u);
    EXPECT_EQ(recovered->takes()[1].name, QStringLiteral("owl"));
    EXPECT_TRUE(QFileInfo::exists(firstFrame(*recovered, recovered->takes()[2])));
    EXPECT_TRUE(Project::recoverableSessions().empty()) << "offered twice";

    recovered->save(saved); // the frames come along
    EXPECT_TRUE(QFileInfo::exists(firstFrame(*recovered, recovered->takes()[2])));
    EXPECT_TRUE(
        firstFrame(*recovered, recovered->takes()[2]).startsWith(path(QStringLiteral("saved_media"))));
}

TEST_F(ProjectTest, ADeclinedSessionIsForgottenWithItsUntitledMedia)
{
    const pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
        auto* project = new Project;
        project->addTake(makeTake(*project, QStringLiteral("fox")));
        project->writeRecovery();
        std::_Exit(0);
    }
    int status = 0;
    ASSERT_EQ(waitpid(child, &status, 0), child);

    const auto sessions = Project::recoverableSessions();
    ASSERT_EQ(sessions.size(), 1u);
    ASSERT_FALSE(QDir(Project::untitledRoot()).isEmpty(QDir::AllEntries | QDir::NoDotAndDotDot));
    Project::discardSession(sessions[0]);
    EXPECT_TRUE(Project::recoverableSessions().empty());
    EXPECT_TRUE(QDir(Project::untitledRoot()).isEmpty(QDir::AllEntries | QDir::NoDotAndDotDot));
    EXPECT_TRUE(QDir(Project::recoveryRoot()).isEmpty(QDir::AllEntries | QDir::NoDotAndDotDot));
}
