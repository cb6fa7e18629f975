#pragma once
// Runs a program and captures what it printed, for the end-to-end tests of the executables.

#include <string>
#include <utility>
#include <vector>

namespace kinora::test {

struct ProcessResult {
    // The exit status; killed by a signal: 128 + the signal's number, or minus the number when
    // ProcessOptions::interruptWhen is set (so that dying of SIGINT cannot pass for a clean 130).
    int exitCode = -1;
    std::string out;
    std::string err;
};

struct ProcessOptions {
    bool searchPath = false; // find `program` in $PATH (e.g. "ffmpeg")
    // Non-empty: send SIGINT once stderr holds this text (e.g. "step ", "frame ").
    std::string interruptWhen;
    // > 0: files the program writes may not grow past this many bytes (a full disk, as the program
    // sees it: writes fail with EFBIG; SIGXFSZ is ignored).
    long fileSizeLimit = 0;

    static ProcessOptions fromPath()
    {
        ProcessOptions o;
        o.searchPath = true;
        return o;
    }
    static ProcessOptions interruptingWhen(std::string text)
    {
        ProcessOptions o;
        o.interruptWhen = std::move(text);
        return o;
    }
    static ProcessOptions withFileSizeLimit(long bytes)
    {
        ProcessOptions o;
        o.fileSizeLimit = bytes;
        return o;
    }
};

ProcessResult runProcess(
    const std::string& program, const std::vector<std::string>& args, const ProcessOptions& options = {});

} // namespace kinora::test
