// umT5's prompt tokenizer against Wan's Python path (scripts/wan_fixtures/make_tokenizer.py): Wan's
// cleaning and transformers' fast T5 tokenizer over a small SentencePiece model standing in for
// umT5's spiece.model, on prompts with punctuation, non-Latin scripts, emoji, HTML references,
// curly quotes and prompts past 512 tokens. The ids must be equal. Without SentencePiece in the
// build the tokenizer tests are skipped and construction must fail with a clear message.

#include "kinora/inference/safetensors.h"
#include "kinora/inference/wan/wan_tokenizer.h"
#include "kinora/inference/wan/wan_weights.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

using namespace kinora::inference;
using namespace kinora::inference::wan;

const std::filesystem::path kFixtures = KINORA_WAN_FIXTURES;
const std::filesystem::path kModel = kFixtures / "umt5_tokenizer.model";

struct Goldens {
    std::vector<std::string> prompts;
    std::vector<std::vector<int64_t>> ids;
    std::vector<std::pair<std::string, std::string>> cleanCases;
    std::vector<int> specialText;
};

Goldens goldens()
{
    const SafetensorsFile file(kFixtures / "umt5_tokenizer.safetensors");
    Goldens g;
    const auto& meta = file.metadata();
    g.prompts = nlohmann::json::parse(meta.at("prompts")).get<std::vector<std::string>>();
    g.cleanCases = nlohmann::json::parse(meta.at("clean_cases"))
                       .get<std::vector<std::pair<std::string, std::string>>>();
    g.specialText = nlohmann::json::parse(meta.at("special_text_prompts")).get<std::vector<int>>();
    const auto ids = file.load("ids");
    const auto offsets = file.load("offsets");
    for (int64_t i = 0; i + 1 < offsets.size(0); ++i) {
        const auto row
            = ids.slice(0, offsets[i].item<int64_t>(), offsets[i + 1].item<int64_t>()).contiguous();
        g.ids.emplace_back(row.data_ptr<int64_t>(), row.data_ptr<int64_t>() + row.numel());
    }
    return g;
}

std::string readFile(const std::filesystem::path& path)
{
    std::ifstream in(path, std::ios::binary);
    return { std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>() };
}

#define KINORA_REQUIRE_SENTENCEPIECE() \
    if (!WanTokenizer::available())    \
    GTEST_SKIP() << "this build has no SentencePiece (libsentencepiece-dev)"

// The cleaning is plain C++: checked in every build.
TEST(WanTokenizer, CleansAsWanDoes)
{
    const auto g = goldens();
    ASSERT_FALSE(g.cleanCases.empty());
    for (const auto& [text, expected] : g.cleanCases)
        EXPECT_EQ(WanTokenizer::clean(text), expected) << "input: " << text;
    EXPECT_EQ(WanTokenizer::clean("  a \t b\n"), "a b");
    EXPECT_EQ(WanTokenizer::clean("&amp;lt;"), "<"); // unescaped twice, as Wan does
    EXPECT_EQ(WanTokenizer::clean("\xff ok"), "\xef\xbf\xbd ok"); // invalid UTF-8 -> U+FFFD
}

TEST(WanTokenizer, IdsEqualTransformersOnTheCorpus)
{
    KINORA_REQUIRE_SENTENCEPIECE();
    const auto g = goldens();
    ASSERT_EQ(g.prompts.size(), g.ids.size());
    ASSERT_GE(g.prompts.size(), 18u);
    const auto tokenizer = WanTokenizer::fromFile(kModel);
    EXPECT_EQ(tokenizer.vocabSize(), 881);
    size_t truncated = 0;
    for (size_t i = 0; i < g.prompts.size(); ++i) {
        const auto ids = tokenizer.encode(g.prompts[i], 512);
        EXPECT_EQ(ids, g.ids[i]) << "prompt " << i << ": " << g.prompts[i].substr(0, 60);
        EXPECT_EQ(ids.back(), WanTokenizer::kEos);
        truncated += ids.size() == 512 ? 1 : 0;
    }
    EXPECT_GE(truncated, 2u) << "the corpus must hold prompts past 512 tokens";
    // `</s>` typed in a prompt stays text (transformers would read it as EOS): one known prompt.
    EXPECT_EQ(g.specialText, std::vector<int>({ 11 }));
}

TEST(WanTokenizer, FromBytesEqualsFromFile)
{
    KINORA_REQUIRE_SENTENCEPIECE();
    const auto g = goldens();
    const auto tokenizer = WanTokenizer::fromBytes(readFile(kModel));
    EXPECT_EQ(tokenizer.encode(g.prompts.front()), g.ids.front());
}

TEST(WanTokenizer, TruncatesKeepingEosLast)
{
    KINORA_REQUIRE_SENTENCEPIECE();
    const auto tokenizer = WanTokenizer::fromFile(kModel);
    const std::string text = "A cat walks slowly across a quiet street at night, and then it runs.";
    const auto full = tokenizer.encode(text, 512);
    ASSERT_GT(full.size(), 8u);
    const auto cut = tokenizer.encode(text, 8);
    ASSERT_EQ(cut.size(), 8u);
    EXPECT_TRUE(std::equal(cut.begin(), cut.end() - 1, full.begin()));
    EXPECT_EQ(cut.back(), WanTokenizer::kEos);
    EXPECT_EQ(tokenizer.encode(text, 1), std::vector<int64_t>({ WanTokenizer::kEos }));
    EXPECT_EQ(tokenizer.encode("", 512), std::vector<int64_t>({ WanTokenizer::kEos }));
    EXPECT_THROW(tokenizer.encode(text, 0), std::invalid_argument);
}

TEST(WanTokenizer, ReportsUnreadableModels)
{
    KINORA_REQUIRE_SENTENCEPIECE();
    EXPECT_THROW(WanTokenizer::fromFile(kFixtures / "no_such.model"), std::runtime_error);
    EXPECT_THROW(WanTokenizer::fromBytes("not a model proto"), std::runtime_error);
}

TEST(WanTokenizer, ReadsTheModelEmbeddedInATextEncoderFile)
{
    const auto bytes = readFile(kModel);
    auto tensor = torch::empty({ static_cast<int64_t>(bytes.size()) }, torch::kUInt8);
    std::memcpy(tensor.data_ptr(), bytes.data(), bytes.size());
    const auto path = std::filesystem::temp_directory_path() / "kinora_umt5_embedded_spiece.safetensors";
    saveSafetensors(path,
        std::map<std::string, at::Tensor> {
            { kEmbeddedSpieceModel, tensor }, { "shared.weight", torch::zeros({ 4, 2 }) } });
    const auto weights = WanWeights::open({ path });
    const auto embedded = embeddedSpieceModel(weights);
    ASSERT_TRUE(embedded.has_value());
    EXPECT_EQ(*embedded, bytes);
    if (WanTokenizer::available()) {
        const auto g = goldens();
        EXPECT_EQ(WanTokenizer::fromBytes(*embedded).encode(g.prompts.front()), g.ids.front());
    }
    std::filesystem::remove(path);
    EXPECT_FALSE(embeddedSpieceModel(WanWeights::open({ kFixtures / "umt5_weights_hf.safetensors" })));
}

TEST(WanTokenizer, WithoutSentencePieceConstructionSaysWhy)
{
    if (WanTokenizer::available())
        GTEST_SKIP() << "this build has SentencePiece";
    try {
        WanTokenizer::fromFile(kModel);
        ADD_FAILURE() << "a tokenizer was made without SentencePiece";
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find("SentencePiece"), std::string::npos) << e.what();
    }
}

} // namespace
