#pragma once
// Precompiled for kinora_inference and the torch-heavy tests.
#include <torch/torch.h>
