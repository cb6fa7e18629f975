# Finds the OpenCV modules Kinora uses and defines OpenCV::<module> imported targets.
#
# Debian ships OpenCVConfig.cmake only in the umbrella libopencv-dev, which pulls in VTK, Qt 5 and
# more; Kinora installs just the module packages (libopencv-<module>-dev), so this falls back to
# finding headers and libraries directly when no config package is present.
set(_kinora_cv_modules core imgproc video photo imgcodecs)

find_package(OpenCV 4 CONFIG QUIET COMPONENTS ${_kinora_cv_modules})
if(OpenCV_FOUND)
  foreach(_m IN LISTS _kinora_cv_modules)
    if(NOT TARGET OpenCV::${_m})
      add_library(OpenCV::${_m} INTERFACE IMPORTED)
      target_link_libraries(OpenCV::${_m} INTERFACE opencv_${_m})
    endif()
  endforeach()
  set(KinoraOpenCV_FOUND TRUE)
  set(KinoraOpenCV_VERSION "${OpenCV_VERSION}")
  return()
endif()

find_path(KinoraOpenCV_INCLUDE_DIR opencv2/core.hpp PATH_SUFFIXES opencv4)
set(_kinora_cv_libs)
foreach(_m IN LISTS _kinora_cv_modules)
  find_library(KinoraOpenCV_${_m}_LIBRARY opencv_${_m})
  list(APPEND _kinora_cv_libs KinoraOpenCV_${_m}_LIBRARY)
endforeach()
if(KinoraOpenCV_INCLUDE_DIR AND EXISTS "${KinoraOpenCV_INCLUDE_DIR}/opencv2/core/version.hpp")
  file(STRINGS "${KinoraOpenCV_INCLUDE_DIR}/opencv2/core/version.hpp" _v REGEX "#define CV_VERSION_(MAJOR|MINOR|REVISION) ")
  string(REGEX REPLACE ".*MAJOR +([0-9]+).*MINOR +([0-9]+).*REVISION +([0-9]+).*" "\\1.\\2.\\3"
      KinoraOpenCV_VERSION "${_v}")
endif()

include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(KinoraOpenCV
    REQUIRED_VARS KinoraOpenCV_INCLUDE_DIR ${_kinora_cv_libs}
    VERSION_VAR KinoraOpenCV_VERSION)

if(KinoraOpenCV_FOUND)
  foreach(_m IN LISTS _kinora_cv_modules)
    if(NOT TARGET OpenCV::${_m})
      add_library(OpenCV::${_m} UNKNOWN IMPORTED)
      set_target_properties(OpenCV::${_m} PROPERTIES
          IMPORTED_LOCATION "${KinoraOpenCV_${_m}_LIBRARY}"
          INTERFACE_INCLUDE_DIRECTORIES "${KinoraOpenCV_INCLUDE_DIR}")
    endif()
  endforeach()
endif()
