#pragma once
// What the Generate button asks for: the prompt and the settings panel's values become one request
// per take (consecutive seeds), in the same plain struct kinora-cli fills from its flags.

#include "kinora/core/diffusion_job.h"
#include "kinora/ui/settings_panel.h"

#include <QString>

#include <vector>

namespace kinora::core {
class Project;
}

namespace kinora::ui {

// What every job the settings start shares: the pack, steps, guidance, sampler, seed, device,
// precision and previews; and generate's size, frames and rate.
core::DiffusionJobRequest jobSettings(const GenerationSettings& settings);

// `project` resolves the take an Extend request continues (its frames are the input). Throws
// std::runtime_error with a message for the user when the settings cannot make a request.
std::vector<core::DiffusionJobRequest> generateRequests(const QString& prompt, const QString& negative,
    const GenerationSettings& settings, const core::Project& project);

} // namespace kinora::ui
