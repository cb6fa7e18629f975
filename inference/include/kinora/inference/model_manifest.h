#pragma once
// The manifest of a model pack (`kinora-model.json`): what the weights are, how their latents and
// noise schedule work, and the defaults a new take starts from. Parsed and checked without
// LibTorch; the weights themselves are checked against the architecture when they are loaded.

#include <array>
#include <filesystem>
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace kinora::inference {

// Every problem found in a model pack, one per line, so a user sees all of them at once.
class ModelPackError : public std::runtime_error {
public:
    ModelPackError(const std::string& where, std::vector<std::string> problems);
    const std::vector<std::string>& problems() const { return m_problems; }

private:
    std::vector<std::string> m_problems;
};

struct ManifestSchedule {
    std::string kind = "scaled_linear"; // linear | scaled_linear | cosine | flow
    int trainSteps = 1000;
    double betaStart = 0.00085;
    double betaEnd = 0.012;
    bool zeroTerminalSnr = false;
    double shift = 1.0; // flow matching only
    // Flow matching only: where the sampler's levels lie and what the model is told
    // (FlowGrid, schedule.h): "even" (Kinora's own, the default, so older manifests keep their
    // meaning), "diffusers-unipc" (WanPipeline's UniPCMultistepScheduler grid: integer model
    // timesteps) or "diffusers-euler" (FlowMatchEulerDiscreteScheduler's). JSON: schedule.flow_grid.
    std::string flowGrid = "even";
};

struct ManifestDefaults {
    int width = 64;
    int height = 64;
    int frames = 16;
    double fps = 8.0;
    int steps = 20;
    double guidance = 5.0;
    std::string sampler = "dpm++2m"; // ddpm | ddim | euler | euler-a | dpm++2m | flow-euler | unipc
};

struct ModelManifest {
    static constexpr int kFormatVersion = 1;

    std::string name;
    std::string family; // "kinora-native" (trained by Kinora) or "wan2.1" (wan/wan_folder.h)
    std::string version; // of the weights
    std::string config; // architecture size within the family: "tiny", "default", ...
    std::map<std::string, std::string>
        components; // role ("vae", "denoiser", ...) -> file in the pack (a path under it)
    int latentChannels = 4;
    int spatialCompression = 8;
    int temporalCompression = 1;
    // The multiple every working width and height must be (latent.size_multiple, optional): 0 = the
    // family's own rule (task_plan.h's latentGeometry).
    int sizeMultiple = 0;
    double latentScale = 1.0;
    ManifestSchedule schedule;
    std::string prediction = "v"; // eps | v | x0 | flow
    ManifestDefaults defaults;
    // Cheap preview: rgb = latentToRgb * latent + rgbBias, one row of 3 per latent channel.
    std::vector<std::array<double, 3>> latentToRgb;
    std::array<double, 3> rgbBias { 0.0, 0.0, 0.0 };
    // The words the pack's text encoder has tokens for (JSON "vocabulary", optional): empty when it
    // reads any text (bytes, umT5). The prompt editor completes these and flags other words.
    std::vector<std::string> vocabulary;

    std::string toJson() const;
};

// Parses manifest text; `where` names the file in errors. Throws ModelPackError listing every problem.
ModelManifest parseModelManifest(std::string_view json, const std::string& where);

// Reads `<dir>/kinora-model.json` and checks that every component file exists in `dir`. A folder
// without one that holds Wan 2.1 weights as downloaded gets the manifest Kinora makes for it
// (wan/wan_folder.h).
ModelManifest loadModelManifest(const std::filesystem::path& dir);

// Whether `dir` is a pack a job can name: it has a kinora-model.json, or holds Wan weights.
bool isModelPackFolder(const std::filesystem::path& dir);

inline constexpr const char* kManifestFileName = "kinora-model.json";

} // namespace kinora::inference
