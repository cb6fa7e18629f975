// What the benches measure about the machine besides themselves: this process's CPU time, the
// whole machine's busy time (/proc/stat) and, from both, the share of the cores that other
// processes took during a run (timings from a busy machine are skewed; the benches warn).
#pragma once

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <string>
#include <thread>

namespace kinora::bench {

// CPU seconds (user + system, all threads) of RUSAGE_SELF or RUSAGE_CHILDREN.
inline double cpuSeconds(int who)
{
    rusage usage {};
    getrusage(who, &usage);
    const auto seconds = [](const timeval& t) { return static_cast<double>(t.tv_sec) + t.tv_usec / 1e6; };
    return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

// Seconds of CPU the whole machine has spent busy since boot (all cores, /proc/stat).
inline double machineBusySeconds()
{
    std::ifstream in("/proc/stat");
    std::string cpu;
    double user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0;
    in >> cpu >> user >> nice >> system >> idle >> iowait >> irq >> softirq >> steal;
    return (user + nice + system + irq + softirq + steal) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

// Started at construction: the share of the machine's CPU time (0..1) that processes other than
// this one and its children took since then.
class OthersShare {
public:
    OthersShare()
        : m_busy(machineBusySeconds())
        , m_own(ownSeconds())
        , m_wall(wallSeconds())
    {
    }
    double share() const
    {
        const double wall = wallSeconds() - m_wall;
        const double others = std::max(0.0, machineBusySeconds() - m_busy - (ownSeconds() - m_own));
        const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
        return wall > 0 ? others / (wall * cores) : 0;
    }

private:
    static double ownSeconds() { return cpuSeconds(RUSAGE_SELF) + cpuSeconds(RUSAGE_CHILDREN); }
    static double wallSeconds()
    {
        timespec now {};
        clock_gettime(CLOCK_MONOTONIC, &now);
        return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) / 1e9;
    }
    double m_busy, m_own, m_wall;
};

} // namespace kinora::bench
