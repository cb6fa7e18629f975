#pragma once
// kinora-cli's media subcommands: `encode` and `info FILE` for video files and image sequences.

#include <atomic>
#include <string>

namespace kinora::cli {

struct EncodeOptions {
    std::string input;
    std::string output;
    std::string codec; // empty: from the output's name
    int crf = -1;
    std::string fps; // empty: the input's rate
    bool overwrite = false;
};

int runEncode(const EncodeOptions& options, const std::atomic<bool>& interrupted);
// Describes a video file or an image sequence (a model pack folder is main.cpp's).
int runMediaInfo(const std::string& path, bool json);

} // namespace kinora::cli
