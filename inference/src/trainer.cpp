#include "kinora/inference/trainer.h"

#include "kinora/inference/pipeline.h"
#include "kinora/inference/safetensors.h"

#include <ATen/CPUGeneratorImpl.h>
#include <ATen/autocast_mode.h>
#include <torch/torch.h>

#include <chrono>
#include <cmath>
#include <numbers>

namespace kinora::inference {

namespace {

using Clock = std::chrono::steady_clock;

std::vector<at::Tensor> parametersOf(std::initializer_list<torch::nn::Module*> modules)
{
    std::vector<at::Tensor> params;
    for (auto* module : modules)
        for (auto& p : module->parameters())
            params.push_back(p);
    return params;
}

// The moving average of a parameter list. Its decay ramps up as (1 + n) / (10 + n) over the first
// updates, so early weights do not linger in it.
class WeightAverage {
public:
    explicit WeightAverage(double decay)
        : m_decay(decay)
    {
    }
    bool enabled() const { return m_decay > 0; }
    bool active() const { return !m_shadow.empty(); }
    int64_t updates() const { return m_updates; }
    const std::vector<at::Tensor>& shadow() const { return m_shadow; }

    void start(const std::vector<at::Tensor>& params, int64_t updates = 0)
    {
        torch::NoGradGuard noGrad;
        m_shadow.clear();
        for (const auto& p : params)
            m_shadow.push_back(p.detach().clone());
        m_updates = updates;
    }
    void update(const std::vector<at::Tensor>& params)
    {
        torch::NoGradGuard noGrad;
        const double n = static_cast<double>(m_updates++);
        const double d = std::min(m_decay, (1.0 + n) / (10.0 + n));
        for (size_t i = 0; i < params.size(); ++i)
            m_shadow[i].mul_(d).add_(params[i].detach(), 1.0 - d);
    }
    // Exchanges the parameters' values with the average's.
    void swap(const std::vector<at::Tensor>& params)
    {
        torch::NoGradGuard noGrad;
        for (size_t i = 0; i < params.size(); ++i) {
            auto raw = params[i].detach().clone();
            params[i].detach().copy_(m_shadow[i]);
            m_shadow[i] = raw;
        }
    }

private:
    double m_decay;
    int64_t m_updates = 0;
    std::vector<at::Tensor> m_shadow;
};

void setLearningRate(torch::optim::AdamW& optimizer, double lr)
{
    for (auto& group : optimizer.param_groups())
        static_cast<torch::optim::AdamWOptions&>(group.options()).lr(lr);
}

// Adam moments as plain tensors, so training state is safetensors like everything else (never
// pickle). Parameters are matched by their order, which the architecture fixes.
void saveMoments(torch::optim::AdamW& optimizer, const std::vector<at::Tensor>& params,
    const std::string& prefix, NamedTensors& out)
{
    for (size_t i = 0; i < params.size(); ++i) {
        auto it = optimizer.state().find(params[i].unsafeGetTensorImpl());
        if (it == optimizer.state().end())
            continue;
        auto& state = static_cast<torch::optim::AdamWParamState&>(*it->second);
        const auto key = prefix + std::to_string(i);
        out.emplace_back(key + ".exp_avg", state.exp_avg());
        out.emplace_back(key + ".exp_avg_sq", state.exp_avg_sq());
        out.emplace_back(key + ".step", torch::tensor(state.step(), torch::kInt64));
    }
}

void loadMoments(torch::optim::AdamW& optimizer, const std::vector<at::Tensor>& params,
    const std::string& prefix, const SafetensorsFile& file, const c10::Device& device)
{
    for (size_t i = 0; i < params.size(); ++i) {
        const auto key = prefix + std::to_string(i);
        if (!file.contains(key + ".exp_avg"))
            continue;
        auto state = std::make_unique<torch::optim::AdamWParamState>();
        state->exp_avg(file.load(key + ".exp_avg", device));
        state->exp_avg_sq(file.load(key + ".exp_avg_sq", device));
        state->step(file.load(key + ".step").item<int64_t>());
        if (state->exp_avg().sizes() != params[i].sizes())
            throw std::runtime_error(file.path().string() + ": optimizer state " + key
                + " does not match the model; remove the training state to start afresh");
        optimizer.state()[params[i].unsafeGetTensorImpl()] = std::move(state);
    }
}

struct Batch {
    at::Tensor video; // [B, 3, T, H, W] in [-1, 1]
    std::vector<std::string> captions;
};

class Run {
public:
    Run(const TrainerOptions& o)
        : m_o(o)
        , m_device(o.device)
    {
    }

    // `frames`, `count`: this batch's clip length and number of clips (0: the run's).
    Batch batch(int step, int frames = 0, int count = 0) const
    {
        std::mt19937_64 rng(m_o.seed * 0x9E3779B97F4A7C15ull + static_cast<uint64_t>(step));
        Batch b;
        std::vector<at::Tensor> clips;
        const int length = frames > 0 ? frames : m_frames;
        for (int i = 0; i < (count > 0 ? count : m_o.batch); ++i) {
            const int rendered = std::max(length, m_o.clipFrames);
            SceneSampling how; // training: bounce, any start, never a held-out combination
            how.frames = rendered;
            how.height = m_height;
            how.width = m_width;
            const auto spec = m_o.clips.empty() ? randomSceneSpec(rng, how)
                                                : m_o.clips[(step * m_o.batch + i) % m_o.clips.size()];
            const int start = std::uniform_int_distribution<int>(0, rendered - length)(rng);
            clips.push_back(
                renderScene(spec, rendered, m_height, m_width, m_device).narrow(1, start, length) * 2 - 1);
            const bool drop = std::uniform_real_distribution<double>(0, 1)(rng) < m_o.textDropout;
            b.captions.push_back(drop ? std::string() : spec.caption());
        }
        b.video = torch::stack(clips);
        return b;
    }

    int frames() const { return m_frames; }

    void setSize(int w, int h, int f)
    {
        m_width = w;
        m_height = h;
        m_frames = f;
    }

private:
    const TrainerOptions& m_o;
    c10::Device m_device;
    int m_width = 0, m_height = 0, m_frames = 0;
};

// Known-latent mask for one sample: a random task, as the pipeline will pose it.
// The hole of an inpainting sample, 1 where the model must make content, at latent resolution
// [T, h, w]: a box, a blob (two to four overlapping ellipses) or a box that moves in a straight line
// across the clip; over every frame, or (a third of the time) over a contiguous run of them only.
at::Tensor inpaintingHole(std::mt19937_64& rng, int64_t frames, int64_t h, int64_t w)
{
    auto real = [&rng](double lo, double hi) { return std::uniform_real_distribution<double>(lo, hi)(rng); };
    auto uniform
        = [&rng](int64_t lo, int64_t hi) { return std::uniform_int_distribution<int64_t>(lo, hi)(rng); };
    const auto ys = torch::arange(h, torch::kFloat32).view({ 1, h, 1 }) + 0.5;
    const auto xs = torch::arange(w, torch::kFloat32).view({ 1, 1, w }) + 0.5;
    at::Tensor hole;
    const double kind = real(0, 1);
    if (kind < 0.4) { // a box
        const double bh = real(0.25, 0.75) * h, bw = real(0.25, 0.75) * w;
        const double y0 = real(0, h - bh), x0 = real(0, w - bw);
        hole = ((ys >= y0) & (ys < y0 + bh) & (xs >= x0) & (xs < x0 + bw)).expand({ frames, h, w });
    } else if (kind < 0.7) { // a blob
        hole = torch::zeros({ 1, h, w }, torch::kBool);
        const double cy = real(0.25, 0.75) * h, cx = real(0.25, 0.75) * w;
        for (int64_t i = 0, n = uniform(2, 4); i < n; ++i) {
            const double ey = cy + real(-0.2, 0.2) * h, ex = cx + real(-0.2, 0.2) * w;
            const double ry = real(0.1, 0.3) * h, rx = real(0.1, 0.3) * w;
            hole = hole | (((ys - ey) / ry).pow(2) + ((xs - ex) / rx).pow(2) <= 1.0);
        }
        hole = hole.expand({ frames, h, w });
    } else { // a box moving from one place to another over the clip
        const double bh = real(0.25, 0.5) * h, bw = real(0.25, 0.5) * w;
        const double y0 = real(0, h - bh), x0 = real(0, w - bw), y1 = real(0, h - bh), x1 = real(0, w - bw);
        const auto t = torch::linspace(0, 1, frames).view({ frames, 1, 1 });
        const auto top = y0 + (y1 - y0) * t, left = x0 + (x1 - x0) * t;
        hole = (ys >= top) & (ys < top + bh) & (xs >= left) & (xs < left + bw);
    }
    hole = hole.to(torch::kFloat32).contiguous();
    if (frames > 2 && real(0, 1) < 1.0 / 3) { // only some frames
        const auto length = uniform(1, frames - 1);
        const auto first = uniform(0, frames - length);
        auto only = torch::zeros({ frames, 1, 1 });
        only.narrow(0, first, length).fill_(1.0);
        hole = hole * only;
    }
    if (hole.sum().item<double>() == 0) // too small to cover a cell: one cell
        hole.select(0, 0).select(0, h / 2).select(0, w / 2).fill_(1.0);
    return hole;
}

// Least-squares fit of RGB in [0, 1] from latents: the pack's cheap per-step preview.
void fitPreview(ModelManifest& manifest, const at::Tensor& latents, const at::Tensor& video)
{
    // latents [B, C, T, h, w] (denoiser scale), video [B, 3, T, H, W] in [-1, 1]
    const auto h = latents.size(3), w = latents.size(4);
    auto rgb = torch::nn::functional::interpolate(((video + 1) / 2).flatten(1, 2),
        torch::nn::functional::InterpolateFuncOptions()
            .size(std::vector<int64_t> { h, w })
            .mode(torch::kArea));
    rgb = rgb.view({ video.size(0), 3, video.size(2), h, w });
    auto x = latents.transpose(0, 1).flatten(1).t().to(torch::kFloat64).cpu(); // [N, C]
    auto y = rgb.transpose(0, 1).flatten(1).t().to(torch::kFloat64).cpu(); // [N, 3]
    auto design = torch::cat({ x, torch::ones({ x.size(0), 1 }, x.options()) }, 1);
    auto solution
        = torch::linalg_solve(design.t().mm(design) + 1e-6 * torch::eye(design.size(1), x.options()),
            design.t().mm(y)); // [C + 1, 3]
    manifest.latentToRgb.clear();
    for (int64_t c = 0; c < x.size(1); ++c)
        manifest.latentToRgb.push_back(
            { solution[c][0].item<double>(), solution[c][1].item<double>(), solution[c][2].item<double>() });
    const auto bias = solution[x.size(1)];
    manifest.rgbBias = { bias[0].item<double>(), bias[1].item<double>(), bias[2].item<double>() };
}

} // namespace

// What a denoiser sample knows, 1 = known, [1, T, h, w] at latent resolution: nothing
// (text-to-video, 30%), all but a hole (inpainting, 20%), keyframes every K frames for a random K
// from 2 to 8 that leaves at least two (interpolation, 25%), or the first frames (extension and
// image-to-video, 25%).
at::Tensor trainingTaskMask(std::mt19937_64& rng, int64_t frames, int64_t h, int64_t w)
{
    auto mask = torch::zeros({ 1, frames, h, w });
    const double u = std::uniform_real_distribution<double>(0, 1)(rng);
    auto uniform
        = [&rng](int64_t lo, int64_t hi) { return std::uniform_int_distribution<int64_t>(lo, hi)(rng); };
    if (u < 0.3)
        return mask; // text-to-video
    if (u < 0.5)
        return (1 - inpaintingHole(rng, frames, h, w)).unsqueeze(0);
    if (u < 0.75 && frames >= 3) { // interpolation
        const int64_t k = uniform(2, std::clamp<int64_t>(frames - 1, 2, 8));
        for (int64_t t = 0; t < frames; t += k)
            mask.narrow(1, t, 1).fill_(1.0);
        return mask;
    }
    // extension and image-to-video: known first frames
    mask.narrow(1, 0, uniform(1, std::max<int64_t>(1, frames / 2))).fill_(1.0);
    return mask;
}

double scheduledLearningRate(double peak, int step, int steps, int warmupSteps, double floor)
{
    if (warmupSteps > 0 && step < warmupSteps)
        return peak * (step + 1) / warmupSteps;
    const int decaySteps = steps - std::max(0, warmupSteps);
    if (decaySteps <= 1)
        return peak;
    const double progress
        = std::clamp(static_cast<double>(step - std::max(0, warmupSteps)) / (decaySteps - 1), 0.0, 1.0);
    return peak * (floor + (1.0 - floor) * 0.5 * (1.0 + std::cos(std::numbers::pi * progress)));
}

namespace {

// Autocast of the forward passes to bfloat16 on `device` for the guard's lifetime, as Python's
// torch.autocast does it (LibTorch has no RAII form of its own).
class BFloat16Autocast {
public:
    BFloat16Autocast(c10::DeviceType device, bool enabled)
        : m_device(device)
        , m_enabled(enabled)
    {
        if (!m_enabled)
            return;
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 4)
        m_wasEnabled = at::autocast::is_autocast_enabled(device);
        m_previousType = at::autocast::get_autocast_dtype(device);
        at::autocast::set_autocast_dtype(device, at::kBFloat16);
        at::autocast::set_autocast_enabled(device, true);
        at::autocast::increment_nesting();
#else
        throw PrecisionUnavailable("bf16 training needs LibTorch 2.4 or newer; train in fp32");
#endif
    }
    ~BFloat16Autocast()
    {
        if (!m_enabled)
            return;
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 4)
        if (at::autocast::decrement_nesting() == 0)
            at::autocast::clear_cache(); // the bf16 copies of the weights made in this pass
        at::autocast::set_autocast_enabled(m_device, m_wasEnabled);
        at::autocast::set_autocast_dtype(m_device, m_previousType);
#endif
    }
    BFloat16Autocast(const BFloat16Autocast&) = delete;
    BFloat16Autocast& operator=(const BFloat16Autocast&) = delete;

private:
    c10::DeviceType m_device;
    bool m_enabled;
    bool m_wasEnabled = false;
    at::ScalarType m_previousType = at::kFloat;
};

} // namespace

TrainResult trainNativeModel(const TrainerOptions& o,
    const std::function<void(const TrainProgress&)>& onProgress, const std::function<bool()>& isCancelled)
{
    namespace fs = std::filesystem;
    const c10::Device device(o.device);
    if (o.precision != "fp32" && o.precision != "bf16")
        throw std::invalid_argument("training precision must be fp32 or bf16, not '" + o.precision + "'");
    const bool bf16 = o.precision == "bf16";
    const auto started = Clock::now();
    const bool resume = !o.output.empty() && fs::exists(o.output / kManifestFileName)
        && fs::exists(o.output / kTrainingStateFileName);
    // Weights stay fp32 whatever the precision: bf16 is autocast around the forward passes.
    TrainResult result { resume ? loadNativePack(o.output, device, "fp32")
                                : createNativeModel(o.config, o.seed) };
    auto& model = result.model;
    if (resume && model.config.name != o.config)
        throw std::runtime_error(o.output.string() + " holds a '" + model.config.name + "' pack, not '"
            + o.config + "'; choose another output folder");
    moveNativeModel(model, device, "fp32");
    if (!resume)
        model.manifest.name = o.name.empty() ? "kinora-" + o.config : o.name;

    Run run(o);
    const auto& d = model.manifest.defaults;
    run.setSize(o.width > 0 ? o.width : d.width, o.height > 0 ? o.height : d.height,
        o.frames > 0 ? o.frames : d.frames);

    auto vaeParams = parametersOf({ model.vae.ptr().get() });
    auto diffusionParams = parametersOf({ model.denoiser.ptr().get(), model.textEncoder.ptr().get() });
    torch::optim::AdamW vaeOptimizer(
        vaeParams, torch::optim::AdamWOptions(o.vaeLearningRate).weight_decay(0.0));
    torch::optim::AdamW optimizer(
        diffusionParams, torch::optim::AdamWOptions(o.learningRate).weight_decay(0.01));

    WeightAverage average(o.emaDecay);
    int step = 0;
    if (resume) {
        SafetensorsFile state(o.output / kTrainingStateFileName);
        step = std::stoi(state.metadata().at("step"));
        loadMoments(vaeOptimizer, vaeParams, "vae.", state, device);
        loadMoments(optimizer, diffusionParams, "diffusion.", state, device);
        // The pack holds the averaged weights; the raw ones the optimizer was moving are here.
        if (state.contains("raw.0")) {
            const auto updates = std::stoll(state.metadata().at("ema_updates"));
            average.start(diffusionParams, updates);
            torch::NoGradGuard noGrad;
            for (size_t i = 0; i < diffusionParams.size(); ++i)
                diffusionParams[i].detach().copy_(state.load("raw." + std::to_string(i), device));
        }
    }
    if (vaeParams.empty() && o.vaeSteps > 0)
        throw std::invalid_argument("config " + o.config + " has no VAE to train: use 0 VAE steps");
    const int total = o.vaeSteps + o.diffusionSteps;
    const int vaeFrames = o.vaeFrames > 0 ? o.vaeFrames : std::min(run.frames(), 4);

    auto checkpoint = [&] {
        if (o.output.empty())
            return;
        const bool averaged = average.active();
        if (averaged)
            average.swap(diffusionParams); // the pack gets the average, the state the raw weights
        saveNativePack(model, o.output);
        NamedTensors state;
        if (averaged) {
            for (size_t i = 0; i < average.shadow().size(); ++i)
                state.emplace_back("raw." + std::to_string(i), average.shadow()[i]);
            average.swap(diffusionParams);
        }
        saveMoments(vaeOptimizer, vaeParams, "vae.", state);
        saveMoments(optimizer, diffusionParams, "diffusion.", state);
        saveSafetensors(o.output / kTrainingStateFileName, state,
            { { "step", std::to_string(step) }, { "ema_updates", std::to_string(average.updates()) } });
    };
    const auto warmupFor = [&o](int phaseSteps) {
        return o.warmupSteps >= 0 ? o.warmupSteps : std::min(500, phaseSteps / 20);
    };
    const auto learningRateAt = [&](double peak, int phaseStep, int phaseSteps) {
        return o.schedule == "constant"
            ? peak
            : scheduledLearningRate(peak, phaseStep, phaseSteps, warmupFor(phaseSteps));
    };
    const int firstStep = step;

    const auto schedule = scheduleOf(model.manifest);
    const auto prediction = predictionOf(model.manifest);
    const auto& alphasCumprod = schedule.alphasCumprod();
    if (alphasCumprod.empty())
        throw std::runtime_error("the trainer supports variance-preserving schedules only");

    // After the VAE phase: the latent scale that gives the denoiser unit-variance data, and the
    // preview matrix fitted on the same latents.
    auto calibrate = [&] {
        torch::NoGradGuard noGrad;
        model.vae->eval();
        std::vector<at::Tensor> means, videos;
        for (int i = 0; i < 4; ++i) {
            auto b = run.batch(-1 - i);
            means.push_back(model.vae->encode(b.video).first);
            videos.push_back(b.video);
        }
        auto latents = torch::cat(means);
        model.manifest.latentScale = 1.0 / std::max(1e-3, latents.std().item<double>());
        fitPreview(model.manifest, latents * model.manifest.latentScale, torch::cat(videos));
    };

    for (; step < total; ++step) {
        if (isCancelled && isCancelled())
            break;
        if (o.maxSeconds > 0 && step > firstStep
            && std::chrono::duration<double>(Clock::now() - started).count() >= o.maxSeconds)
            break;
        // A fixed (space-to-depth) latent needs no VAE phase, only its scale and preview.
        if (step == o.vaeSteps && (o.vaeSteps > 0 || vaeParams.empty()))
            calibrate();
        auto generator = at::make_generator<at::CPUGeneratorImpl>(o.seed * 0x9E3779B97F4A7C15ull + step);
        auto b = step < o.vaeSteps ? run.batch(step, vaeFrames, o.vaeBatch) : run.batch(step);
        double loss = 0;
        double learningRate = 0;
        std::string phase;
        if (step < o.vaeSteps) {
            phase = "vae";
            model.vae->train();
            at::Tensor mean, logvar, reconstruction;
            {
                const BFloat16Autocast autocast(device.type(), bf16);
                std::tie(mean, logvar) = model.vae->encode(b.video);
                mean = mean.to(torch::kFloat32);
                logvar = logvar.to(torch::kFloat32);
                auto eps = torch::randn(mean.sizes(), generator, torch::kFloat32).to(device);
                reconstruction = model.vae->decode(mean + torch::exp(0.5 * logvar) * eps).to(torch::kFloat32);
            }
            auto kl = 0.5 * (mean.pow(2) + logvar.exp() - 1 - logvar).mean();
            auto l = torch::mse_loss(reconstruction, b.video) + 0.1 * torch::l1_loss(reconstruction, b.video)
                + o.klWeight * kl;
            vaeOptimizer.zero_grad();
            l.backward();
            torch::nn::utils::clip_grad_norm_(vaeParams, 1.0);
            learningRate = learningRateAt(o.vaeLearningRate, step, o.vaeSteps);
            setLearningRate(vaeOptimizer, learningRate);
            vaeOptimizer.step();
            loss = l.item<double>();
            result.lastVaeLoss = loss;
        } else {
            phase = "diffusion";
            at::Tensor x0;
            {
                torch::NoGradGuard noGrad;
                model.vae->eval();
                x0 = model.vae->encode(b.video).first * model.manifest.latentScale;
            }
            model.denoiser->train();
            model.textEncoder->train();
            const auto batch = x0.size(0), frames = x0.size(2), h = x0.size(3), w = x0.size(4);
            std::mt19937_64 rng(o.seed ^ (0xD1B54A32D192ED03ull * static_cast<uint64_t>(step + 1)));
            std::vector<at::Tensor> masks;
            for (int64_t i = 0; i < batch; ++i)
                masks.push_back(trainingTaskMask(rng, frames, h, w));
            auto mask = torch::stack(masks).to(device);
            auto timesteps = torch::randint(0, schedule.trainSteps(), { batch }, generator, torch::kInt64);
            std::vector<double> alphas, sigmas;
            for (int64_t i = 0; i < batch; ++i) {
                const auto level = schedule.level(static_cast<double>(timesteps[i].item<int64_t>()));
                alphas.push_back(level.alpha);
                sigmas.push_back(level.sigma);
            }
            auto alpha
                = torch::tensor(alphas, torch::kFloat64).to(device, torch::kFloat32).view({ -1, 1, 1, 1, 1 });
            auto sigma
                = torch::tensor(sigmas, torch::kFloat64).to(device, torch::kFloat32).view({ -1, 1, 1, 1, 1 });
            auto eps = torch::randn(x0.sizes(), generator, torch::kFloat32).to(device);
            auto xt = alpha * x0 + sigma * eps;
            auto target = prediction == Prediction::V ? alpha * eps - sigma * x0
                : prediction == Prediction::Epsilon   ? eps
                                                      : x0;
            auto input = torch::cat({ xt, x0 * mask, mask }, 1);
            auto tokens = model.textEncoder->tokenize(b.captions);
            tokens.ids = tokens.ids.to(device);
            at::Tensor output;
            {
                const BFloat16Autocast autocast(device.type(), bf16);
                auto text = model.textEncoder->forward(tokens);
                output = model.denoiser
                             ->forward(input, timesteps.to(torch::kFloat32).to(device), text,
                                 tokens.mask.to(device))
                             .to(torch::kFloat32);
            }
            // What is known needs no learning: the loss is on the unknown cells (all of them for
            // text-to-video), normalised per sample.
            auto unknown = (1 - mask).expand_as(output);
            auto perSample = ((output - target).pow(2) * unknown).flatten(1).sum(1)
                / unknown.flatten(1).sum(1).clamp_min(1.0);
            if (o.minSnrGamma > 0) {
                // The v-loss is the x0 error weighted by SNR + 1; clamping that weight at γ leaves
                // the noisy levels (layout, colour, motion) as they are and quiets the nearly clean
                // ones. The eps- and x0-losses get the same x0 weight min(SNR, γ), as published.
                std::vector<double> weights;
                for (size_t i = 0; i < alphas.size(); ++i) {
                    const double snr = alphas[i] * alphas[i] / std::max(1e-12, sigmas[i] * sigmas[i]);
                    weights.push_back(prediction == Prediction::V ? std::min(1.0, o.minSnrGamma / (snr + 1))
                            : prediction == Prediction::Epsilon
                            ? std::min(snr, o.minSnrGamma) / std::max(snr, 1e-12)
                            : std::min(snr, o.minSnrGamma));
                }
                perSample = perSample * torch::tensor(weights, torch::kFloat64).to(device, torch::kFloat32);
            }
            auto l = perSample.mean();
            optimizer.zero_grad();
            l.backward();
            torch::nn::utils::clip_grad_norm_(diffusionParams, 1.0);
            learningRate = learningRateAt(o.learningRate, step - o.vaeSteps, o.diffusionSteps);
            setLearningRate(optimizer, learningRate);
            optimizer.step();
            if (average.enabled()) {
                if (!average.active())
                    average.start(diffusionParams);
                else
                    average.update(diffusionParams);
            }
            loss = l.item<double>();
            result.lastDiffusionLoss = loss;
        }
        ++result.stepsRun;
        if (onProgress) {
            const double seconds = std::chrono::duration<double>(Clock::now() - started).count();
            const double pace = seconds / (step + 1 - firstStep);
            onProgress({ phase, step + 1, total, loss, learningRate, seconds, pace * (total - step - 1) });
        }
        if (o.checkpointEvery > 0 && (step + 1) % o.checkpointEvery == 0 && step + 1 < total) {
            ++step;
            checkpoint();
            --step;
        }
    }
    if (o.diffusionSteps == 0 && o.vaeSteps > 0 && step == total)
        calibrate();
    for (auto& [role, module] : model.components())
        module->eval();
    checkpoint();
    if (average.active())
        average.swap(diffusionParams); // the model returned is the pack's: the average
    return result;
}

} // namespace kinora::inference
