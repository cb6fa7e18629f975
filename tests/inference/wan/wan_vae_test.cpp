// The Wan 2.1 VAE against diffusers' AutoencoderKLWan (fixtures from scripts/wan_fixtures/make_vae.py:
// a tiny configuration with the real topology, its weights with the map between the two namings, the decode
// input and each decoder call's output, the encode input and outputs).

#include "kinora/inference/job_errors.h"
#include "kinora/inference/model_manifest.h"
#include "kinora/inference/safetensors.h"
#include "kinora/inference/wan/wan_vae.h"

#include "../../support/parity.h"
#include "../../support/problems.h"

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <map>
#include <random>
#include <set>

namespace fs = std::filesystem;
using namespace kinora::inference;
using namespace kinora::inference::wan;
using kinora::test::expectParity;

namespace {

const fs::path kFixtures = KINORA_WAN_FIXTURES;

at::Tensor fixture(const std::string& name)
{
    static const SafetensorsFile file(kFixtures / "vae.safetensors");
    return file.load(name).to(at::kFloat);
}

class ScratchDir {
public:
    ScratchDir()
        : m_path(fs::temp_directory_path()
            / ("kinora-wan-vae-" + std::to_string(::getpid()) + "-"
                + std::to_string(std::random_device {}())))
    {
        fs::create_directories(m_path);
    }
    ~ScratchDir() { fs::remove_all(m_path); }
    const fs::path& path() const { return m_path; }

private:
    fs::path m_path;
};

// The weights under the original Wan names: the fixture's tensors renamed by its "original_names"
// map (written by the Python script from the inverse of diffusers' converter, not by our mapping).
const fs::path& originalWeightsFile()
{
    static const ScratchDir dir;
    static const fs::path path = [] {
        const SafetensorsFile file(kFixtures / "vae_weights.safetensors");
        const auto names = nlohmann::json::parse(file.metadata().at("original_names"));
        NamedTensors tensors;
        for (const auto& name : file.names())
            tensors.emplace_back(names.at(name).get<std::string>(), file.load(name));
        saveSafetensors(dir.path() / "vae_original.safetensors", tensors);
        return dir.path() / "vae_original.safetensors";
    }();
    return path;
}

// "diffusers" (the fixture as stored) or "original".
WanWeights weightsOf(const std::string& naming)
{
    return WanWeights::open(
        { naming == "original" ? originalWeightsFile() : kFixtures / "vae_weights.safetensors" });
}

WanVae load(const std::string& naming, c10::ScalarType dtype = at::kFloat)
{
    return loadWanVae(weightsOf(naming), c10::kCPU, dtype);
}

// What WanPipeline hands vae.decode: z / (1 / std) + mean.
at::Tensor unnormalise(WanVae vae, const at::Tensor& z)
{
    const auto& c = vae->config();
    const auto list = [](const std::vector<double>& v) {
        return torch::tensor(std::vector<float>(v.begin(), v.end())).view({ 1, -1, 1, 1, 1 });
    };
    return z / (1.0 / list(c.latentStd)) + list(c.latentMean);
}

// The decoder's chunks before the clamp, through the public blocks and one cache.
std::vector<at::Tensor> decoderChunks(
    WanVae vae, const at::Tensor& z, VaeCache& cache, at::Tensor* conv2 = nullptr)
{
    torch::NoGradGuard noGrad;
    const auto x = vae->conv2->forward(unnormalise(vae, z));
    if (conv2)
        *conv2 = x;
    std::vector<at::Tensor> chunks;
    for (int64_t i = 0; i < x.size(2); ++i) {
        cache.beginChunk();
        chunks.push_back(vae->decoder(x.narrow(2, i, 1), cache));
    }
    return chunks;
}

// The reference's whole-clip decode: its chunks concatenated and clamped.
at::Tensor referenceDecode()
{
    std::vector<at::Tensor> chunks;
    for (int i = 0; i < 4; ++i)
        chunks.push_back(fixture("decode.chunk" + std::to_string(i)));
    return at::cat(chunks, 2).clamp(-1.0, 1.0);
}

} // namespace

TEST(WanVae, ConfigIsReadFromEitherNaming)
{
    for (const std::string naming : { "diffusers", "original" }) {
        const auto c = VaeConfig::fromWeights(weightsOf(naming));
        EXPECT_EQ(c.baseDim, 3) << naming;
        EXPECT_EQ(c.zDim, 16) << naming;
        EXPECT_EQ(c.numResBlocks, 2) << naming;
        EXPECT_EQ(c.dimMult, (std::vector<int64_t> { 1, 2, 4, 4 })) << naming;
        EXPECT_EQ(c.temporalDownsample, (std::vector<bool> { false, true, true })) << naming;
        EXPECT_EQ(c.spatialFactor(), 8);
        EXPECT_EQ(c.temporalFactor(), 4);
        ASSERT_EQ(c.latentStd.size(), 16u);
        EXPECT_DOUBLE_EQ(c.latentMean[7], 1.5508);
        EXPECT_DOUBLE_EQ(c.latentStd[15], 1.9160);
    }
}

TEST(WanVae, RealSizeHasThePublishedTensors)
{
    // The 1.3B's VAE (wan21.md Appendix B), built on the meta device: no memory.
    WanVae vae(VaeConfig {}, at::TensorOptions().device(at::kMeta));
    const auto params = vae->named_parameters();
    int64_t count = 0;
    for (const auto& p : params)
        count += p.value().numel();
    EXPECT_EQ(params.size(), 194u);
    EXPECT_EQ(count, 126892531);
    const std::map<std::string, std::vector<int64_t>> shapes { { "encoder.downsamples.3.shortcut.weight",
                                                                   { 192, 96, 1, 1, 1 } },
        { "encoder.downsamples.5.time_conv.weight", { 192, 192, 3, 1, 1 } },
        { "encoder.middle.1.to_qkv.weight", { 1152, 384, 1, 1 } },
        { "encoder.middle.1.norm.gamma", { 384, 1, 1 } }, { "encoder.head.2.weight", { 32, 384, 3, 3, 3 } },
        { "conv1.weight", { 32, 32, 1, 1, 1 } }, { "conv2.weight", { 16, 16, 1, 1, 1 } },
        { "decoder.upsamples.3.time_conv.weight", { 768, 384, 3, 1, 1 } },
        { "decoder.upsamples.3.resample.1.weight", { 192, 384, 3, 3 } },
        { "decoder.upsamples.4.shortcut.weight", { 384, 192, 1, 1, 1 } },
        { "decoder.upsamples.11.resample.1.weight", { 96, 192, 3, 3 } },
        { "decoder.head.0.gamma", { 96, 1, 1, 1 } }, { "decoder.head.2.weight", { 3, 96, 3, 3, 3 } } };
    for (const auto& [name, shape] : shapes) {
        ASSERT_NE(params.find(name), nullptr) << name;
        EXPECT_EQ(params[name].sizes().vec(), shape) << name;
    }
}

TEST(WanVae, DiffusersNamesMapOntoTheOriginalOnes)
{
    EXPECT_EQ(vaeOriginalName("quant_conv.weight"), "conv1.weight");
    EXPECT_EQ(vaeOriginalName("post_quant_conv.bias"), "conv2.bias");
    EXPECT_EQ(vaeOriginalName("encoder.conv_in.weight"), "encoder.conv1.weight");
    EXPECT_EQ(vaeOriginalName("encoder.down_blocks.3.conv_shortcut.weight"),
        "encoder.downsamples.3.shortcut.weight");
    EXPECT_EQ(
        vaeOriginalName("encoder.down_blocks.5.time_conv.bias"), "encoder.downsamples.5.time_conv.bias");
    EXPECT_EQ(
        vaeOriginalName("encoder.mid_block.attentions.0.to_qkv.weight"), "encoder.middle.1.to_qkv.weight");
    EXPECT_EQ(
        vaeOriginalName("decoder.mid_block.resnets.1.norm2.gamma"), "decoder.middle.2.residual.3.gamma");
    EXPECT_EQ(vaeOriginalName("decoder.up_blocks.1.resnets.0.conv_shortcut.weight"),
        "decoder.upsamples.4.shortcut.weight");
    EXPECT_EQ(
        vaeOriginalName("decoder.up_blocks.3.resnets.2.conv2.bias"), "decoder.upsamples.14.residual.6.bias");
    EXPECT_EQ(vaeOriginalName("decoder.up_blocks.2.upsamplers.0.resample.1.weight"),
        "decoder.upsamples.11.resample.1.weight");
    EXPECT_EQ(vaeOriginalName("decoder.norm_out.gamma"), "decoder.head.0.gamma");
    EXPECT_EQ(vaeOriginalName("decoder.conv_out.weight"), "decoder.head.2.weight");
    EXPECT_EQ(vaeOriginalName("decoder.up_blocks.0.resnets.0.conv1.weight", 3),
        "decoder.upsamples.0.residual.2.weight");
    EXPECT_EQ(vaeOriginalName("decoder.up_blocks.1.upsamplers.0.time_conv.weight", 3),
        "decoder.upsamples.9.time_conv.weight");

    // Every fixture name: the mapped Diffusers names are the original file's (made by the inverse
    // of diffusers' converter), the original names pass unchanged, and they are the module's.
    const auto diffusers = weightsOf("diffusers").names(), original = weightsOf("original").names();
    std::set<std::string> mapped, unchanged, module;
    for (const auto& n : diffusers)
        mapped.insert(vaeOriginalName(n));
    for (const auto& n : original) {
        unchanged.insert(vaeOriginalName(n));
        EXPECT_TRUE(isVaeTensor(n)) << n;
    }
    for (const auto& p : WanVae(VaeConfig::fromWeights(weightsOf("original")))->named_parameters())
        module.insert(p.key());
    const std::set<std::string> originalSet(original.begin(), original.end());
    EXPECT_EQ(mapped, originalSet);
    EXPECT_EQ(unchanged, originalSet);
    EXPECT_EQ(module, originalSet);
    EXPECT_FALSE(isVaeTensor("blocks.0.self_attn.q.weight"));
}

TEST(WanVae, DecodeMatchesTheReferenceChunkByChunk)
{
    auto vae = load("diffusers");
    VaeCache cache;
    at::Tensor conv2;
    const auto chunks = decoderChunks(vae, fixture("decode.z"), cache, &conv2);
    expectParity("decode conv2 (after un-normalising)", conv2, fixture("decode.conv2"));
    ASSERT_EQ(chunks.size(), 4u);
    const char* paths[] = { "first frame", "'Rep' step", "steady state", "steady state" };
    for (size_t i = 0; i < chunks.size(); ++i)
        expectParity("decode chunk " + std::to_string(i) + " (" + paths[i] + ", before the clamp)", chunks[i],
            fixture("decode.chunk" + std::to_string(i)));

    const auto video = vae->decode(fixture("decode.z"));
    EXPECT_EQ(video.sizes(), (std::vector<int64_t> { 1, 3, 13, 32, 48 }));
    expectParity("decode (whole clip, clamped)", video, referenceDecode());
    EXPECT_LE(video.abs().max().item<double>(), 1.0);
}

TEST(WanVae, IntermediatesMatchTheReferenceChunkByChunk)
{
    // Inside each chunk's pass: the decoder's middle and its first up stage (residual blocks, then
    // the up3d whose first two calls are the 'Rep' path), the encoder's middle. A prefix of the
    // blocks visits a prefix of the cache's slots, so one cache per side serves every chunk.
    auto vae = load("diffusers");
    torch::NoGradGuard noGrad;
    const auto run = [](at::Tensor y, const std::vector<std::shared_ptr<VaeBlock>>& blocks, size_t count,
                         VaeCache& cache) {
        for (size_t i = 0; i < count; ++i)
            y = blocks[i]->forward(y, cache);
        return y;
    };
    auto& decoder = vae->decoder;
    const auto stage0 = static_cast<size_t>(vae->config().numResBlocks + 2);
    const auto x = fixture("decode.conv2");
    VaeCache decodeCache;
    for (int64_t i = 0; i < x.size(2); ++i) {
        decodeCache.beginChunk();
        const auto n = std::to_string(i);
        auto y = decoder->conv1->forward(x.narrow(2, i, 1), decodeCache);
        y = run(y, decoder->middle, decoder->middle.size(), decodeCache);
        expectParity("decode chunk " + n + " middle", y, fixture("decode.middle" + n));
        y = run(y, decoder->upsamples, stage0, decodeCache);
        expectParity("decode chunk " + n + " first up stage", y, fixture("decode.up0" + n));
    }

    auto& encoder = vae->encoder;
    const auto video = fixture("encode.x");
    VaeCache encodeCache;
    for (int64_t i = 0, start = 0; start < video.size(2); start += i++ == 0 ? 1 : 4) {
        encodeCache.beginChunk();
        auto y = encoder->conv1->forward(video.narrow(2, start, start == 0 ? 1 : 4), encodeCache);
        y = run(y, encoder->downsamples, encoder->downsamples.size(), encodeCache);
        y = run(y, encoder->middle, encoder->middle.size(), encodeCache);
        expectParity(
            "encode chunk " + std::to_string(i) + " middle", y, fixture("encode.middle" + std::to_string(i)));
    }
}

TEST(WanVae, EncodeMatchesTheReference)
{
    auto vae = load("diffusers");
    const auto x = fixture("encode.x");
    {
        // The encoder in chunks of 1, 4, 4, 4 frames, then conv1 (quant_conv): μ and log σ².
        torch::NoGradGuard noGrad;
        VaeCache cache;
        std::vector<at::Tensor> parts;
        for (int64_t start = 0; start < x.size(2); start += start == 0 ? 1 : 4) {
            cache.beginChunk();
            parts.push_back(vae->encoder(x.narrow(2, start, start == 0 ? 1 : 4), cache));
        }
        expectParity(
            "encode h (quant_conv output)", vae->conv1->forward(at::cat(parts, 2)), fixture("encode.h"));
    }
    const auto latents = vae->encode(x);
    EXPECT_EQ(latents.sizes(), (std::vector<int64_t> { 1, 16, 4, 4, 6 }));
    expectParity("encode (normalised mean)", latents, fixture("encode.out"));
}

TEST(WanVae, BothNamingsGiveIdenticalOutputs)
{
    auto a = load("diffusers"), b = load("original");
    const auto z = fixture("decode.z"), x = fixture("encode.x");
    EXPECT_TRUE(torch::equal(a->decode(z), b->decode(z)));
    EXPECT_TRUE(torch::equal(a->encode(x), b->encode(x)));
}

TEST(WanVae, ChunkedDecodeHasNoSeam)
{
    // A longer clip whose first 4 latent frames are the fixture's: its first 13 frames are the
    // reference's whole-clip decode of those 4 (the reference decodes chunk by chunk too, so this
    // is the clip the reference makes, boundaries included), and a later chunk never changes an
    // earlier one.
    auto vae = load("original");
    torch::manual_seed(3);
    const auto z = at::cat({ fixture("decode.z"), torch::randn({ 1, 16, 5, 4, 6 }) }, 2);
    const auto video = vae->decode(z);
    EXPECT_EQ(video.size(2), 33);
    expectParity(
        "decode (9 latent frames, first 13 video frames)", video.narrow(2, 0, 13), referenceDecode());
    EXPECT_TRUE(torch::equal(video.narrow(2, 0, 13), vae->decode(fixture("decode.z"))));
}

TEST(WanVae, LoadReportsEveryProblemAtOnce)
{
    const SafetensorsFile file(originalWeightsFile());
    NamedTensors tensors;
    for (const auto& name : file.names())
        if (name != "decoder.middle.1.proj.bias")
            tensors.emplace_back(
                name, name == "encoder.head.2.bias" ? torch::zeros({ 31 }) : file.tensor(name));
    tensors.emplace_back("decoder.middle.3.proj.bias", torch::zeros({ 12 }));
    const ScratchDir dir;
    saveSafetensors(dir.path() / "vae.safetensors", tensors);
    try {
        loadWanVae(WanWeights::open({ dir.path() / "vae.safetensors" }), c10::kCPU, at::kFloat);
        FAIL() << "loaded";
    } catch (const ModelPackError& e) {
        EXPECT_EQ(e.problems().size(), 3u) << e.what();
        EXPECT_TRUE(kinora::test::mentions(e.problems(), "missing decoder.middle.1.proj.bias")) << e.what();
        EXPECT_TRUE(kinora::test::mentions(e.problems(), "encoder.head.2.bias is [31], expected [32]"))
            << e.what();
        EXPECT_TRUE(kinora::test::mentions(e.problems(), "unexpected decoder.middle.3.proj.bias"))
            << e.what();
    }
}

TEST(WanVae, CancelStopsBetweenChunks)
{
    auto vae = load("original");
    int polls = 0;
    const auto cancelThird = [&] { return ++polls == 3; };
    EXPECT_THROW(vae->decode(fixture("decode.z"), cancelThird), PipelineCancelled);
    EXPECT_EQ(polls, 3);
    polls = 0;
    EXPECT_THROW(vae->encode(fixture("encode.x"), cancelThird), PipelineCancelled);
    EXPECT_EQ(polls, 3);
    polls = 0;
    vae->decode(fixture("decode.z"), [&] { return ++polls > 4; });
    EXPECT_EQ(polls, 4); // once per latent frame
}

TEST(WanVae, Bf16DecodeTracksFp32)
{
    // The norms run in fp32 for 16-bit inputs; the rest in bf16 stays close to the fp32 result.
    const auto z = fixture("decode.z");
    const auto full = load("original")->decode(z);
    const auto half = load("original", at::kBFloat16)->decode(z).to(at::kFloat);
    EXPECT_EQ(half.sizes(), full.sizes());
    const double cosine = (full * half).sum().item<double>() / (full.norm() * half.norm()).item<double>();
    EXPECT_GT(cosine, 0.99);
}

TEST(WanVae, InvalidShapesAreRefused)
{
    auto vae = load("original");
    EXPECT_THROW(vae->decode(torch::zeros({ 1, 8, 2, 4, 4 })), std::invalid_argument);
    EXPECT_THROW(vae->encode(torch::zeros({ 1, 3, 4, 32, 48 })), std::invalid_argument);
    EXPECT_THROW(vae->encode(torch::zeros({ 1, 3, 5, 30, 48 })), std::invalid_argument);
}
