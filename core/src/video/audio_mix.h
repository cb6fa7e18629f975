#pragma once
// Mixes the sound of several sources, each placed at its own time, into one 16-bit stereo WAV at
// 48 kHz: what a timeline export hands to VideoWriter as the audio to carry. Streamed in chunks of
// a second, with a source's decoder open only while the chunk overlaps it, so a long cut never sits
// in memory. Private to core.

#include <QString>

#include <cstdint>
#include <functional>
#include <vector>

namespace kinora::core::video {

constexpr int kMixRate = 48000; // samples a second; two channels

// One source's sound on the mix: mix samples [at, at + length) take the source's first audio
// stream from `sourceSeconds` (on the file's own timeline) on. Past the source's end: silence.
struct AudioPlacement {
    QString path;
    double sourceSeconds = 0;
    int64_t at = 0;
    int64_t length = 0;
};

// Writes `samples` stereo samples to `wavPath`: every placement resampled to 48 kHz stereo (FFmpeg's
// libswresample), summed and clipped to [-1, 1]. Throws JobCancelled when `isCancelled` turns true,
// MediaError naming a source that cannot be decoded or the WAV that cannot be written; either way
// the WAV is the caller's to remove.
void mixToWav(const std::vector<AudioPlacement>& placements, int64_t samples, const QString& wavPath,
    const std::function<bool()>& isCancelled = {});

} // namespace kinora::core::video
