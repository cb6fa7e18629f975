# nlohmann-json and CLI11: their CMake packages when installed (Debian), else just their headers on
# the include path (-DCMAKE_PREFIX_PATH=<dir with include/nlohmann, include/CLI>), which is all a GPU
# machine without Debian's packages needs to be carried.

find_package(nlohmann_json 3.10 QUIET)
if(NOT nlohmann_json_FOUND)
  find_path(KINORA_NLOHMANN_JSON_INCLUDE nlohmann/json.hpp REQUIRED)
  add_library(nlohmann_json::nlohmann_json INTERFACE IMPORTED)
  target_include_directories(nlohmann_json::nlohmann_json INTERFACE "${KINORA_NLOHMANN_JSON_INCLUDE}")
  set(nlohmann_json_FOUND TRUE)
endif()
set_package_properties(nlohmann_json PROPERTIES TYPE REQUIRED
    PURPOSE "model pack manifests, safetensors headers, project files, sidecars")

find_package(CLI11 2.1 QUIET)
if(NOT CLI11_FOUND)
  find_path(KINORA_CLI11_INCLUDE CLI/CLI.hpp REQUIRED)
  add_library(CLI11::CLI11 INTERFACE IMPORTED)
  target_include_directories(CLI11::CLI11 INTERFACE "${KINORA_CLI11_INCLUDE}")
  set(CLI11_FOUND TRUE)
endif()
set_package_properties(CLI11 PROPERTIES TYPE REQUIRED PURPOSE "command lines of kinora-cli and kinora-engine")
