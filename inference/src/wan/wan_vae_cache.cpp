// The causal cache of the Wan VAE's chunked encode and decode: the reference's feat_cache /
// feat_idx protocol (wan/modules/vae.py; diffusers' autoencoder_kl_wan.py), one slot per visit.

#include "kinora/inference/wan/wan_vae_blocks.h"

#include <torch/torch.h>

#include <algorithm>

namespace kinora::inference::wan {

namespace {

// x's last n frames (fewer when x has fewer), copied: a view would keep the whole chunk alive.
at::Tensor lastFrames(const at::Tensor& x, int64_t n)
{
    const auto t = x.size(2);
    n = std::min(n, t);
    return x.narrow(2, t - n, n).clone();
}

at::Tensor lastFrame(const at::Tensor& x)
{
    return x.narrow(2, x.size(2) - 1, 1);
}

} // namespace

VaeCache::Slot& VaeCache::take()
{
    if (m_next == m_slots.size())
        m_slots.emplace_back();
    return m_slots[m_next++];
}

at::Tensor VaeCache::exchange(const at::Tensor& x)
{
    Slot& slot = take();
    at::Tensor previous = slot.frames; // undefined on the first chunk: the conv pads with zeros
    at::Tensor keep = lastFrames(x, kFrames);
    if (keep.size(2) < kFrames && previous.defined())
        keep = at::cat({ lastFrame(previous).to(keep.device()), keep }, 2);
    slot.state = State::Frames;
    slot.frames = keep;
    return previous;
}

bool VaeCache::upsampleTime(const at::Tensor& x, at::Tensor& context)
{
    Slot& slot = take();
    context = at::Tensor();
    if (slot.state == State::Empty) {
        // The first chunk is not doubled in time: one latent frame makes one video frame.
        slot.state = State::Rep;
        return false;
    }
    at::Tensor keep = lastFrames(x, kFrames);
    if (keep.size(2) < kFrames) {
        // Right after the first chunk the reference keeps a zero frame, not the first frame.
        const auto before
            = slot.state == State::Rep ? at::zeros_like(keep) : lastFrame(slot.frames).to(keep.device());
        keep = at::cat({ before, keep }, 2);
    }
    if (slot.state == State::Frames)
        context = slot.frames;
    slot.state = State::Frames;
    slot.frames = keep;
    return true;
}

bool VaeCache::downsampleTime(const at::Tensor& x, at::Tensor& previous)
{
    Slot& slot = take();
    previous = at::Tensor();
    const bool first = slot.state == State::Empty;
    if (!first)
        previous = slot.frames;
    // The reference keeps the whole first chunk but only ever reads its last frame.
    slot.state = State::Frames;
    slot.frames = lastFrames(x, 1);
    return !first;
}

int64_t VaeCache::bytes() const
{
    int64_t total = 0;
    for (const auto& slot : m_slots)
        if (slot.frames.defined())
            total += static_cast<int64_t>(slot.frames.nbytes());
    return total;
}

int64_t VaeCache::maxFrames() const
{
    int64_t most = 0;
    for (const auto& slot : m_slots)
        if (slot.frames.defined())
            most = std::max(most, slot.frames.size(2));
    return most;
}

} // namespace kinora::inference::wan
