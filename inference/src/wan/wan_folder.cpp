#include "kinora/inference/wan/wan_folder.h"

#include "kinora/inference/safetensors_header.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <map>
#include <set>

namespace kinora::inference::wan {

namespace fs = std::filesystem;

namespace {

constexpr int kSearchDepth = 3;

// Tensor names, shapes and dtypes of one weights file, read from its header alone (an index:
// from its weight_map, shapes from the shards' headers where needed).
struct Header {
    fs::path file; // relative to the folder
    std::map<std::string, SafetensorsEntry> entries; // by stored name
};

SafetensorsHeader readHeader(const fs::path& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw SafetensorsError(path.string(), "cannot be opened");
    const auto size = static_cast<std::uint64_t>(fs::file_size(path));
    std::string first(8, '\0');
    in.read(first.data(), 8);
    const auto length = readSafetensorsHeaderLength(
        std::string_view(first.data(), static_cast<size_t>(in.gcount())), size, path.string());
    std::string json(static_cast<size_t>(length), '\0');
    in.read(json.data(), static_cast<std::streamsize>(length));
    return parseSafetensorsHeader(json, size - 8 - length, path.string());
}

void addEntries(Header& header, const fs::path& path)
{
    for (auto& entry : readHeader(path).entries)
        header.entries.emplace(entry.name, entry);
}

Header readWeights(const fs::path& dir, const fs::path& relative)
{
    Header header { relative, {} };
    const auto path = dir / relative;
    if (!relative.filename().string().ends_with(".index.json")) {
        addEntries(header, path);
        return header;
    }
    for (const auto& shard : indexShards(path)) {
        if (!fs::is_regular_file(shard))
            throw ModelPackError(
                path.string(), { "names " + shard.filename().string() + ", which is not in the folder" });
        addEntries(header, shard);
    }
    return header;
}

// The prefix of the first stored name ending in `key` (nullopt when none does).
std::optional<std::string> prefixOf(const Header& h, const std::string& key)
{
    for (const auto& [name, entry] : h.entries)
        if (name.ends_with(key) && (name.size() == key.size() || name[name.size() - key.size() - 1] == '.'))
            return name.substr(0, name.size() - key.size());
    return std::nullopt;
}

const SafetensorsEntry* find(const Header& h, const std::string& prefix, const std::string& key)
{
    const auto it = h.entries.find(prefix + key);
    return it == h.entries.end() ? nullptr : &it->second;
}

std::string mainDtype(const Header& h)
{
    std::map<std::string, uint64_t> bytes;
    for (const auto& [name, entry] : h.entries)
        bytes[std::string(safetensorsDtypeName(entry.dtype))] += entry.end - entry.begin;
    if (bytes.empty())
        return {};
    return std::max_element(bytes.begin(), bytes.end(), [](auto& a, auto& b) {
        return a.second < b.second;
    })->first;
}

enum class Role { None, Dit, Vae, TextEncoder };

// Which component a file holds, from its tensor names, and in which naming.
Role classify(const Header& h, WanComponentFile& out)
{
    out.file = h.file;
    if (auto p = prefixOf(h, "patch_embedding.weight")) {
        out.prefix = *p;
        out.naming = find(h, *p, "blocks.0.attn1.to_q.weight") ? "diffusers" : "original";
        return Role::Dit;
    }
    for (const auto& [key, naming] : { std::pair { "encoder.conv1.weight", "original" },
             std::pair { "encoder.conv_in.weight", "diffusers" } })
        if (auto p = prefixOf(h, key)) {
            out.prefix = *p;
            out.naming = naming;
            return Role::Vae;
        }
    for (const auto& [key, naming] : { std::pair { "blocks.0.attn.q.weight", "original" },
             std::pair { "encoder.block.0.layer.0.SelfAttention.q.weight", "diffusers" } })
        if (auto p = prefixOf(h, key)) {
            out.prefix = *p;
            out.naming = naming;
            return Role::TextEncoder;
        }
    return Role::None;
}

// What one walk of a folder (kSearchDepth folders deep) finds, sorted, relative to it: weights
// files (.safetensors not listed by an index beside them, and the indexes), pickles, and
// SentencePiece models.
struct FolderFiles {
    std::vector<fs::path> weights, pickles, spiece;
};

FolderFiles listFolder(const fs::path& dir)
{
    FolderFiles found;
    std::error_code ec;
    for (auto it = fs::recursive_directory_iterator(dir, fs::directory_options::skip_permission_denied, ec);
         it != fs::recursive_directory_iterator(); it.increment(ec)) {
        if (ec)
            break;
        if (it->is_directory() && it.depth() + 1 >= kSearchDepth)
            it.disable_recursion_pending();
        if (!it->is_regular_file())
            continue;
        const auto name = it->path().filename().string();
        const auto relative = fs::relative(it->path(), dir);
        if (name.ends_with(".safetensors") || name.ends_with(".safetensors.index.json"))
            found.weights.push_back(relative);
        else if (name.ends_with(".pth") || name.ends_with(".pt") || name.ends_with(".ckpt")
            || (name.ends_with(".bin") && name.find("pytorch_model") != std::string::npos))
            found.pickles.push_back(relative);
        else if (name == "spiece.model")
            found.spiece.push_back(relative);
    }
    for (auto* list : { &found.weights, &found.pickles, &found.spiece })
        std::sort(list->begin(), list->end());
    // Shards are read through their index.
    std::set<fs::path> sharded;
    for (const auto& f : found.weights)
        if (f.filename().string().ends_with(".index.json")) {
            try {
                for (const auto& shard : indexShards(dir / f))
                    sharded.insert(fs::relative(shard, dir).lexically_normal());
            } catch (const ModelPackError&) {
                // reported when the index is read
            }
        }
    std::erase_if(found.weights, [&](const fs::path& f) { return sharded.count(f.lexically_normal()) != 0; });
    return found;
}

std::optional<int64_t> headsFromConfig(const fs::path& config)
{
    std::ifstream in(config);
    if (!in)
        return std::nullopt;
    try {
        const auto json = nlohmann::json::parse(in);
        for (const char* key : { "num_attention_heads", "num_heads" })
            if (json.contains(key) && json[key].is_number_integer())
                return json[key].get<int64_t>();
    } catch (const std::exception&) {
    }
    return std::nullopt;
}

const char* const kDownloadDit
    = "diffusion_pytorch_model.safetensors from Wan-AI/Wan2.1-T2V-1.3B, the transformer/ folder of "
      "Wan-AI/Wan2.1-T2V-1.3B-Diffusers, or split_files/diffusion_models/"
      "wan2.1_t2v_1.3B_bf16.safetensors from Comfy-Org/Wan_2.1_ComfyUI_repackaged";
const char* const kDownloadVae
    = "the vae/ folder (diffusion_pytorch_model.safetensors) of Wan-AI/Wan2.1-T2V-1.3B-Diffusers, or "
      "split_files/vae/wan_2.1_vae.safetensors from Comfy-Org/Wan_2.1_ComfyUI_repackaged";
const char* const kDownloadText
    = "the text_encoder/ folder (model-0000N-of-00005.safetensors and model.safetensors.index.json) of "
      "Wan-AI/Wan2.1-T2V-1.3B-Diffusers, or split_files/text_encoders/umt5_xxl_fp16.safetensors from "
      "Comfy-Org/Wan_2.1_ComfyUI_repackaged";
const char* const kDownloadTokenizer
    = "the tokenizer/ folder (spiece.model) of Wan-AI/Wan2.1-T2V-1.3B-Diffusers, or google/umt5-xxl's "
      "spiece.model";

// The pickle a user most likely has in place of a component, by Wan's file names.
std::optional<fs::path> pickleFor(const std::vector<fs::path>& pickles, const std::string& needle)
{
    for (const auto& p : pickles) {
        auto name = p.filename().string();
        std::transform(
            name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
        if (name.find(needle) != std::string::npos)
            return p;
    }
    return std::nullopt;
}

} // namespace

std::string WanFolder::size() const
{
    if (ditDim == 1536 && ditLayers == 30)
        return "1.3B";
    if (ditDim == 5120 && ditLayers == 40)
        return "14B";
    return "custom";
}

bool looksLikeWanFolder(const fs::path& dir)
{
    std::error_code ec;
    if (!fs::is_directory(dir, ec))
        return false;
    const auto files = listFolder(dir);
    for (const auto& file : files.weights) {
        try {
            WanComponentFile c;
            if (classify(readWeights(dir, file), c) != Role::None)
                return true;
        } catch (const std::exception&) {
            return true; // a broken weights file is worth a scan that says so
        }
    }
    return pickleFor(files.pickles, "wan2.1").has_value() || pickleFor(files.pickles, "umt5").has_value();
}

WanFolder scanWanFolder(const fs::path& dir)
{
    WanFolder folder;
    folder.dir = dir;
    std::vector<std::string> problems;
    if (!fs::is_directory(dir))
        throw ModelPackError(dir.string(), { "is not a folder" });

    const auto files = listFolder(dir);
    const auto& pickles = files.pickles;
    std::map<Role, std::vector<std::pair<WanComponentFile, Header>>> found;
    for (const auto& file : files.weights) {
        try {
            auto header = readWeights(dir, file);
            WanComponentFile c;
            const Role role = classify(header, c);
            if (role == Role::None)
                continue;
            c.dtype = mainDtype(header);
            found[role].emplace_back(c, std::move(header));
        } catch (const SafetensorsError& e) {
            problems.push_back(e.what());
        } catch (const ModelPackError& e) {
            problems.insert(problems.end(), e.problems().begin(), e.problems().end());
        }
    }

    const auto pick = [&](Role role, const char* what, const char* download, const char* pickleNeedle,
                          WanComponentFile& into) -> const Header* {
        auto& list = found[role];
        if (list.size() > 1) {
            std::string names;
            for (const auto& [c, h] : list)
                names += (names.empty() ? "" : ", ") + c.file.string();
            problems.push_back(std::string("more than one ") + what + " (" + names
                + "): keep one of them in the folder, or name it in " + kManifestFileName);
            return nullptr;
        }
        if (list.empty()) {
            if (const auto pickle = pickleFor(pickles, pickleNeedle))
                problems.push_back(pickle->string() + " is a PyTorch pickle, which Kinora never opens "
                    + "(unpickling can run code); get the " + what + " as safetensors instead: " + download);
            else
                problems.push_back(std::string("no ") + what + " found; get " + download);
            return nullptr;
        }
        into = list.front().first;
        return &list.front().second;
    };

    if (const Header* h = pick(Role::Dit, "Wan 2.1 DiT", kDownloadDit, "wan2.1_t2v", folder.dit)) {
        const auto& p = folder.dit.prefix;
        const auto* patch = find(*h, p, "patch_embedding.weight");
        if (patch->shape.size() == 5) {
            folder.ditDim = static_cast<int64_t>(patch->shape[0]);
            folder.ditInChannels = static_cast<int64_t>(patch->shape[1]);
        } else {
            problems.push_back(
                folder.dit.file.string() + ": patch_embedding.weight is not a 3-D convolution");
        }
        std::set<int64_t> blocks;
        for (const auto& [name, entry] : h->entries)
            if (name.rfind(p + "blocks.", 0) == 0)
                blocks.insert(std::stoll(name.substr(p.size() + 7)));
        folder.ditLayers = static_cast<int64_t>(blocks.size());
        const auto* text = find(*h, p,
            folder.dit.naming == "diffusers" ? "condition_embedder.text_embedder.linear_1.weight"
                                             : "text_embedding.0.weight");
        if (text && text->shape.size() == 2)
            folder.ditTextDim = static_cast<int64_t>(text->shape[1]);
        if (find(*h, p, "img_emb.proj.0.weight")
            || find(*h, p, "condition_embedder.image_embedder.norm1.weight") || folder.ditInChannels != 16)
            problems.push_back(folder.dit.file.string()
                + " is a Wan image-to-video (or other conditioned) model; Kinora runs the Wan 2.1 "
                  "text-to-video models (16 latent input channels; this one has "
                + std::to_string(folder.ditInChannels) + ")");
        folder.ditHeads = headsFromConfig(dir / folder.dit.file.parent_path() / "config.json");
    }
    if (const Header* h = pick(Role::Vae, "Wan 2.1 VAE", kDownloadVae, "vae", folder.vae)) {
        const auto* head = find(*h, folder.vae.prefix,
            folder.vae.naming == "diffusers" ? "encoder.conv_out.weight" : "encoder.head.2.weight");
        if (head && !head->shape.empty() && head->shape[0] != 32)
            problems.push_back(folder.vae.file.string() + " is not the Wan 2.1 VAE (its latent has "
                + std::to_string(head->shape[0] / 2)
                + " channels, Wan 2.1's 16; Wan 2.2's VAE is not supported)");
    }
    if (const Header* h
        = pick(Role::TextEncoder, "umT5-XXL text encoder", kDownloadText, "umt5", folder.textEncoder)) {
        const auto* embedded = find(*h, folder.textEncoder.prefix, "spiece_model");
        const auto& spiece = files.spiece;
        if (!spiece.empty())
            folder.tokenizer = spiece.front();
        else if (!embedded && !h->entries.count("spiece_model"))
            problems.push_back(
                std::string("no umT5 tokenizer (spiece.model) found; get ") + kDownloadTokenizer);
    }
    if (!problems.empty())
        throw ModelPackError(dir.string(), std::move(problems));
    return folder;
}

std::vector<fs::path> indexShards(const fs::path& index)
{
    std::ifstream in(index);
    if (!in)
        throw ModelPackError(index.string(), { "the index cannot be read" });
    nlohmann::json json;
    try {
        in >> json;
    } catch (const std::exception& e) {
        throw ModelPackError(index.string(), { std::string("the index is not JSON: ") + e.what() });
    }
    std::set<std::string> files;
    const auto weightMap = json.value("weight_map", nlohmann::json::object()); // kept: items() refers to it
    for (const auto& [name, file] : weightMap.items())
        if (file.is_string())
            files.insert(file.get<std::string>());
    if (files.empty())
        throw ModelPackError(index.string(), { "the index lists no weight files" });
    std::vector<fs::path> paths;
    for (const auto& file : files)
        paths.push_back(index.parent_path() / file);
    return paths;
}

WanComponentFile inspectWanWeights(const fs::path& dir, const fs::path& file, std::string* role)
{
    const auto header = readWeights(dir, file);
    WanComponentFile c;
    const Role r = classify(header, c);
    c.dtype = mainDtype(header);
    if (role)
        *role = r == Role::Dit       ? "denoiser"
            : r == Role::Vae         ? "vae"
            : r == Role::TextEncoder ? "text_encoder"
                                     : "";
    return c;
}

std::optional<int64_t> configuredHeads(const fs::path& dir, const fs::path& file)
{
    return headsFromConfig(dir / file.parent_path() / "config.json");
}

fs::path writeWanManifest(const fs::path& dir, const std::function<void(ModelManifest&)>& adjust)
{
    const auto path = dir / kManifestFileName;
    if (fs::exists(path))
        throw std::runtime_error(path.string() + " already exists: delete it first to write a new one");
    auto manifest = wanManifest(scanWanFolder(dir));
    if (adjust)
        adjust(manifest);
    const auto json = manifest.toJson();
    const auto partial = dir / (std::string(kManifestFileName) + ".partial");
    {
        std::ofstream out(partial, std::ios::binary | std::ios::trunc);
        out << json;
        out.flush();
        if (!out) {
            std::error_code ec;
            fs::remove(partial, ec);
            throw std::runtime_error(
                "cannot write " + path.string() + " (is the folder writable, the disk full?)");
        }
    }
    fs::rename(partial, path);
    return path;
}

std::map<std::string, int64_t> wanParameterCounts(const fs::path& dir, const ModelManifest& manifest)
{
    std::map<std::string, int64_t> counts;
    int64_t total = 0;
    for (const char* role : { "denoiser", "vae", "text_encoder" }) {
        const auto it = manifest.components.find(role);
        if (it == manifest.components.end())
            continue;
        int64_t n = 0;
        const auto header = readWeights(dir, it->second);
        for (const auto& [name, entry] : header.entries) {
            if (name.ends_with("spiece_model"))
                continue; // the embedded tokenizer's bytes
            if (name.ends_with("encoder.embed_tokens.weight")
                && header.entries.count(name.substr(0, name.size() - 27) + "shared.weight"))
                continue; // transformers' tied copy of shared.weight
            int64_t numel = 1;
            for (auto d : entry.shape)
                numel *= static_cast<int64_t>(d);
            n += numel;
        }
        counts[role] = n;
        total += n;
    }
    counts["total"] = total;
    return counts;
}

std::vector<std::array<double, 3>> wanPreviewMatrix()
{
    // ComfyUI's Wan21 latent_rgb_factors (comfy/latent_formats.py), fitted there on the real Wan
    // 2.1 VAE; they map the normalised latent to RGB in [-1, 1].
    static const double factors[16][3] = { { -0.1299, -0.1692, 0.2932 }, { 0.0671, 0.0406, 0.0442 },
        { 0.3568, 0.2548, 0.1747 }, { 0.0372, 0.2344, 0.1420 }, { 0.0313, 0.0189, -0.0328 },
        { 0.0296, -0.0956, -0.0665 }, { -0.3477, -0.4059, -0.2925 }, { 0.0166, 0.1902, 0.1975 },
        { -0.0412, 0.0267, -0.1364 }, { -0.1293, 0.0740, 0.1636 }, { 0.0680, 0.3019, 0.1128 },
        { 0.0032, 0.0581, 0.0639 }, { -0.1251, 0.0927, 0.1699 }, { 0.0060, -0.0633, 0.0005 },
        { 0.3477, 0.2275, 0.2950 }, { 0.1984, 0.0913, 0.1861 } };
    std::vector<std::array<double, 3>> m;
    for (const auto& row : factors)
        m.push_back({ row[0] / 2, row[1] / 2, row[2] / 2 });
    return m;
}

std::array<double, 3> wanPreviewBias()
{
    return { (-0.1835 + 1) / 2, (-0.0868 + 1) / 2, (-0.3360 + 1) / 2 };
}

ModelManifest wanManifest(const WanFolder& folder)
{
    ModelManifest m;
    const auto size = folder.size();
    m.name = "Wan 2.1 T2V " + (size == "custom" ? "(" + folder.dir.filename().string() + ")" : size);
    m.family = kWanFamily;
    m.version = "2.1";
    m.config = size;
    m.components["denoiser"] = folder.dit.file.generic_string();
    m.components["vae"] = folder.vae.file.generic_string();
    m.components["text_encoder"] = folder.textEncoder.file.generic_string();
    if (!folder.tokenizer.empty())
        m.components["tokenizer"] = folder.tokenizer.generic_string();
    m.latentChannels = 16;
    m.spatialCompression = 8;
    m.temporalCompression = 4;
    m.sizeMultiple = 16; // the VAE's 8 times the DiT's 2x2 patches
    m.latentScale = 1.0; // the VAE normalises per channel itself
    m.schedule.kind = "flow";
    m.schedule.trainSteps = 1000;
    // The σ grid and integer timesteps of diffusers' WanPipeline (UniPCMultistepScheduler with
    // use_flow_sigmas), the reference the sampler parity tests pin.
    m.schedule.flowGrid = "diffusers-unipc";
    m.prediction = "flow";
    const bool large = size == "14B";
    // Diffusers' Wan model cards: flow_shift 3.0 at 480p, 5.0 at 720p; the pipeline's 50 steps,
    // guidance 5, 81 frames; Wan's 16 fps.
    m.schedule.shift = large ? 5.0 : 3.0;
    m.defaults.width = large ? 1280 : 832;
    m.defaults.height = large ? 720 : 480;
    m.defaults.frames = 81;
    m.defaults.fps = 16.0;
    m.defaults.steps = 50;
    m.defaults.guidance = 5.0;
    m.defaults.sampler = "unipc";
    m.latentToRgb = wanPreviewMatrix();
    m.rgbBias = wanPreviewBias();
    return m;
}

} // namespace kinora::inference::wan
