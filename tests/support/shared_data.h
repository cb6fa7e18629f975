#pragma once
// Access to the real footage in ../shared/data for tests. A user's fresh clone has no ../shared, so
// tests skip without it; scripts/test sets KINORA_REQUIRE_SHARED_DATA=1 when the folder is there,
// and then a missing file is a failure, not a silent skip.

#include <gtest/gtest.h>

#include <filesystem>
#include <optional>
#include <string>

namespace kinora::test {

enum class DataVerdict { Run, Skip, Fail };

// Pure decision, unit-tested: run when the file exists, else skip or fail by the requirement.
DataVerdict decideSharedData(bool exists, bool required);

// The folder named by $KINORA_SHARED_DATA (set by CTest), if set.
std::optional<std::filesystem::path> sharedDataRoot();

bool sharedDataRequired();

} // namespace kinora::test

// Declares `var` as the path of `relative` inside the shared data; skips or fails the test when the
// file is not there.
#define KINORA_SHARED_DATA_FILE(var, relative)                                                         \
    const auto var = ::kinora::test::sharedDataRoot().value_or(std::filesystem::path {}) / (relative); \
    switch (::kinora::test::decideSharedData(                                                          \
        ::kinora::test::sharedDataRoot().has_value() && std::filesystem::exists(var),                  \
        ::kinora::test::sharedDataRequired())) {                                                       \
    case ::kinora::test::DataVerdict::Run:                                                             \
        break;                                                                                         \
    case ::kinora::test::DataVerdict::Skip:                                                            \
        GTEST_SKIP() << "shared data not present: " << (var);                                          \
    case ::kinora::test::DataVerdict::Fail:                                                            \
        FAIL() << "shared data required (KINORA_REQUIRE_SHARED_DATA=1) but missing: " << (var);        \
    }
