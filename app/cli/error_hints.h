#pragma once
// What kinora-cli prints for a job's error: the message, which speaks of the job, followed by the
// flag that fixes it ("(use -y to replace it)"), for core's errors and the engine's alike.

#include "kinora/core/clip_io.h"
#include "kinora/core/diffusion_job.h"
#include "kinora/core/image_sequence.h"
#include "kinora/inference/job_flags.h"

#include <exception>
#include <string>

namespace kinora::cli {

inline std::string describeError(const std::exception& e)
{
    if (dynamic_cast<const core::OutputExistsError*>(&e))
        return inference::flags::withHint(e.what(), "use -y to replace it");
    if (dynamic_cast<const core::InputRangeError*>(&e))
        return inference::flags::withHint(e.what(), "check --start and --count");
    if (dynamic_cast<const core::ModelNotFoundError*>(&e))
        return inference::flags::withHint(e.what(), "pass --model DIR or set KINORA_MODEL");
    return inference::flags::describeWithFlagHint(e);
}

} // namespace kinora::cli
