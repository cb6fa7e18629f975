# Finds LibTorch 2.x and defines kinora_torch, the one target Kinora links for it.
#
# Any LibTorch works through CMAKE_PREFIX_PATH (or Torch_DIR): the torch wheel's bundled one
# (`python -c 'import torch; print(torch.utils.cmake_prefix_path)'`), the official zip, a GPU
# machine's. scripts/lib/deps.sh sets up the wheel in ~/.cache/kinora.

# A CUDA build of LibTorch probes the installed GPUs with a CUDA try_run unless told which
# architectures to target. Kinora compiles no CUDA code itself, so the list only skips that probe,
# which fails on machines without a GPU and on CMake 3.25's CUDA dialect handling.
if(NOT DEFINED TORCH_CUDA_ARCH_LIST AND NOT DEFINED ENV{TORCH_CUDA_ARCH_LIST})
  set(TORCH_CUDA_ARCH_LIST "8.0;9.0")
endif()
set(CMAKE_CUDA_STANDARD 17)

find_package(Torch REQUIRED)
set_package_properties(Torch PROPERTIES TYPE REQUIRED
    DESCRIPTION "LibTorch 2.x (the torch wheel's bundled LibTorch, or any other via CMAKE_PREFIX_PATH)"
    PURPOSE "tensors, neural network modules and the GPU for the diffusion engine")
if(Torch_VERSION VERSION_LESS 2.0)
  message(WARNING "LibTorch ${Torch_VERSION} is older than 2.0; Kinora targets LibTorch 2.x.")
endif()

# TorchConfig looks for its libraries with find_library(... PATHS <prefix>/lib), which searches the
# system folders first: with a second LibTorch there (Debian's libtorch-dev) the build would mix two
# LibTorches and crash at run time. Refuse that with a clear message.
get_filename_component(_kinora_torch_libdir "${TORCH_INSTALL_PREFIX}/lib" REALPATH)
get_filename_component(_kinora_torch_found "${TORCH_LIBRARY}" DIRECTORY)
get_filename_component(_kinora_torch_found "${_kinora_torch_found}" REALPATH)
if(NOT _kinora_torch_found STREQUAL _kinora_torch_libdir)
  message(FATAL_ERROR
      "LibTorch's CMake config is from ${TORCH_INSTALL_PREFIX} but libtorch was found in "
      "${_kinora_torch_found}: two LibTorch installs are visible (Debian's libtorch-dev?). "
      "Remove the other one (apt-get remove libtorch-dev) and configure a fresh build folder.")
endif()

add_library(kinora_torch INTERFACE)
target_link_libraries(kinora_torch INTERFACE ${TORCH_LIBRARIES})
separate_arguments(_kinora_torch_flags UNIX_COMMAND "${TORCH_CXX_FLAGS}")
target_compile_options(kinora_torch INTERFACE ${_kinora_torch_flags})

# The wheel's libtorch_cuda finds its CUDA libraries (nvidia/*/lib in site-packages) through its own
# RPATH at run time; the linker needs to be told, or it resolves them against an older copy in the
# CUDA toolkit's folder (undefined ncclXxx symbols).
file(GLOB _kinora_nvidia_libdirs LIST_DIRECTORIES true "${TORCH_INSTALL_PREFIX}/../nvidia/*/lib")
foreach(_dir IN LISTS _kinora_nvidia_libdirs)
  target_link_options(kinora_torch INTERFACE "LINKER:-rpath-link,${_dir}")
endforeach()
