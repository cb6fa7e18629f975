// One conv-heavy training step of a small video denoiser-like network (factorized space/time
// convolutions on a [B, C, T, H, W] clip), timed on the CPU. Prints the LibTorch version, the
// thread count and the median step time, so that two LibTorch builds can be compared.

#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <thread>
#include <vector>

namespace {

struct BlockImpl : torch::nn::Module {
    torch::nn::Conv3d spatial { nullptr }, temporal { nullptr };
    torch::nn::GroupNorm norm { nullptr };
    explicit BlockImpl(int64_t ch)
    {
        spatial = register_module(
            "spatial", torch::nn::Conv3d(torch::nn::Conv3dOptions(ch, ch, { 1, 3, 3 }).padding({ 0, 1, 1 })));
        temporal = register_module("temporal",
            torch::nn::Conv3d(torch::nn::Conv3dOptions(ch, ch, { 3, 1, 1 }).padding({ 1, 0, 0 })));
        norm = register_module("norm", torch::nn::GroupNorm(8, ch));
    }
    torch::Tensor forward(const torch::Tensor& x)
    {
        return x + temporal(torch::silu(spatial(torch::silu(norm(x)))));
    }
};
TORCH_MODULE(Block);

} // namespace

int main()
{
    torch::manual_seed(0);
    // Both builds get every core; Debian's 1.13 starts with one intra-op thread.
    torch::set_num_threads(static_cast<int>(std::thread::hardware_concurrency()));
    const int64_t ch = 64;
    torch::nn::Sequential net(
        torch::nn::Conv3d(torch::nn::Conv3dOptions(4, ch, { 1, 3, 3 }).padding({ 0, 1, 1 })), Block(ch),
        Block(ch), Block(ch), Block(ch),
        torch::nn::Conv3d(torch::nn::Conv3dOptions(ch, 4, { 1, 3, 3 }).padding({ 0, 1, 1 })));
    torch::optim::AdamW opt(net->parameters(), torch::optim::AdamWOptions(1e-4));
    auto x = torch::randn({ 2, 4, 8, 32, 32 });
    auto target = torch::randn({ 2, 4, 8, 32, 32 });

    std::vector<double> ms;
    for (int i = 0; i < 8; ++i) {
        const auto t0 = std::chrono::steady_clock::now();
        opt.zero_grad();
        auto loss = torch::mse_loss(net->forward(x), target);
        loss.backward();
        opt.step();
        const auto t1 = std::chrono::steady_clock::now();
        if (i >= 2) // warm-up steps excluded
            ms.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
    }
    std::sort(ms.begin(), ms.end());
    std::printf("libtorch %d.%d.%d threads %d median_step_ms %.1f\n", TORCH_VERSION_MAJOR,
        TORCH_VERSION_MINOR, TORCH_VERSION_PATCH, torch::get_num_threads(), ms[ms.size() / 2]);
    return 0;
}
