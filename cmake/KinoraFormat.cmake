# `format` rewrites the sources with clang-format; `format-check` fails when any file differs.
find_program(KINORA_CLANG_FORMAT NAMES clang-format-14 clang-format)
if(KINORA_CLANG_FORMAT)
  file(GLOB_RECURSE _kinora_sources CONFIGURE_DEPENDS
      "${PROJECT_SOURCE_DIR}/app/*.cpp" "${PROJECT_SOURCE_DIR}/app/*.h"
      "${PROJECT_SOURCE_DIR}/ui/*.cpp" "${PROJECT_SOURCE_DIR}/ui/*.h"
      "${PROJECT_SOURCE_DIR}/core/*.cpp" "${PROJECT_SOURCE_DIR}/core/*.h"
      "${PROJECT_SOURCE_DIR}/inference/*.cpp" "${PROJECT_SOURCE_DIR}/inference/*.h"
      "${PROJECT_SOURCE_DIR}/tests/*.cpp" "${PROJECT_SOURCE_DIR}/tests/*.h"
      "${PROJECT_SOURCE_DIR}/bench/*.cpp"
      "${PROJECT_SOURCE_DIR}/fuzz/*.cpp" "${PROJECT_SOURCE_DIR}/fuzz/*.h")
  add_custom_target(format
      COMMAND "${KINORA_CLANG_FORMAT}" -i ${_kinora_sources}
      WORKING_DIRECTORY "${PROJECT_SOURCE_DIR}" COMMENT "clang-format (rewrite)" VERBATIM)
  add_custom_target(format-check
      COMMAND "${KINORA_CLANG_FORMAT}" --dry-run --Werror ${_kinora_sources}
      WORKING_DIRECTORY "${PROJECT_SOURCE_DIR}" COMMENT "clang-format (check)" VERBATIM)
endif()
add_feature_info(clang-format KINORA_CLANG_FORMAT "format and format-check targets")
