// The model packs the settings offer: the shipped default pack reads with its manifest's defaults
// and the size rule the engine enforces, broken packs are listed with their error instead of
// disappearing, each folder once, and sizes the pack cannot make are refused with a reason.

#include "kinora/core/diffusion_job.h"
#include "kinora/core/model_catalog.h"
#include "kinora/core/prompt_words.h"

#include <gtest/gtest.h>

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>

#include <algorithm>

using namespace kinora::core;

namespace {

// The source tree's pack (defaultModelPlaces() ends with it in every build).
QString shippedPack()
{
    for (const QString& place : defaultModelPlaces())
        if (QFileInfo::exists(place + QStringLiteral("/kinora-model.json")))
            return QFileInfo(place).canonicalFilePath();
    return {};
}

class ModelCatalogTest : public ::testing::Test {
protected:
    void SetUp() override
    {
        m_savedModel = qgetenv("KINORA_MODEL");
        qunsetenv("KINORA_MODEL");
        m_pack = shippedPack();
        ASSERT_FALSE(m_pack.isEmpty()) << "no shipped pack in defaultModelPlaces()";
    }
    void TearDown() override
    {
        if (m_savedModel.isEmpty())
            qunsetenv("KINORA_MODEL");
        else
            qputenv("KINORA_MODEL", m_savedModel);
    }

    // A folder holding only a manifest: no weights files.
    QString packWith(const QString& name, const QByteArray& manifest)
    {
        const QString dir = m_dir.filePath(name);
        EXPECT_TRUE(QDir().mkpath(dir));
        QFile file(dir + QStringLiteral("/kinora-model.json"));
        EXPECT_TRUE(file.open(QIODevice::WriteOnly));
        file.write(manifest);
        return dir;
    }
    QByteArray shippedManifest() const
    {
        QFile file(m_pack + QStringLiteral("/kinora-model.json"));
        return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
    }

    QTemporaryDir m_dir;
    QString m_pack;
    QByteArray m_savedModel;
};

const ModelPackEntry* find(const std::vector<ModelPackEntry>& packs, const QString& dir)
{
    const QString canonical = QFileInfo(dir).canonicalFilePath();
    const auto it = std::find_if(packs.begin(), packs.end(), [&](const ModelPackEntry& p) {
        return p.dir == dir || (!canonical.isEmpty() && p.dir == canonical);
    });
    return it == packs.end() ? nullptr : &*it;
}

} // namespace

TEST_F(ModelCatalogTest, TheShippedPackReadsWithItsDefaults)
{
    const auto packs = listModelPacks();
    const ModelPackEntry* pack = find(packs, m_pack);
    ASSERT_NE(pack, nullptr);
    EXPECT_TRUE(pack->ok()) << pack->error.toStdString();
    EXPECT_EQ(pack->origin, QStringLiteral("default"));
    EXPECT_EQ(pack->name, QStringLiteral("kinora-default"));
    EXPECT_EQ(pack->family, QStringLiteral("kinora-native"));
    EXPECT_EQ(pack->config, QStringLiteral("default"));
    EXPECT_EQ(pack->width, 32);
    EXPECT_EQ(pack->height, 32);
    EXPECT_EQ(pack->frames, 8);
    EXPECT_DOUBLE_EQ(pack->fps, 8.0);
    EXPECT_EQ(pack->steps, 20);
    EXPECT_EQ(pack->sampler, QStringLiteral("dpm++2m"));
    // The 2x space-to-depth latent times the U-Net's 4x (three levels): the engine refuses anything else.
    EXPECT_EQ(pack->sizeMultiple, 8);
    EXPECT_GE(pack->maxFrames, 4 * pack->frames);
    EXPECT_TRUE(QFileInfo(pack->cardPath).isFile());
    EXPECT_TRUE(samplerNames().contains(pack->sampler));
}

TEST_F(ModelCatalogTest, BrokenPacksAreListedWithTheirError)
{
    const QString badJson = packWith(QStringLiteral("bad-json"), "{ \"name\": ");
    const QString noWeights = packWith(QStringLiteral("no-weights"), shippedManifest());
    const QString missing = m_dir.filePath(QStringLiteral("not-there"));
    qputenv("KINORA_MODEL", QFile::encodeName(badJson));

    const auto packs = listModelPacks({ noWeights, missing, m_pack });
    const ModelPackEntry* env = find(packs, badJson);
    ASSERT_NE(env, nullptr);
    EXPECT_EQ(env->origin, QStringLiteral("environment"));
    EXPECT_FALSE(env->ok());
    EXPECT_EQ(env->name, QStringLiteral("bad-json"));

    const ModelPackEntry* weights = find(packs, noWeights);
    ASSERT_NE(weights, nullptr);
    EXPECT_EQ(weights->origin, QStringLiteral("added"));
    EXPECT_TRUE(weights->error.contains(QStringLiteral("denoiser.safetensors")))
        << weights->error.toStdString();
    EXPECT_TRUE(weights->error.contains(QStringLiteral("text_encoder.safetensors")))
        << weights->error.toStdString();

    const ModelPackEntry* gone = find(packs, missing);
    ASSERT_NE(gone, nullptr);
    EXPECT_TRUE(gone->error.contains(QStringLiteral("does not exist"))) << gone->error.toStdString();

    // The shipped pack, added again by hand, is still listed once, as the default.
    EXPECT_EQ(
        std::count_if(packs.begin(), packs.end(), [&](const ModelPackEntry& p) { return p.dir == m_pack; }),
        1);
    EXPECT_EQ(find(packs, m_pack)->origin, QStringLiteral("default"));
}

TEST_F(ModelCatalogTest, SizesThePackCannotMakeAreRefused)
{
    const ModelPackEntry pack = readModelPack(m_pack);
    ASSERT_TRUE(pack.ok()) << pack.error.toStdString();
    EXPECT_TRUE(checkGenerationSize(pack, 64, 64, 16).isEmpty());
    EXPECT_TRUE(checkGenerationSize(pack, 128, 96, pack.maxFrames).isEmpty());

    const QString width = checkGenerationSize(pack, 70, 64, 16);
    EXPECT_TRUE(width.contains(QStringLiteral("width 70 is not a multiple of 8"))) << width.toStdString();
    const QString height = checkGenerationSize(pack, 64, 60, 16);
    EXPECT_TRUE(height.contains(QStringLiteral("height 60"))) << height.toStdString();
    const QString frames = checkGenerationSize(pack, 64, 64, pack.maxFrames + 1);
    EXPECT_TRUE(frames.contains(QStringLiteral("at most %1 frames").arg(pack.maxFrames)))
        << frames.toStdString();
    EXPECT_FALSE(checkGenerationSize(pack, 64, 64, 0).isEmpty());

    const ModelPackEntry broken = readModelPack(packWith(QStringLiteral("broken"), "[]"));
    EXPECT_FALSE(broken.ok());
    EXPECT_TRUE(checkGenerationSize(broken, 64, 64, 16).contains(QStringLiteral("does not read")));
}

TEST_F(ModelCatalogTest, SamplerNamesAreTheEnginesNames)
{
    const QStringList names = samplerNames();
    for (const char* name : { "ddpm", "ddim", "euler", "euler-a", "dpm++2m", "flow-euler", "unipc" })
        EXPECT_TRUE(names.contains(QLatin1String(name))) << name;
    EXPECT_EQ(names.size(), 7);
}

TEST_F(ModelCatalogTest, AFamilyWithCausalTimeCompressionMakesOneWindowAtMost)
{
    // The shipped manifest made into a Wan-like one: 4x temporal compression, 81 frames by default.
    auto json = QJsonDocument::fromJson(shippedManifest()).object();
    auto latent = json[QStringLiteral("latent")].toObject();
    latent[QStringLiteral("temporal_compression")] = 4;
    json[QStringLiteral("latent")] = latent;
    auto defaults = json[QStringLiteral("defaults")].toObject();
    defaults[QStringLiteral("frames")] = 81;
    json[QStringLiteral("defaults")] = defaults;
    const QString dir = packWith(QStringLiteral("causal"), QJsonDocument(json).toJson());
    for (const auto& file : json[QStringLiteral("components")].toObject()) {
        QFile weights(QDir(dir).filePath(file.toString()));
        ASSERT_TRUE(weights.open(QIODevice::WriteOnly));
    }
    const ModelPackEntry pack = readModelPack(dir);
    ASSERT_TRUE(pack.ok()) << pack.error.toStdString();
    EXPECT_EQ(pack.maxFrames, 81);
    EXPECT_EQ(pack.frameStep, 4);
    EXPECT_FALSE(checkGenerationSize(pack, pack.width, pack.height, 82).isEmpty());
}

TEST_F(ModelCatalogTest, TheManifestsVocabularyReachesThePackSorted)
{
    auto json = QJsonDocument::fromJson(shippedManifest()).object();
    json[QStringLiteral("vocabulary")] = QJsonArray { QStringLiteral("square"), QStringLiteral("a"),
        QStringLiteral("red"), QStringLiteral("up-left") };
    const QString dir = packWith(QStringLiteral("words"), QJsonDocument(json).toJson());
    for (const auto& file : json[QStringLiteral("components")].toObject()) {
        QFile weights(QDir(dir).filePath(file.toString()));
        ASSERT_TRUE(weights.open(QIODevice::WriteOnly));
    }
    const ModelPackEntry pack = readModelPack(dir);
    ASSERT_TRUE(pack.ok()) << pack.error.toStdString();
    EXPECT_EQ(pack.vocabulary,
        (QStringList { QStringLiteral("a"), QStringLiteral("red"), QStringLiteral("square"),
            QStringLiteral("up-left") }));

    json.remove(QStringLiteral("vocabulary"));
    const QString anyText = packWith(QStringLiteral("any-text"), QJsonDocument(json).toJson());
    EXPECT_TRUE(readModelPack(anyText).vocabulary.isEmpty()) << "a pack that reads any text";
}

// The words of the caption grammar the default pack reads, as its manifest lists them.
const QStringList kGrammar { QStringLiteral("a"), QStringLiteral("background"), QStringLiteral("blue"),
    QStringLiteral("circle"), QStringLiteral("gradient"), QStringLiteral("left"), QStringLiteral("moving"),
    QStringLiteral("on"), QStringLiteral("quickly"), QStringLiteral("red"), QStringLiteral("small"),
    QStringLiteral("square"), QStringLiteral("up-left") };

TEST(PromptWords, UnknownWordsAreNamedOnceInOrderIgnoringCase)
{
    EXPECT_EQ(unknownPromptWords(QStringLiteral("A RED Dragon, flying up-left; dragon"), kGrammar),
        (QStringList { QStringLiteral("dragon"), QStringLiteral("flying") }));
    EXPECT_TRUE(unknownPromptWords(QStringLiteral("a small Red circle moving up-left"), kGrammar).isEmpty());
    EXPECT_TRUE(unknownPromptWords(QStringLiteral("a dragon"), {}).isEmpty()) << "no vocabulary: any text";
}

TEST(PromptWords, TheWarningNamesTheWordsAndWhatThePackKnows)
{
    EXPECT_EQ(unknownWordsWarning(QStringLiteral("a red dragon flying"), kGrammar),
        QStringLiteral("The model does not know: dragon, flying — it knows colours, shapes, directions, "
                       "sizes, speeds and background styles."));
    EXPECT_TRUE(unknownWordsWarning(QStringLiteral("a red square on a blue background"), kGrammar).isEmpty());
    EXPECT_TRUE(unknownWordsWarning(QStringLiteral("a red dragon"), {}).isEmpty());
    EXPECT_TRUE(unknownWordsWarning(QString(), kGrammar).isEmpty());

    // A vocabulary outside the grammar is described by its size; a long list is cut short.
    const QStringList other { QStringLiteral("cat"), QStringLiteral("dog"), QStringLiteral("runs") };
    EXPECT_EQ(unknownWordsWarning(QStringLiteral("a cat runs"), other),
        QStringLiteral("The model does not know: a — it knows only the 3 words of its vocabulary."));
    const QString many
        = unknownWordsWarning(QStringLiteral("one two three four five six seven eight nine ten"), other);
    EXPECT_TRUE(many.startsWith(QStringLiteral("The model does not know: one, two, three, four, five, six, "
                                               "seven, eight and 2 more — ")))
        << many.toStdString();
}
