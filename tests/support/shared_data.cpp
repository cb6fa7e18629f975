#include "shared_data.h"

#include <cstdlib>
#include <string_view>

namespace kinora::test {

DataVerdict decideSharedData(bool exists, bool required)
{
    if (exists)
        return DataVerdict::Run;
    return required ? DataVerdict::Fail : DataVerdict::Skip;
}

std::optional<std::filesystem::path> sharedDataRoot()
{
    const char* dir = std::getenv("KINORA_SHARED_DATA");
    if (dir == nullptr || *dir == '\0')
        return std::nullopt;
    return std::filesystem::path(dir);
}

bool sharedDataRequired()
{
    const char* flag = std::getenv("KINORA_REQUIRE_SHARED_DATA");
    return flag != nullptr && std::string_view(flag) == "1";
}

} // namespace kinora::test
