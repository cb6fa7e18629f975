# nlohmann-json and CLI11: their CMake packages when installed (Debian), else just their headers on
# the include path (-DCMAKE_PREFIX_PATH=<dir with include/nlohmann, include/CLI>), which is all a GPU
# machine without Debian's packages needs to be carried (scripts/carry-engine-deps).

# kinora_find_header_only(<package> <min version> <imported target> <header> <purpose>)
macro(kinora_find_header_only package version target header purpose)
  find_package(${package} ${version} QUIET)
  if(NOT ${package}_FOUND)
    find_path(KINORA_${package}_INCLUDE ${header} REQUIRED)
    add_library(${target} INTERFACE IMPORTED)
    target_include_directories(${target} INTERFACE "${KINORA_${package}_INCLUDE}")
    set(${package}_FOUND TRUE)
  endif()
  set_package_properties(${package} PROPERTIES TYPE REQUIRED PURPOSE "${purpose}")
endmacro()

kinora_find_header_only(nlohmann_json 3.10 nlohmann_json::nlohmann_json nlohmann/json.hpp
    "model pack manifests, safetensors headers, project files, sidecars")
kinora_find_header_only(CLI11 2.1 CLI11::CLI11 CLI/CLI.hpp
    "command lines of kinora-cli and kinora-engine")
