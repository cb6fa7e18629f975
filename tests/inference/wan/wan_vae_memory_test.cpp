// The Wan VAE's chunked decode holds one chunk's activations whatever the clip's length: checked by
// the cache's size after each chunk, and by the peak of the bytes LibTorch allocates on the CPU
// (a counting allocator put in front of c10's default one for the test's duration).

#include "kinora/inference/wan/wan_vae.h"

#include <c10/core/CPUAllocator.h>
#include <c10/core/impl/alloc_cpu.h>
#include <torch/torch.h>

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <mutex>
#include <unordered_map>

namespace fs = std::filesystem;
using namespace kinora::inference::wan;

namespace {

WanVae loadFixtureVae()
{
    return loadWanVae(WanWeights::open({ fs::path(KINORA_WAN_FIXTURES) / "vae_weights.safetensors" }),
        c10::kCPU, at::kFloat);
}

// Counts the bytes live in CPU tensors and their peak. Context == data, so the raw interface works.
class CountingAllocator final : public c10::Allocator {
public:
    static CountingAllocator& instance()
    {
        static CountingAllocator allocator; // never destroyed: tensors may outlive the test
        return allocator;
    }

    c10::DataPtr allocate(size_t n) override
    {
        void* data = c10::alloc_cpu(n);
        std::lock_guard lock(m_mutex);
        m_sizes[data] = n;
        m_live += static_cast<int64_t>(n);
        m_peak = std::max(m_peak, m_live);
        return { data, data, &release, c10::Device(c10::kCPU) };
    }
    c10::DeleterFnPtr raw_deleter() const override { return &release; }
    void copy_data(void* dest, const void* src, std::size_t count) const override
    {
        default_copy_data(dest, src, count);
    }

    // Restarts the peak from what is live now; returns the live bytes.
    int64_t resetPeak()
    {
        std::lock_guard lock(m_mutex);
        return m_peak = m_live;
    }
    int64_t peak()
    {
        std::lock_guard lock(m_mutex);
        return m_peak;
    }

private:
    static void release(void* data)
    {
        auto& self = instance();
        {
            std::lock_guard lock(self.m_mutex);
            const auto it = self.m_sizes.find(data);
            if (it != self.m_sizes.end()) {
                self.m_live -= static_cast<int64_t>(it->second);
                self.m_sizes.erase(it);
            }
        }
        c10::free_cpu(data);
    }

    std::mutex m_mutex;
    std::unordered_map<void*, size_t> m_sizes;
    int64_t m_live = 0, m_peak = 0;
};

// Installs the counting allocator for its lifetime (priority 0, as c10's default one).
class CountingScope {
public:
    CountingScope()
        : m_previous(c10::GetCPUAllocator())
    {
        c10::SetCPUAllocator(&CountingAllocator::instance(), 0);
    }
    ~CountingScope() { c10::SetCPUAllocator(m_previous, 0); }

private:
    c10::Allocator* m_previous;
};

// Bytes allocated at the peak of a decode of `frames` latent frames, beyond the output itself.
int64_t decodeWorkingSet(WanVae vae, int64_t frames)
{
    torch::manual_seed(5);
    const auto z = torch::randn({ 1, 16, frames, 8, 8 });
    auto& counter = CountingAllocator::instance();
    const int64_t before = counter.resetPeak();
    const auto video = vae->decode(z);
    const int64_t extra = counter.peak() - before - static_cast<int64_t>(video.nbytes());
    std::fprintf(stderr,
        "[memory] wan vae decode of %lld latent frames (%lld video frames of 64x64): peak %.1f KiB "
        "beyond the %.1f KiB output\n",
        static_cast<long long>(frames), static_cast<long long>(video.size(2)), extra / 1024.0,
        video.nbytes() / 1024.0);
    return extra;
}

} // namespace

TEST(WanVaeMemory, CacheHoldsTwoFramesPerLayerWhateverTheLength)
{
    auto vae = loadFixtureVae();
    torch::NoGradGuard noGrad;
    torch::manual_seed(4);
    const auto x = vae->conv2->forward(torch::randn({ 1, 16, 9, 4, 6 }));
    VaeCache cache;
    std::vector<int64_t> bytes;
    size_t slots = 0;
    for (int64_t i = 0; i < x.size(2); ++i) {
        cache.beginChunk();
        const auto chunk = vae->decoder(x.narrow(2, i, 1), cache);
        EXPECT_EQ(chunk.size(2), i == 0 ? 1 : 4);
        EXPECT_LE(cache.maxFrames(), VaeCache::kFrames);
        slots = i == 0 ? cache.visited() : slots;
        EXPECT_EQ(cache.visited(), slots) << "every chunk visits the same slots";
        bytes.push_back(cache.bytes());
    }
    // decoder.conv1, 2 x 14 residual blocks, the two up3d time_convs, the head: 32 (the reference
    // sizes its list at 33, counting the 1x1x1 shortcut, which is never cached).
    EXPECT_EQ(slots, 32u);
    // From the third chunk on (both up3d slots past 'Rep'), the cache no longer grows.
    for (size_t i = 3; i < bytes.size(); ++i)
        EXPECT_EQ(bytes[i], bytes[2]) << "chunk " << i;
}

TEST(WanVaeMemory, DecodePeakDoesNotGrowWithTheClip)
{
    auto vae = loadFixtureVae();
    const CountingScope counting;
    {
        const auto probe = torch::empty({ 1000 }, at::kFloat);
        ASSERT_GE(CountingAllocator::instance().resetPeak(), 4000) << "the counting allocator is not used";
    }
    const auto short3 = decodeWorkingSet(vae, 3); // first frame, 'Rep' and one steady-state chunk
    const auto long9 = decodeWorkingSet(vae, 9); // six more steady-state chunks
    EXPECT_GT(short3, 0);
    // A whole-clip pass would hold 33 frames of activations instead of 4-5: allow 10% for noise.
    EXPECT_LE(long9, short3 + short3 / 10);
    ::testing::Test::RecordProperty(
        "decode peak beyond output, 3 latent frames (bytes)", std::to_string(short3));
    ::testing::Test::RecordProperty(
        "decode peak beyond output, 9 latent frames (bytes)", std::to_string(long9));
}
