# Checks that .ci/run runs exactly the test command the README gives (its last line is
# that command, and the README shows the same line).
#   cmake -DSOURCE_DIR=<kiln's source tree> -P ci_command_check.cmake
cmake_minimum_required(VERSION 3.21)

file(STRINGS "${SOURCE_DIR}/.ci/run" ci_lines REGEX "^tools/setup-debian.sh")
list(LENGTH ci_lines n)
if(NOT n EQUAL 1)
    message(FATAL_ERROR ".ci/run must hold exactly one line starting with tools/setup-debian.sh, found ${n}")
endif()
file(STRINGS "${SOURCE_DIR}/README.md" readme_lines)
list(FIND readme_lines "${ci_lines}" at)
if(at EQUAL -1)
    message(FATAL_ERROR "README.md does not show .ci/run's command:\n  ${ci_lines}")
endif()
message(STATUS "README.md and .ci/run both run: ${ci_lines}")
