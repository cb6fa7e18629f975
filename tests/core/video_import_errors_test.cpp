// Import of what is not a good video: each bad input is one MediaError naming the file and the
// cause (no crash, no hang); a file cut short gives the frames that are there; the fuzzer's corpus
// replays through the same check the fuzzer runs, and its valid seeds seek exactly.

#include "../../fuzz/video_decode_fuzz.h"
#include "media_test_support.h"

#include "kinora/core/video_reader.h"

#include <gtest/gtest.h>

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QTemporaryDir>

#include <cstdio>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

namespace {

using kinora::core::MediaError;
using kinora::core::VideoReader;
namespace fs = std::filesystem;
namespace test = kinora::test;

QByteArray readBytes(const QString& path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

void writeBytes(const QString& path, const QByteArray& bytes)
{
    QFile file(path);
    ASSERT_TRUE(file.open(QIODevice::WriteOnly)) << path.toStdString();
    ASSERT_EQ(file.write(bytes), bytes.size());
}

class VideoImportErrors : public testing::Test {
protected:
    void SetUp() override { ASSERT_TRUE(m_dir.isValid()); }
    QString path(const QString& name) const { return m_dir.filePath(name); }

    // A 2-second clip, 48 frames of 128x72 with a keyframe every 12.
    QString makeClip(const QString& name, const QStringList& extra = {}) const
    {
        test::ffmpeg(QStringList { QStringLiteral("-f"), QStringLiteral("lavfi"), QStringLiteral("-i"),
                         QStringLiteral("testsrc2=size=128x72:rate=24"), QStringLiteral("-frames:v"),
                         QStringLiteral("48"), QStringLiteral("-c:v"), QStringLiteral("libx264"),
                         QStringLiteral("-preset"), QStringLiteral("ultrafast"), QStringLiteral("-g"),
                         QStringLiteral("12"), QStringLiteral("-pix_fmt"), QStringLiteral("yuv420p") }
            + extra + QStringList { path(name) });
        return path(name);
    }

    // Opening `input` must throw a MediaError that starts with the file's name and says `cause`;
    // the message is printed for the record.
    static void expectRefused(const QString& input, const QString& cause)
    {
        SCOPED_TRACE(input.toStdString());
        try {
            auto reader = VideoReader::open(input);
            ADD_FAILURE() << "opened, with " << reader->info().frames << " frames";
        } catch (const MediaError& e) {
            const QString message = QString::fromUtf8(e.what());
            std::printf("[bad input] %s\n", e.what());
            EXPECT_TRUE(message.startsWith(input + QStringLiteral(": "))) << e.what();
            EXPECT_TRUE(message.contains(cause, Qt::CaseInsensitive)) << e.what();
            EXPECT_FALSE(message.contains(QLatin1Char('\n'))) << e.what();
        }
        // The thumbnail path refuses the same way.
        EXPECT_THROW(kinora::core::videoThumbnail(input, 0, { 64, 64 }), MediaError);
    }

    QTemporaryDir m_dir;
};

TEST_F(VideoImportErrors, EachBadInputIsOneClearMediaError)
{
    const QByteArray clip = readBytes(makeClip(QStringLiteral("whole.mp4")));
    ASSERT_GT(clip.size(), 1000);
    // moov after mdat (ffmpeg's default): the first 30% holds no index.
    writeBytes(path(QStringLiteral("truncated.mp4")), clip.left(clip.size() * 3 / 10));
    expectRefused(
        path(QStringLiteral("truncated.mp4")), QStringLiteral("not a video or image FFmpeg can read"));

    std::mt19937 random(7);
    QByteArray noise(64 * 1024, '\0');
    for (char& c : noise)
        c = static_cast<char>(random());
    writeBytes(path(QStringLiteral("noise.mp4")), noise);
    expectRefused(path(QStringLiteral("noise.mp4")), QStringLiteral("not a video or image FFmpeg can read"));

    writeBytes(path(QStringLiteral("empty.mp4")), {});
    expectRefused(path(QStringLiteral("empty.mp4")), QStringLiteral("empty"));

    writeBytes(path(QStringLiteral("notes.txt")), "Shot list\n1. dog jumps\n2. cups\n");
    expectRefused(path(QStringLiteral("notes.txt")), QStringLiteral("not a video or image FFmpeg can read"));

    expectRefused(path(QStringLiteral("missing.mp4")), QStringLiteral("no such file"));

    ASSERT_TRUE(QDir().mkpath(path(QStringLiteral("folder.mp4"))));
    expectRefused(path(QStringLiteral("folder.mp4")), QStringLiteral("folder"));

    ASSERT_TRUE(QDir().mkpath(path(QStringLiteral("seq"))));
    for (int i = 1; i <= 3; ++i)
        ASSERT_TRUE(test::patternFrames(1, { 32, 32 })[0].save(
            path(QStringLiteral("seq/%1.png").arg(i, 3, 10, QLatin1Char('0')))));
    expectRefused(path(QStringLiteral("seq/%03d.png")), QStringLiteral("no frame 0"));

    // Audio only: a file FFmpeg reads, with nothing to show.
    const QString audio = path(QStringLiteral("tone.m4a"));
    test::ffmpeg({ QStringLiteral("-f"), QStringLiteral("lavfi"), QStringLiteral("-i"),
        QStringLiteral("sine=duration=0.5"), QStringLiteral("-c:a"), QStringLiteral("aac"), audio });
    expectRefused(audio, QStringLiteral("no video stream"));
}

TEST_F(VideoImportErrors, ClipCutMidFrameGivesTheFramesThatAreThere)
{
    // moov first, so that the cut leaves the index and loses the tail of the picture data.
    const QString whole = makeClip(
        QStringLiteral("whole.mp4"), { QStringLiteral("-movflags"), QStringLiteral("+faststart") });
    const std::vector<QImage> reference = kinora::core::readVideo(whole);
    ASSERT_EQ(reference.size(), 48u);
    const QByteArray bytes = readBytes(whole);
    const QString cut = path(QStringLiteral("cut.mp4"));
    writeBytes(cut, bytes.left(bytes.size() * 6 / 10 + 77)); // not on a packet boundary

    auto reader = VideoReader::open(cut);
    std::vector<QImage> frames;
    QImage image;
    try {
        while (reader->next(image))
            frames.push_back(image);
    } catch (const MediaError& e) {
        ADD_FAILURE() << "reading on to the cut threw: " << e.what();
    }
    std::printf("[bad input] %s: cut at 60%%: %lld frames indexed, %zu decode (of 48)\n", qPrintable(cut),
        static_cast<long long>(reader->info().frames), frames.size());
    EXPECT_GE(frames.size(), 20u);
    EXPECT_LT(frames.size(), 48u);
    // All but the last, which may be half there, are the intact file's frames.
    for (size_t i = 0; i + 1 < frames.size(); ++i)
        EXPECT_EQ(frames[i], reference[i]) << "frame " << i;
    // Seeking back into what is there still works.
    EXPECT_EQ(reader->frameAt(5), reference[5]);
    EXPECT_EQ(kinora::core::readVideo(cut).size(), frames.size());
}

// The picture's bytes, without the padding at the end of each line.
QByteArray hashOf(const QImage& image)
{
    QCryptographicHash hash(QCryptographicHash::Md5);
    for (int y = 0; y < image.height(); ++y)
        hash.addData(QByteArrayView(
            image.constScanLine(y), static_cast<qsizetype>(image.width()) * image.depth() / 8));
    return hash.result();
}

// The seed corpus and what the fuzzer found replay through the fuzzer's own check; the valid seeds
// (one per container and codec the corpus covers) also hold frame N by index = frame N in order.
TEST(VideoImportCorpus, ReplaysThroughTheFuzzCheck)
{
    const fs::path corpus = fs::path(KINORA_FUZZ_CORPUS_DIR) / "video_decode";
    ASSERT_TRUE(fs::is_directory(corpus)) << corpus;
    int replayed = 0;
    int valid = 0;
    for (const auto& item : fs::directory_iterator(corpus)) {
        const QString file = QString::fromStdString(item.path().string());
        const std::string name = item.path().filename().string();
        SCOPED_TRACE(name);
        const QByteArray bytes = readBytes(file);
        EXPECT_EQ(kinora::fuzz::checkVideoInput(
                      std::string_view(bytes.constData(), static_cast<size_t>(bytes.size()))),
            "");
        ++replayed;
        if (name.rfind("valid", 0) != 0)
            continue;
        ++valid;
        auto reader = VideoReader::open(file);
        EXPECT_EQ(reader->info().frames,
            test::probeVideoStream(file).value(QStringLiteral("nb_read_frames")).toString().toLongLong());
        std::vector<QByteArray> inOrder;
        QImage image;
        while (reader->next(image))
            inOrder.push_back(hashOf(image));
        ASSERT_EQ(static_cast<int64_t>(inOrder.size()), reader->frameCount());
        for (int64_t i = reader->frameCount() - 1; i >= 0; --i)
            EXPECT_EQ(hashOf(reader->frameAt(i)), inOrder[static_cast<size_t>(i)]) << "frame " << i;
    }
    EXPECT_GE(replayed, 10);
    EXPECT_GE(valid, 8);
}

} // namespace
