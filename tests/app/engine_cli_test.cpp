// kinora-engine's command line in the inference-only build.

#include "process.h"

#include <gtest/gtest.h>

using kinora::test::runProcess;

TEST(EngineCli, VersionNamesKinoraAndLibTorch)
{
    const auto r = runProcess(KINORA_ENGINE_PATH, { "--version" });
    EXPECT_EQ(r.exitCode, 0) << r.err;
    EXPECT_NE(r.out.find(std::string("kinora-engine ") + KINORA_VERSION_STRING), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("LibTorch"), std::string::npos) << r.out;
}

TEST(EngineCli, HelpListsTheSubcommands)
{
    const auto r = runProcess(KINORA_ENGINE_PATH, { "--help" });
    EXPECT_EQ(r.exitCode, 0);
    for (const char* sub : { "train", "bench", "sample" })
        EXPECT_NE(r.out.find(sub), std::string::npos) << sub;
}

TEST(EngineCli, UsageErrorsExitTwo)
{
    EXPECT_EQ(runProcess(KINORA_ENGINE_PATH, {}).exitCode, 2);
    EXPECT_EQ(runProcess(KINORA_ENGINE_PATH, { "frobnicate" }).exitCode, 2);
    const auto r = runProcess(KINORA_ENGINE_PATH, { "sample", "--steps", "3" });
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_NE(r.err.find("not built yet"), std::string::npos) << r.err;
    EXPECT_TRUE(r.out.empty()) << r.out;
}
