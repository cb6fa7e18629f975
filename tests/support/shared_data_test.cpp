#include "shared_data.h"

#include <cstdlib>

using kinora::test::DataVerdict;
using kinora::test::decideSharedData;

TEST(SharedData, MissingFileSkipsUnlessRequired)
{
    EXPECT_EQ(decideSharedData(true, false), DataVerdict::Run);
    EXPECT_EQ(decideSharedData(true, true), DataVerdict::Run);
    EXPECT_EQ(decideSharedData(false, false), DataVerdict::Skip);
    EXPECT_EQ(decideSharedData(false, true), DataVerdict::Fail);
}

TEST(SharedData, RequirementComesFromTheEnvironment)
{
    ::setenv("KINORA_REQUIRE_SHARED_DATA", "1", 1);
    EXPECT_TRUE(kinora::test::sharedDataRequired());
    ::setenv("KINORA_REQUIRE_SHARED_DATA", "0", 1);
    EXPECT_FALSE(kinora::test::sharedDataRequired());
    ::unsetenv("KINORA_REQUIRE_SHARED_DATA");
    EXPECT_FALSE(kinora::test::sharedDataRequired());
}

// Real footage the later video tests read; here it proves the CTest wiring points at ../shared/data.
TEST(SharedData, FindsTheDataReadme)
{
    KINORA_SHARED_DATA_FILE(readme, "README.md");
    EXPECT_GT(std::filesystem::file_size(readme), 0u);
}
