# GoogleTest: the installed package (libgtest-dev) or, on machines without one (the GPU box), the
# sources named by KINORA_GTEST_SOURCE_DIR.
find_package(GTest CONFIG QUIET)
if(NOT GTest_FOUND)
  if(KINORA_GTEST_SOURCE_DIR)
    set(INSTALL_GTEST OFF CACHE BOOL "" FORCE)
    set(BUILD_GMOCK ON CACHE BOOL "" FORCE)
    add_subdirectory("${KINORA_GTEST_SOURCE_DIR}" "${CMAKE_BINARY_DIR}/_deps/googletest" EXCLUDE_FROM_ALL)
    # GoogleTest's own CMake defines GTest::gtest and GTest::gtest_main since 1.11.
    if(NOT TARGET GTest::gtest)
      add_library(GTest::gtest ALIAS gtest)
      add_library(GTest::gtest_main ALIAS gtest_main)
    endif()
  else()
    find_package(GTest REQUIRED)
  endif()
endif()
set_package_properties(GTest PROPERTIES TYPE OPTIONAL PURPOSE "the test suites")
include(GoogleTest)
