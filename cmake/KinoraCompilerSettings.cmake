# Warnings, ccache and sanitizers for every Kinora target.

find_program(KINORA_CCACHE ccache)
if(KINORA_CCACHE AND NOT CMAKE_CXX_COMPILER_LAUNCHER)
  set(CMAKE_CXX_COMPILER_LAUNCHER "${KINORA_CCACHE}")
endif()
add_feature_info(ccache KINORA_CCACHE "compiler cache for rebuilds")

# Applied per target (kinora_warnings) rather than globally so that third-party code built in
# the tree (GoogleTest from source) is not held to them.
add_library(kinora_warnings INTERFACE)
if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
  target_compile_options(kinora_warnings INTERFACE -Wall -Wextra -Wpedantic -Wshadow=local
      -Wnon-virtual-dtor -Wcast-align -Woverloaded-virtual -Wimplicit-fallthrough)
endif()

if(KINORA_SANITIZE)
  add_compile_options(-fsanitize=${KINORA_SANITIZE} -fno-omit-frame-pointer -fno-sanitize-recover=all)
  add_link_options(-fsanitize=${KINORA_SANITIZE})
endif()
