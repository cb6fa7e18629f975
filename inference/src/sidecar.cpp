#include "kinora/inference/sidecar.h"

#include "kinora/inference/runtime.h"
#include "kinora/inference/sha256.h"
#include "kinora/version.h"

#include <fstream>
#include <system_error>

namespace kinora::inference {

namespace {

std::string absolutePath(const std::filesystem::path& path)
{
    auto full = std::filesystem::absolute(path).lexically_normal();
    if (!full.has_filename() && full.has_parent_path() && full != full.root_path())
        full = full.parent_path(); // "pack/" names the folder "pack"
    return full.string();
}

SidecarJson pathOrNull(const std::string& path)
{
    return path.empty() ? SidecarJson() : SidecarJson(absolutePath(path));
}

SidecarJson orNull(const std::optional<int>& value)
{
    return value ? SidecarJson(*value) : SidecarJson();
}

} // namespace

PackHashes hashPackWeights(const ModelManifest& manifest, const std::filesystem::path& dir)
{
    PackHashes hashes;
    Sha256 all;
    for (const auto& [role, file] : manifest.components) { // std::map: in role order
        const auto hash = sha256File(dir / file);
        hashes.files[file] = hash;
        all.update(hash);
    }
    hashes.combined = all.hex();
    return hashes;
}

SidecarJson sidecarRequestJson(const SidecarRequest& r)
{
    return { { "task", r.task }, { "prompt", r.prompt }, { "negative_prompt", r.negativePrompt },
        { "inputs",
            { { "input", pathOrNull(r.input) }, { "mask", pathOrNull(r.mask) },
                { "image", pathOrNull(r.image) } } },
        { "output", pathOrNull(r.output) }, { "frames", orNull(r.frames) }, { "factor", orNull(r.factor) },
        { "output_frames", r.outputFrames }, { "output_width", r.outputWidth },
        { "output_height", r.outputHeight }, { "width", r.width }, { "height", r.height },
        { "fps", r.fps > 0 ? SidecarJson(r.fps) : SidecarJson() }, { "steps", r.steps },
        { "guidance", r.guidance }, { "sampler", r.sampler }, { "seed", r.seed }, { "windows", r.windows },
        { "window_frames", r.windowFrames }, { "overlap_frames", r.overlapFrames } };
}

SidecarJson sidecarModelJson(
    const ModelManifest& manifest, const std::filesystem::path& dir, const PackHashes& hashes)
{
    SidecarJson weights = SidecarJson::object();
    for (const auto& [file, hash] : hashes.files)
        weights[file] = hash;
    return { { "name", manifest.name }, { "family", manifest.family }, { "config", manifest.config },
        { "version", manifest.version }, { "dir", absolutePath(dir) }, { "weights_sha256", weights } };
}

SidecarJson sidecarJson(
    SidecarJson request, SidecarJson model, const std::string& device, const std::string& precision)
{
    return { { "request", std::move(request) }, { "model", std::move(model) }, { "kinora_version", kVersion },
        { "libtorch_version", runtimeInfo().libtorchVersion }, { "device", device },
        { "precision", precision } };
}

std::filesystem::path sidecarPath(const std::filesystem::path& output)
{
    return std::filesystem::path(output.string() + ".kinora.json");
}

void writeSidecar(const std::filesystem::path& path, const SidecarJson& sidecar)
{
    namespace fs = std::filesystem;
    const fs::path temporary = path.parent_path() / ("." + path.filename().string() + ".partial");
    const std::string text = sidecar.dump(2) + "\n";
    {
        std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
        out.write(text.data(), static_cast<std::streamsize>(text.size()));
        out.close();
        if (!out) {
            std::error_code ignored;
            fs::remove(temporary, ignored);
            throw std::runtime_error(path.string() + ": cannot write the sidecar");
        }
    }
    std::error_code ec;
    fs::rename(temporary, path, ec);
    if (ec) {
        std::error_code ignored;
        fs::remove(temporary, ignored);
        throw std::runtime_error(path.string() + ": cannot write the sidecar (" + ec.message() + ")");
    }
}

} // namespace kinora::inference
