#pragma once
// The safetensors header fuzz check, shared by the libFuzzer target and the corpus replay test in
// the normal build, so that both hold the parser to the same promises.

#include <string>
#include <string_view>

namespace kinora::fuzz {

// The file name the check passes to the parser; every error message must start with it.
inline constexpr std::string_view kFuzzFileName = "fuzz-input.safetensors";

// Parses bytes as a whole safetensors file. Returns an empty string when the parser kept its
// promises (an accepted header tiles the buffer with consistent sizes; a refusal is a
// SafetensorsError naming the file and tensor), else what it broke.
std::string checkSafetensorsInput(std::string_view bytes);

} // namespace kinora::fuzz
