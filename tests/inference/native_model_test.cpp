#include "kinora/inference/native_config.h"
#include "kinora/inference/text_encoder.h"
#include "kinora/inference/unet3d.h"
#include "kinora/inference/video_vae.h"

#include <torch/torch.h>

#include <algorithm>

#include <gtest/gtest.h>

using namespace kinora::inference;

namespace {

void perturbAll(torch::nn::Module& module, double scale)
{
    torch::NoGradGuard noGrad;
    for (auto& p : module.parameters())
        p.add_(torch::randn_like(p) * scale);
}

struct TinyModels : ::testing::Test {
    void SetUp() override { torch::manual_seed(7); }
    NativeConfig config = nativeConfig("tiny");
};

} // namespace

TEST(NativeConfig, KnowsTinyAndDefault)
{
    EXPECT_EQ(nativeConfig("tiny").spatialCompression(), 2);
    EXPECT_TRUE(nativeConfig("tiny").learnedVae());
    const auto d = nativeConfig("default");
    EXPECT_FALSE(d.learnedVae());
    EXPECT_EQ(d.spatialCompression(), 2);
    EXPECT_EQ(d.latentChannels, 3 * d.spaceToDepth * d.spaceToDepth);
    EXPECT_EQ(d.denoiserInputChannels(), 25);
    EXPECT_THROW(nativeConfig("huge"), std::invalid_argument);
}

TEST(SpaceToDepthVae, IsExactAndHasNothingToLearn)
{
    VideoVae vae(nativeConfig("default"));
    EXPECT_TRUE(vae->parameters().empty());
    torch::manual_seed(3);
    const auto video = torch::rand({ 2, 3, 5, 32, 16 }) * 2 - 1;
    auto [mean, logvar] = vae->encode(video);
    ASSERT_EQ(mean.sizes(), (std::vector<int64_t> { 2, 12, 5, 16, 8 }));
    EXPECT_LT(logvar.max().item<float>(), -20.0f);
    // Channel c·4 + i·2 + j holds pixel (2y + i, 2x + j) of colour c, frame by frame.
    EXPECT_EQ(mean[1][4 * 2 + 2 * 1 + 0][3][5][6].item<float>(), video[1][2][3][11][12].item<float>());
    EXPECT_TRUE(torch::equal(vae->decode(mean), video));
}

TEST(WordTokens, OneTokenPerGrammarWordInOrderAndUnknownWordsNamed)
{
    TextEncoder enc(nativeConfig("default"));
    ASSERT_TRUE(enc->byWords());
    const auto tokens = enc->tokenize(
        { "A red circle on a blue background", "a blue circle on a red background", "a dragon, flying", "" });
    ASSERT_EQ(tokens.ids.size(1), 8);
    const auto& v = enc->vocabulary;
    const auto id = [&v](const std::string& w) {
        return static_cast<int64_t>(std::find(v.begin(), v.end(), w) - v.begin());
    };
    EXPECT_EQ(tokens.ids[0][0].item<int64_t>(), enc->bos);
    EXPECT_EQ(tokens.ids[0][2].item<int64_t>(), id("red"));
    EXPECT_EQ(tokens.ids[0][6].item<int64_t>(), id("blue"));
    EXPECT_EQ(tokens.ids[1][2].item<int64_t>(), id("blue"));
    EXPECT_EQ(tokens.ids[1][6].item<int64_t>(), id("red"));
    EXPECT_EQ(tokens.ids[2][2].item<int64_t>(), enc->unk);
    EXPECT_EQ(tokens.ids[2][3].item<int64_t>(), enc->unk);
    EXPECT_EQ(tokens.ids[2][4].item<int64_t>(), enc->pad);
    EXPECT_EQ(tokens.mask[3].sum().item<int64_t>(), 1);
    EXPECT_EQ(enc->unknownWords("a Dragon flying left, a dragon"),
        (std::vector<std::string> { "dragon", "flying" }));
    EXPECT_TRUE(
        enc->unknownWords("a small cyan star moving quickly up-left on a black textured background").empty());
    // Word order reaches the encoding: a caption and its inverse differ.
    enc->eval();
    torch::NoGradGuard noGrad;
    const auto text = enc->forward(tokens);
    EXPECT_GT((text[0] - text[1]).abs().max().item<float>(), 1e-3);
}

TEST(FrameChannel, TellsTheUNetWhereInTheClipAFrameIs)
{
    auto config = nativeConfig("tiny");
    config.frameChannel = true;
    torch::manual_seed(5);
    UNet3d unet(config);
    const auto inputs = config.denoiserInputChannels();
    ASSERT_EQ(unet->convIn->weight.size(1), inputs + 1);
    perturbAll(*unet, 0.05);
    unet->eval();
    torch::NoGradGuard noGrad;
    const auto x = torch::randn({ 1, inputs, 6, 8, 8 });
    TextEncoder enc(config);
    const auto tokens = enc->tokenize({ "a red circle" });
    const auto text = enc->forward(tokens);
    auto run = [&] { return unet->forward(x, torch::full({ 1 }, 500.0), text, tokens.mask); };
    // The frame channel is the last input: with its weights zeroed it carries nothing...
    auto frameWeights = unet->convIn->weight.narrow(1, inputs, 1);
    frameWeights.zero_();
    const auto without = run();
    // ...and with them every frame of the output moves.
    frameWeights.fill_(0.2);
    const auto change = (run() - without).abs().flatten(3).amax(3).squeeze(); // [C, T]
    EXPECT_GT(change.min().item<float>(), 0.0f);
    EXPECT_GT(change.select(1, 0).max().item<float>(), 1e-4);
}

TEST(Rotary, AttentionScoresDependOnlyOnRelativePosition)
{
    torch::manual_seed(1);
    const int64_t len = 12, dim = 8;
    auto q = torch::randn({ dim }).expand({ 1, 1, len, dim }).contiguous();
    auto k = torch::randn({ dim }).expand({ 1, 1, len, dim }).contiguous();
    auto scores = torch::matmul(applyRotary(q), applyRotary(k).transpose(-1, -2))[0][0]; // [L, L]
    for (int64_t shift = 1; shift < 5; ++shift)
        for (int64_t i = 0; i + shift < len; ++i)
            for (int64_t j = 0; j + shift < len; ++j)
                EXPECT_NEAR(scores[i][j].item<float>(), scores[i + shift][j + shift].item<float>(), 1e-4);
    // ...and do depend on it.
    EXPECT_GT((scores[0][0] - scores[0][5]).abs().item<float>(), 1e-3);
}

TEST_F(TinyModels, TextTokensAreBosThenBytesThenPadding)
{
    TextEncoder enc(config);
    const auto tokens = enc->tokenize({ "ab", "", std::string(200, 'x') });
    ASSERT_EQ(tokens.ids.size(1), config.maxTextBytes);
    EXPECT_EQ(tokens.ids[0][0].item<int64_t>(), enc->bos);
    EXPECT_EQ(tokens.ids[0][1].item<int64_t>(), 'a');
    EXPECT_EQ(tokens.ids[0][2].item<int64_t>(), 'b');
    EXPECT_EQ(tokens.ids[0][3].item<int64_t>(), enc->pad);
    EXPECT_EQ(tokens.mask[0].sum().item<int64_t>(), 3);
    EXPECT_EQ(tokens.mask[1].sum().item<int64_t>(), 1);
    EXPECT_EQ(tokens.mask[2].sum().item<int64_t>(), config.maxTextBytes);
}

TEST_F(TinyModels, TextEncodingIgnoresPaddingAndSeparatesPrompts)
{
    TextEncoder enc(config);
    enc->eval();
    torch::NoGradGuard noGrad;
    auto alone = enc->forward(enc->tokenize({ "a red circle" }));
    auto batched
        = enc->forward(enc->tokenize({ "a red circle", "a blue square moving left on a black background" }));
    const auto len = alone.size(1);
    EXPECT_TRUE(torch::allclose(alone[0], batched[0].narrow(0, 0, len), 1e-5, 1e-5));
    EXPECT_EQ(batched[0].narrow(0, len, batched.size(1) - len).abs().max().item<float>(), 0.0f);
    auto other = enc->forward(enc->tokenize({ "a red square" }));
    EXPECT_GT((alone - other).abs().max().item<float>(), 1e-3);
}

TEST_F(TinyModels, VaeCompressesAndRestoresShape)
{
    VideoVae vae(config);
    auto video = torch::rand({ 2, 3, 3, 16, 24 }) * 2 - 1;
    auto [mean, logvar] = vae->encode(video);
    EXPECT_EQ(mean.sizes(), (std::vector<int64_t> { 2, config.latentChannels, 3, 8, 12 }));
    EXPECT_EQ(logvar.sizes(), mean.sizes());
    EXPECT_EQ(vae->decode(mean).sizes(), video.sizes());
    EXPECT_THROW(vae->encode(torch::zeros({ 1, 3, 2, 15, 16 })), c10::Error);
}

TEST_F(TinyModels, VaeDecoderMixesFramesOnlyThroughItsTemporalLayers)
{
    VideoVae vae(config);
    torch::NoGradGuard noGrad;
    auto z = torch::randn({ 1, config.latentChannels, 4, 6, 6 });
    // Untrained: temporal layers are identities, so frame 2 decodes the same alone or in the clip.
    auto clip = vae->decode(z);
    auto alone = vae->decode(z.narrow(2, 2, 1));
    EXPECT_TRUE(torch::allclose(clip.narrow(2, 2, 1), alone, 1e-5, 1e-5));
    // With the temporal convolutions switched on, neighbours shape each frame.
    vae->decMidMix->conv->weight.normal_(0.0, 0.1);
    auto mixed = vae->decode(z);
    auto mixedAlone = vae->decode(z.narrow(2, 2, 1));
    EXPECT_GT((mixed.narrow(2, 2, 1) - mixedAlone).abs().max().item<float>(), 1e-4);
}

TEST_F(TinyModels, UNetMapsConditionedInputToLatentShape)
{
    UNet3d unet(config);
    TextEncoder enc(config);
    const int64_t c = config.latentChannels;
    auto x = torch::randn({ 2, 2 * c + 1, 4, 8, 8 });
    auto text = enc->forward(enc->tokenize({ "a red circle", "" }));
    auto mask = enc->tokenize({ "a red circle", "" }).mask;
    auto out = unet->forward(x, torch::tensor({ 10.0f, 900.0f }), text, mask);
    EXPECT_EQ(out.sizes(), (std::vector<int64_t> { 2, c, 4, 8, 8 }));
    EXPECT_THROW(unet->forward(torch::randn({ 1, 2 * c + 1, 4, 7, 8 }), torch::tensor({ 1.0f }),
                     text.narrow(0, 0, 1), mask.narrow(0, 0, 1)),
        c10::Error);
}

TEST_F(TinyModels, EveryParameterShapesTheOutput)
{
    UNet3d unet(config);
    TextEncoder enc(config);
    VideoVae vae(config);
    // Zero-initialised temporal outputs would hide the layers behind them from the gradient.
    perturbAll(*unet, 0.02);
    perturbAll(*vae, 0.02);
    const int64_t c = config.latentChannels;
    auto tokens = enc->tokenize({ "a green star moving up", "a" });
    auto out = unet->forward(torch::randn({ 2, 2 * c + 1, 3, 4, 4 }), torch::tensor({ 5.0f, 500.0f }),
        enc->forward(tokens), tokens.mask);
    auto [mean, logvar] = vae->encode(torch::rand({ 1, 3, 3, 8, 8 }));
    auto loss = out.square().mean() + vae->decode(mean).square().mean() + logvar.mean();
    loss.backward();
    for (auto* module : std::initializer_list<torch::nn::Module*> { unet.get(), enc.get(), vae.get() }) {
        for (const auto& p : module->named_parameters()) {
            ASSERT_TRUE(p.value().grad().defined()) << p.key() << " is not used";
            EXPECT_GT(p.value().grad().abs().max().item<float>(), 0.0f) << p.key() << " gets no gradient";
        }
    }
}

TEST_F(TinyModels, UNetListensToTextMaskAndTime)
{
    UNet3d unet(config);
    TextEncoder enc(config);
    perturbAll(*unet, 0.02);
    unet->eval();
    torch::NoGradGuard noGrad;
    const int64_t c = config.latentChannels;
    auto x = torch::randn({ 1, 2 * c + 1, 3, 8, 8 });
    auto run = [&](const std::string& prompt, const at::Tensor& input, float t) {
        auto tokens = enc->tokenize({ prompt });
        return unet->forward(input, torch::tensor({ t }), enc->forward(tokens), tokens.mask);
    };
    auto base = run("a red circle", x, 100.0f);
    EXPECT_TRUE(torch::equal(base, run("a red circle", x, 100.0f)));
    EXPECT_GT((base - run("a blue square", x, 100.0f)).abs().max().item<float>(), 1e-5);
    EXPECT_GT((base - run("a red circle", x, 800.0f)).abs().max().item<float>(), 1e-5);
    auto masked = x.clone();
    masked.narrow(1, 2 * c, 1).fill_(1.0);
    EXPECT_GT((base - run("a red circle", masked, 100.0f)).abs().max().item<float>(), 1e-5);
}
