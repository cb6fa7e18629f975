// kinora-cli and kinora as a script would run them: exit codes and what goes where.

#include "process.h"

#include <gtest/gtest.h>

using kinora::test::runProcess;

namespace {
const char* const kContract[]
    = { "generate", "extend", "interpolate", "inpaint", "encode", "info", "train", "eval", "bench" };
}

TEST(Cli, HelpListsEveryContractSubcommand)
{
    const auto r = runProcess(KINORA_CLI_PATH, { "--help" });
    EXPECT_EQ(r.exitCode, 0) << r.err;
    for (const char* sub : kContract)
        EXPECT_NE(r.out.find(sub), std::string::npos) << sub << " missing from:\n" << r.out;
}

TEST(Cli, VersionNamesKinoraAndLibTorch)
{
    const auto r = runProcess(KINORA_CLI_PATH, { "--version" });
    EXPECT_EQ(r.exitCode, 0) << r.err;
    EXPECT_NE(r.out.find(std::string("kinora-cli ") + KINORA_VERSION_STRING), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("LibTorch"), std::string::npos) << r.out;
}

TEST(Cli, UnknownSubcommandOrNoneIsAUsageError)
{
    const auto unknown = runProcess(KINORA_CLI_PATH, { "frobnicate" });
    EXPECT_EQ(unknown.exitCode, 2);
    EXPECT_FALSE(unknown.err.empty());
    EXPECT_EQ(runProcess(KINORA_CLI_PATH, {}).exitCode, 2);
    EXPECT_EQ(runProcess(KINORA_CLI_PATH, { "--no-such-flag" }).exitCode, 2);
}

TEST(Cli, UnbuiltSubcommandsSaySoAndPrintNothingOnStdout)
{
    for (const char* sub : kContract) {
        const auto r = runProcess(KINORA_CLI_PATH, { sub, "-o", "/tmp/never-written.mp4" });
        EXPECT_EQ(r.exitCode, 2) << sub;
        EXPECT_NE(r.err.find("not built yet"), std::string::npos) << sub << ": " << r.err;
        EXPECT_TRUE(r.out.empty()) << sub << ": " << r.out;
    }
}

TEST(GuiApp, VersionWorksWithoutADisplay)
{
    const auto r = runProcess(KINORA_GUI_PATH, { "--version" });
    EXPECT_EQ(r.exitCode, 0) << r.err;
    EXPECT_EQ(r.out, std::string("kinora ") + KINORA_VERSION_STRING + "\n");
}
