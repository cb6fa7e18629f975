#pragma once
// Runs a program and captures what it printed, for the end-to-end tests of the executables.

#include <string>
#include <vector>

namespace kinora::test {

struct ProcessResult {
    int exitCode = -1; // the exit status, or 128 + signal number when killed by a signal
    std::string out;
    std::string err;
};

ProcessResult runProcess(const std::string& program, const std::vector<std::string>& args);

} // namespace kinora::test
