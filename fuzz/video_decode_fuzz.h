#pragma once
// The video decode fuzz check, shared by the libFuzzer target and the corpus replay test in the
// normal build (VideoImportCorpus), so that both hold VideoReader to the same promises.

#include <string>
#include <string_view>

namespace kinora::fuzz {

// Inputs whose frames are larger or more numerous than this are opened and checked but not decoded:
// fuzzing wants many small iterations, not one huge frame. (A 2056x2568 stream of 32x32 frames,
// each scaled up to the stream's size, took 2.5 s a run, over 10 s on a busy machine.)
inline constexpr long long kMaxFuzzPixels = 1024 * 1024;
inline constexpr long long kMaxFuzzFrames = 64;

// Writes bytes to a file of this process's own in /dev/shm (else the temporary folder), opens it
// with VideoReader (resampled to 24 fps when the length is 1 more than a multiple of 4, turned
// upright when 1 more than a multiple of 3), reads every frame in order and a few by index. Returns an empty
// string when the reader kept its promises (a refusal is a MediaError naming the file on one line; frames
// have the size and format the reader announced; no more than frameCount() of them in order),
// else what it broke. Crashes and undefined behaviour are for the sanitizers to catch.
std::string checkVideoInput(std::string_view bytes);

} // namespace kinora::fuzz
