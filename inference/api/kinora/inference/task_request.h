#pragma once
// The request for one of the four diffusion tasks, in plain std types, defined once: kinora-cli and
// the window fill it (core's DiffusionJobRequest is this plus files and a device), the engine's
// tasks (tasks.h) run it, and resolveTask (tasks.h) fills every default once — frames, size, frame
// rate, factor, steps, guidance, sampler and the window plan — from the pack's manifest and the
// footage. Zero, negative or empty fields mean "the pack's default" or "from the footage". Free of
// torch headers.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace kinora::inference {

enum class TaskKind { Generate, Extend, Inpaint, Interpolate };

// "generate", "extend", "inpaint", "interpolate".
constexpr const char* taskName(TaskKind task)
{
    switch (task) {
    case TaskKind::Generate:
        return "generate";
    case TaskKind::Extend:
        return "extend";
    case TaskKind::Inpaint:
        return "inpaint";
    case TaskKind::Interpolate:
        return "interpolate";
    }
    return "generate";
}

constexpr std::optional<TaskKind> parseTaskName(std::string_view name)
{
    for (const auto task : { TaskKind::Generate, TaskKind::Extend, TaskKind::Inpaint, TaskKind::Interpolate })
        if (name == taskName(task))
            return task;
    return std::nullopt;
}

struct TaskRequest {
    TaskKind task = TaskKind::Generate;
    std::string prompt; // UTF-8
    std::string negativePrompt;
    // generate: the clip's length (0: the pack's); extend: the frames to add (at least 1). Other
    // tasks take their length from the footage.
    int frames = 0;
    // interpolate: K >= 2, output K·(T−1)+1 frames (0: the smallest K that reaches `fps`).
    int factor = 0;
    // The size the model works at. generate: the output size (0: the pack's, or the first frame's
    // aspect ratio at about the pack's pixel count); other tasks: 0 = the footage's aspect ratio at
    // about the pack's pixel count. Both sides or neither.
    int width = 0;
    int height = 0;
    // The output's rate. generate: 0 = the pack's. extend, inpaint: the footage's rate, which this
    // names only for footage that carries none (an image sequence). interpolate: the target rate
    // (above the footage's; with a factor, at most K times it). Resolved: the output's rate, 0 when
    // it is unknown.
    double fps = 0;
    int steps = 0; // 0: the pack's
    double guidance = -1; // < 0: the pack's; 1 = no guidance
    std::string sampler; // empty: the pack's
    uint64_t seed = 0;
    int windowFrames = 0; // frames per window (0: the pack's default frames)
    int overlapFrames = 0; // frames each window shares with the previous one (0: a quarter of the window)
    int fullDecodeEvery = 0; // > 0: a full VAE decode of the predicted clip every N steps (previews)

    bool operator==(const TaskRequest&) const = default;
};

// What a request is resolved against besides the pack: the footage's length, size and rate (0:
// none, as for text-to-video; an image sequence has no rate). Generate from a first frame: the
// image's size, 1 frame.
struct FootageShape {
    int frames = 0;
    int width = 0;
    int height = 0;
    double fps = 0;
};

} // namespace kinora::inference
