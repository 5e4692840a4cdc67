# cmake/toolchain-arm-none-eabi.cmake — cross-compiling kiln's firmware for Cortex-M with Arm's bare-metal GCC.
#
# Sets the compiler only; the core (-mcpu, float ABI) is chosen per target by firmware/,
# so one configure builds images for several cores. Needs gcc-arm-none-eabi,
# libnewlib-arm-none-eabi and libstdc++-arm-none-eabi-dev (tools/setup-debian.sh --cortex-m).
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR arm)

set(CMAKE_C_COMPILER arm-none-eabi-gcc)
set(CMAKE_CXX_COMPILER arm-none-eabi-g++)
# A bare-metal test program cannot link without startup code: check the compiler by
# building a library instead.
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)

# What every image is built with, whatever its core: no exceptions or RTTI (nothing hidden
# at run time), one section per function and object so --gc-sections keeps only what is used.
set(CMAKE_CXX_FLAGS_INIT "-fno-exceptions -fno-rtti -ffunction-sections -fdata-sections")
set(CMAKE_EXE_LINKER_FLAGS_INIT "-Wl,--gc-sections -nostartfiles -nostdlib")

# The binutils that inspect the images (firmware/check_image.cmake, bench/footprint.sh).
find_program(KILN_ARM_NM arm-none-eabi-nm REQUIRED)
find_program(KILN_ARM_OBJDUMP arm-none-eabi-objdump REQUIRED)

set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
