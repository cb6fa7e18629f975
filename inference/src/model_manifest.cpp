#include "kinora/inference/model_manifest.h"

#include "kinora/inference/wan/wan_folder.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <sstream>

namespace kinora::inference {

namespace {

std::string joinProblems(const std::string& where, const std::vector<std::string>& problems)
{
    std::string text = where + ": not a valid model pack:";
    for (const auto& p : problems)
        text += "\n  - " + p;
    return text;
}

// Reads fields one by one, recording every problem instead of stopping at the first.
class FieldReader {
public:
    FieldReader(const nlohmann::json& root, std::vector<std::string>& problems)
        : m_root(root)
        , m_problems(problems)
    {
    }

    const nlohmann::json* find(const std::string& path, bool required) const
    {
        const nlohmann::json* node = &m_root;
        std::string::size_type start = 0;
        while (start <= path.size()) {
            const auto dot = path.find('.', start);
            const std::string key
                = path.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
            if (!node->is_object() || !node->contains(key)) {
                if (required)
                    m_problems.push_back(path + " is missing");
                return nullptr;
            }
            node = &(*node)[key];
            if (dot == std::string::npos)
                break;
            start = dot + 1;
        }
        return node;
    }

    void string(const std::string& path, std::string& out, bool required,
        const std::vector<std::string>& allowed = {}) const
    {
        const auto* node = find(path, required);
        if (node == nullptr)
            return;
        if (!node->is_string() || node->get<std::string>().empty()) {
            m_problems.push_back(path + " must be a non-empty string (got " + node->dump() + ")");
            return;
        }
        const auto value = node->get<std::string>();
        if (!allowed.empty() && std::find(allowed.begin(), allowed.end(), value) == allowed.end()) {
            std::string list;
            for (const auto& a : allowed)
                list += (list.empty() ? "" : ", ") + a;
            m_problems.push_back(path + " must be one of " + list + " (got \"" + value + "\")");
            return;
        }
        out = value;
    }

    void positiveInt(const std::string& path, int& out, bool required) const
    {
        const auto* node = find(path, required);
        if (node == nullptr)
            return;
        if (!node->is_number_integer() || node->get<long long>() <= 0 || node->get<long long>() > 1'000'000) {
            m_problems.push_back(path + " must be a positive integer (got " + node->dump() + ")");
            return;
        }
        out = node->get<int>();
    }

    void number(const std::string& path, double& out, bool required, double min, double max) const
    {
        const auto* node = find(path, required);
        if (node == nullptr)
            return;
        if (!node->is_number() || node->get<double>() < min || node->get<double>() > max) {
            std::ostringstream range;
            range << path << " must be a number in [" << min << ", " << max << "] (got " << node->dump()
                  << ")";
            m_problems.push_back(range.str());
            return;
        }
        out = node->get<double>();
    }

    void boolean(const std::string& path, bool& out) const
    {
        const auto* node = find(path, false);
        if (node == nullptr)
            return;
        if (!node->is_boolean()) {
            m_problems.push_back(path + " must be true or false (got " + node->dump() + ")");
            return;
        }
        out = node->get<bool>();
    }

private:
    const nlohmann::json& m_root;
    std::vector<std::string>& m_problems;
};

// A path inside the pack: relative, '/'-separated, no "." or ".." step (a Wan folder's components
// sit in subfolders such as transformer/).
bool isInsidePack(const std::string& name)
{
    if (name.empty() || name.front() == '/' || name.find('\\') != std::string::npos)
        return false;
    size_t start = 0;
    while (start <= name.size()) {
        const size_t end = std::min(name.find('/', start), name.size());
        const auto step = name.substr(start, end - start);
        if (step.empty() || step == "." || step == "..")
            return false;
        start = end + 1;
    }
    return true;
}

// What a component may be: safetensors weights, a Diffusers index of safetensors shards, or (the
// tokenizer) a SentencePiece model; never a pickle.
bool isLoadableComponent(const std::string& role, const std::string& file)
{
    return (file.size() > 12 && file.ends_with(".safetensors"))
        || (file.size() > 23 && file.ends_with(".safetensors.index.json"))
        || (role == "tokenizer" && file.ends_with(".model"));
}

} // namespace

ModelPackError::ModelPackError(const std::string& where, std::vector<std::string> problems)
    : std::runtime_error(joinProblems(where, problems))
    , m_problems(std::move(problems))
{
}

ModelManifest parseModelManifest(std::string_view json, const std::string& where)
{
    nlohmann::json root;
    try {
        root = nlohmann::json::parse(json);
    } catch (const nlohmann::json::parse_error& e) {
        throw ModelPackError(where, { std::string("not valid JSON: ") + e.what() });
    }
    if (!root.is_object())
        throw ModelPackError(where, { "the manifest must be a JSON object" });

    std::vector<std::string> problems;
    FieldReader read(root, problems);
    ModelManifest m;

    int formatVersion = 0;
    read.positiveInt("format_version", formatVersion, true);
    if (formatVersion > ModelManifest::kFormatVersion)
        problems.push_back("format_version " + std::to_string(formatVersion)
            + " is newer than this Kinora understands (" + std::to_string(ModelManifest::kFormatVersion)
            + "): update Kinora");
    read.string("name", m.name, true);
    read.string("family", m.family, true, { "kinora-native", "wan2.1" });
    read.string("version", m.version, true);
    read.string("config", m.config, true);

    if (const auto* comps = read.find("components", true)) {
        if (!comps->is_object() || comps->empty()) {
            problems.push_back("components must be an object mapping roles to weight files");
        } else {
            for (const auto& [role, file] : comps->items()) {
                if (!file.is_string() || !isInsidePack(file.get<std::string>()))
                    problems.push_back(
                        "components." + role + " must name a file inside the pack (got " + file.dump() + ")");
                else if (!isLoadableComponent(role, file.get<std::string>()))
                    problems.push_back("components." + role + " must be a .safetensors file (got "
                        + file.dump() + "): Kinora never loads pickled weights");
                else
                    m.components[role] = file.get<std::string>();
            }
        }
    }

    read.positiveInt("latent.channels", m.latentChannels, true);
    read.positiveInt("latent.spatial_compression", m.spatialCompression, true);
    read.positiveInt("latent.temporal_compression", m.temporalCompression, true);
    read.positiveInt("latent.size_multiple", m.sizeMultiple, false);
    read.number("latent.scale", m.latentScale, false, 1e-6, 1e6);
    if (m.sizeMultiple % m.spatialCompression != 0)
        problems.push_back("latent.size_multiple (" + std::to_string(m.sizeMultiple)
            + ") must be a multiple of latent.spatial_compression (" + std::to_string(m.spatialCompression)
            + ")");

    read.string("schedule.kind", m.schedule.kind, true, { "linear", "scaled_linear", "cosine", "flow" });
    read.positiveInt("schedule.train_steps", m.schedule.trainSteps, false);
    read.number("schedule.beta_start", m.schedule.betaStart, false, 0.0, 1.0);
    read.number("schedule.beta_end", m.schedule.betaEnd, false, 0.0, 1.0);
    read.boolean("schedule.zero_terminal_snr", m.schedule.zeroTerminalSnr);
    read.number("schedule.shift", m.schedule.shift, false, 1e-3, 1e3);
    read.string(
        "schedule.flow_grid", m.schedule.flowGrid, false, { "even", "diffusers-unipc", "diffusers-euler" });
    if (m.schedule.flowGrid != "even" && m.schedule.kind != "flow")
        problems.push_back("schedule.flow_grid \"" + m.schedule.flowGrid
            + "\" is for flow-matching schedules (schedule.kind \"flow\")");
    if (m.schedule.betaStart >= m.schedule.betaEnd)
        problems.push_back("schedule.beta_start must be below schedule.beta_end");

    read.string("prediction", m.prediction, true, { "eps", "v", "x0", "flow" });
    if ((m.prediction == "flow") != (m.schedule.kind == "flow"))
        problems.push_back("prediction \"flow\" and schedule.kind \"flow\" go together (got prediction \""
            + m.prediction + "\" with schedule \"" + m.schedule.kind + "\")");

    read.positiveInt("defaults.width", m.defaults.width, true);
    read.positiveInt("defaults.height", m.defaults.height, true);
    read.positiveInt("defaults.frames", m.defaults.frames, true);
    read.number("defaults.fps", m.defaults.fps, true, 0.1, 1000.0);
    read.positiveInt("defaults.steps", m.defaults.steps, true);
    read.number("defaults.guidance", m.defaults.guidance, true, 0.0, 100.0);
    read.string("defaults.sampler", m.defaults.sampler, false,
        { "ddpm", "ddim", "euler", "euler-a", "dpm++2m", "flow-euler", "unipc" });
    for (const auto& [name, value] :
        { std::pair { "width", m.defaults.width }, std::pair { "height", m.defaults.height } })
        if (value % m.spatialCompression != 0)
            problems.push_back(std::string("defaults.") + name + " (" + std::to_string(value)
                + ") must be a multiple of latent.spatial_compression ("
                + std::to_string(m.spatialCompression) + ")");
        else if (m.sizeMultiple > 0 && value % m.sizeMultiple != 0)
            problems.push_back(std::string("defaults.") + name + " (" + std::to_string(value)
                + ") must be a multiple of latent.size_multiple (" + std::to_string(m.sizeMultiple) + ")");
    // A VAE that compresses time causally encodes the first frame alone, then c at a time.
    if (m.temporalCompression > 1 && (m.defaults.frames - 1) % m.temporalCompression != 0)
        problems.push_back("defaults.frames (" + std::to_string(m.defaults.frames) + ") must be 1 + "
            + std::to_string(m.temporalCompression) + "·n for latent.temporal_compression "
            + std::to_string(m.temporalCompression));

    if (const auto* matrix = read.find("preview.latent_to_rgb", true)) {
        bool ok = matrix->is_array() && static_cast<int>(matrix->size()) == m.latentChannels;
        for (size_t i = 0; ok && i < matrix->size(); ++i) {
            const auto& row = (*matrix)[i];
            ok = row.is_array() && row.size() == 3
                && std::all_of(row.begin(), row.end(), [](const auto& v) { return v.is_number(); });
            if (ok)
                m.latentToRgb.push_back({ row[0].get<double>(), row[1].get<double>(), row[2].get<double>() });
        }
        if (!ok) {
            problems.push_back("preview.latent_to_rgb must be " + std::to_string(m.latentChannels)
                + " rows (one per latent channel) of 3 numbers");
            m.latentToRgb.clear();
        }
    }
    if (const auto* bias = read.find("preview.rgb_bias", false)) {
        if (bias->is_array() && bias->size() == 3
            && std::all_of(bias->begin(), bias->end(), [](const auto& v) { return v.is_number(); }))
            m.rgbBias = { (*bias)[0].get<double>(), (*bias)[1].get<double>(), (*bias)[2].get<double>() };
        else
            problems.push_back("preview.rgb_bias must be 3 numbers");
    }

    if (const auto* words = read.find("vocabulary", false)) {
        if (words->is_array()
            && std::all_of(words->begin(), words->end(), [](const auto& v) { return v.is_string(); }))
            for (const auto& w : *words)
                m.vocabulary.push_back(w.get<std::string>());
        else
            problems.push_back("vocabulary must be a list of words");
    }

    if (!problems.empty())
        throw ModelPackError(where, std::move(problems));
    return m;
}

bool isModelPackFolder(const std::filesystem::path& dir)
{
    std::error_code ec;
    return std::filesystem::is_regular_file(dir / kManifestFileName, ec) || wan::looksLikeWanFolder(dir);
}

ModelManifest loadModelManifest(const std::filesystem::path& dir)
{
    const auto path = dir / kManifestFileName;
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        // A folder of Wan weights as downloaded works without one (kinora-cli info
        // --write-manifest writes it, to pin the choices).
        if (!std::filesystem::exists(path) && wan::looksLikeWanFolder(dir))
            return wan::wanManifest(wan::scanWanFolder(dir));
        throw ModelPackError(dir.string(), { std::string("no ") + kManifestFileName + " in this folder" });
    }
    std::ostringstream text;
    text << in.rdbuf();
    auto manifest = parseModelManifest(text.str(), path.string());
    std::vector<std::string> missing;
    for (const auto& [role, file] : manifest.components)
        if (!std::filesystem::is_regular_file(dir / file))
            missing.push_back("components." + role + ": " + file + " is not in the pack");
    if (!missing.empty())
        throw ModelPackError(dir.string(), std::move(missing));
    return manifest;
}

std::string ModelManifest::toJson() const
{
    nlohmann::ordered_json j;
    j["format_version"] = kFormatVersion;
    j["name"] = name;
    j["family"] = family;
    j["version"] = version;
    j["config"] = config;
    j["components"] = components;
    j["latent"] = { { "channels", latentChannels }, { "spatial_compression", spatialCompression },
        { "temporal_compression", temporalCompression }, { "scale", latentScale } };
    if (sizeMultiple > 0) // only where a pack sets it: the family's rule needs no field
        j["latent"]["size_multiple"] = sizeMultiple;
    j["schedule"] = { { "kind", schedule.kind }, { "train_steps", schedule.trainSteps },
        { "beta_start", schedule.betaStart }, { "beta_end", schedule.betaEnd },
        { "zero_terminal_snr", schedule.zeroTerminalSnr }, { "shift", schedule.shift },
        { "flow_grid", schedule.flowGrid } };
    j["prediction"] = prediction;
    j["defaults"] = { { "width", defaults.width }, { "height", defaults.height },
        { "frames", defaults.frames }, { "fps", defaults.fps }, { "steps", defaults.steps },
        { "guidance", defaults.guidance }, { "sampler", defaults.sampler } };
    auto rows = nlohmann::ordered_json::array();
    for (const auto& row : latentToRgb)
        rows.push_back({ row[0], row[1], row[2] });
    j["preview"] = { { "latent_to_rgb", rows }, { "rgb_bias", { rgbBias[0], rgbBias[1], rgbBias[2] } } };
    if (!vocabulary.empty())
        j["vocabulary"] = vocabulary;
    return j.dump(2) + "\n";
}

} // namespace kinora::inference
