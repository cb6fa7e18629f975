#pragma once
// From a request to a take and back: the app's jobs write a new take's frames losslessly into the
// project's media folder, and a finished job becomes a TakeRecord that holds everything needed to
// make it again. Shared by the window and its tests; no widgets.

#include "kinora/core/job_worker.h"
#include "kinora/core/project.h"

#include <QString>

namespace kinora::core {

// A ticket that makes a new take of `request` in `project`: a fresh take id (or `takeId`, from
// newTakeId()), the frames written as a PNG sequence into the project's media folder (never
// compressed lossily), a title for the queue.
JobTicket takeTicket(const Project& project, DiffusionJobRequest request, const QString& takeId = {});

// The same request with another seed (a variation), or as it was (make again): output and take id
// are fresh, everything else is the take's.
JobTicket remakeTicket(const Project& project, const TakeRecord& take, std::optional<uint64_t> seed = {});

// The take a finished diffusion job made. Its frames pattern is relative to the media folder.
TakeRecord takeFromOutcome(const Project& project, const JobTicket& ticket, const JobOutcome& outcome);

// One line for the queue and the bin: the prompt, shortened, and the seed.
QString takeTitle(const DiffusionJobRequest& request);

} // namespace kinora::core
