#include "process.h"

#include <poll.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <csignal>
#include <stdexcept>

namespace kinora::test {

ProcessResult runProcess(
    const std::string& program, const std::vector<std::string>& args, const ProcessOptions& options)
{
    int outPipe[2];
    int errPipe[2];
    if (pipe(outPipe) != 0 || pipe(errPipe) != 0)
        throw std::runtime_error("pipe failed");
    const pid_t pid = fork();
    if (pid < 0)
        throw std::runtime_error("fork failed");
    if (pid == 0) {
        dup2(outPipe[1], STDOUT_FILENO);
        dup2(errPipe[1], STDERR_FILENO);
        close(outPipe[0]);
        close(errPipe[0]);
        if (options.fileSizeLimit > 0) {
            signal(SIGXFSZ, SIG_IGN); // an ignored signal stays ignored across exec
            const rlimit limit { static_cast<rlim_t>(options.fileSizeLimit),
                static_cast<rlim_t>(options.fileSizeLimit) };
            setrlimit(RLIMIT_FSIZE, &limit);
        }
        std::vector<char*> argv;
        argv.push_back(const_cast<char*>(program.c_str()));
        for (const auto& a : args)
            argv.push_back(const_cast<char*>(a.c_str()));
        argv.push_back(nullptr);
        if (options.searchPath)
            execvp(program.c_str(), argv.data());
        else
            execv(program.c_str(), argv.data());
        _exit(127);
    }
    close(outPipe[1]);
    close(errPipe[1]);

    ProcessResult result;
    std::array<pollfd, 2> fds { pollfd { outPipe[0], POLLIN, 0 }, pollfd { errPipe[0], POLLIN, 0 } };
    std::array<std::string*, 2> sinks { &result.out, &result.err };
    int open = 2;
    bool interrupted = false;
    char buffer[4096];
    while (open > 0) {
        if (poll(fds.data(), fds.size(), -1) < 0)
            break;
        for (size_t i = 0; i < fds.size(); ++i) {
            if (fds[i].fd < 0 || (fds[i].revents & (POLLIN | POLLHUP)) == 0)
                continue;
            const ssize_t n = read(fds[i].fd, buffer, sizeof buffer);
            if (n > 0) {
                sinks[i]->append(buffer, static_cast<size_t>(n));
            } else {
                close(fds[i].fd);
                fds[i].fd = -1;
                --open;
            }
        }
        if (!interrupted && !options.interruptWhen.empty()
            && result.err.find(options.interruptWhen) != std::string::npos) {
            kill(pid, SIGINT);
            interrupted = true;
        }
    }
    int status = 0;
    waitpid(pid, &status, 0);
    if (WIFEXITED(status))
        result.exitCode = WEXITSTATUS(status);
    else
        result.exitCode = options.interruptWhen.empty() ? 128 + WTERMSIG(status) : -WTERMSIG(status);
    return result;
}

} // namespace kinora::test
