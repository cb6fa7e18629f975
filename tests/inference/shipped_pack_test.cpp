// The default model Kinora ships in resources/models/kinora-default: it loads, it is the `default`
// architecture at its size, it fits the repository's limits, and its card states the pack's own
// parameter counts.

#include "kinora/inference/caption_words.h"
#include "kinora/inference/native_model.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace fs = std::filesystem;
using namespace kinora::inference;

namespace {
const fs::path kPack = fs::path(KINORA_SOURCE_DIR) / "resources" / "models" / "kinora-default";
}

TEST(ShippedDefaultPack, LoadsAsTheDefaultArchitectureAtItsSize)
{
    const auto model = loadNativePack(kPack);
    EXPECT_EQ(model.manifest.config, "default");
    EXPECT_GE(model.manifest.defaults.width, 32);
    EXPECT_GE(model.manifest.defaults.height, 32);
    EXPECT_GE(model.manifest.defaults.frames, 8);
    EXPECT_GT(model.manifest.latentScale, 1.0) << "the trainer sets the latent scale from the pixels";
    EXPECT_EQ(model.manifest.vocabulary, captionGrammarWords()) << "the words the prompt editor completes";
}

// The contact sheet is a palette PNG (colour type 3), not a truecolour one several MB large.
TEST(ShippedDefaultPack, ContactSheetIsAPalettePng)
{
    std::ifstream in(kPack / "contact-sheet.png", std::ios::binary);
    ASSERT_TRUE(in);
    char header[26] = {};
    in.read(header, sizeof header);
    ASSERT_TRUE(in);
    EXPECT_EQ(std::string(header + 12, 4), "IHDR");
    EXPECT_EQ(static_cast<int>(header[25]), 3) << "PNG colour type: 3 is indexed";
    EXPECT_LT(fs::file_size(kPack / "contact-sheet.png"), 600'000u);
}

TEST(ShippedDefaultPack, FitsTheRepositoryLimits)
{
    uintmax_t total = 0;
    for (const auto& entry : fs::directory_iterator(kPack)) {
        const auto name = entry.path().filename().string();
        EXPECT_NE(name, "training-state.safetensors") << "the optimizer state is not shipped";
        if (!entry.is_regular_file())
            continue;
        EXPECT_LE(entry.file_size(), 16u << 20) << name;
        total += entry.file_size();
    }
    EXPECT_LE(total, 30'000'000u);
}

TEST(ShippedDefaultPack, CardStatesThePacksParameterCounts)
{
    std::ifstream in(kPack / "MODEL_CARD.md");
    ASSERT_TRUE(in) << "MODEL_CARD.md is missing from " << kPack;
    std::stringstream text;
    text << in.rdbuf();
    const auto card = text.str();
    const auto model = loadNativePack(kPack);
    for (const auto& [role, count] : model.parameterCounts())
        EXPECT_NE(card.find(std::to_string(count)), std::string::npos) << role << " " << count;
    EXPECT_NE(card.find("kinora-cli train"), std::string::npos) << "the training command";
    EXPECT_NE(card.find("kinora-cli eval"), std::string::npos) << "the evaluation command";
}
