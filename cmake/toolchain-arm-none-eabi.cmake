# cmake/toolchain-arm-none-eabi.cmake — cross-compiling kiln's firmware for Cortex-M with Arm's bare-metal GCC.
#
# Sets the compiler only; the core (-mcpu, float ABI) and every other flag are chosen per
# target by firmware/CMakeLists.txt, so one configure builds images for several cores.
# Needs gcc-arm-none-eabi, libnewlib-arm-none-eabi and libstdc++-arm-none-eabi-dev
# (tools/setup-debian.sh --cortex-m).
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR arm)

set(CMAKE_C_COMPILER arm-none-eabi-gcc)
set(CMAKE_CXX_COMPILER arm-none-eabi-g++)
# A bare-metal test program cannot link without startup code: check the compiler by
# building a library instead.
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)

# Programs (QEMU, the host's compiler) are the host's; libraries and headers the target's.
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
