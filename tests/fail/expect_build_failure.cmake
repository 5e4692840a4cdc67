# Builds one target that must not compile; succeeds only when the build fails AND its
# output matches the regex on the source's first line (`// expect: <regex>`).
#   cmake -DBUILD_DIR=... -DTARGET=... -DSOURCE=... [-DCONFIG=...] -P expect_build_failure.cmake
cmake_minimum_required(VERSION 3.21)

foreach(var IN ITEMS BUILD_DIR TARGET SOURCE)
    if(NOT DEFINED ${var})
        message(FATAL_ERROR "expect_build_failure: ${var} is not set")
    endif()
endforeach()

file(STRINGS "${SOURCE}" first_line LIMIT_COUNT 1)
if(NOT first_line MATCHES "^// expect: (.+)$")
    message(FATAL_ERROR "${SOURCE}:1: must begin with `// expect: <regex>` "
                        "(the error message the compiler has to give)")
endif()
set(expected "${CMAKE_MATCH_1}")

set(config_args)
if(CONFIG)
    set(config_args --config "${CONFIG}")
endif()
# LC_ALL=C: GCC then quotes with ASCII ' instead of the locale's typographic quotes, so
# one regex fits every machine.
execute_process(
    COMMAND "${CMAKE_COMMAND}" -E env LC_ALL=C
            "${CMAKE_COMMAND}" --build "${BUILD_DIR}" --target "${TARGET}" ${config_args}
    RESULT_VARIABLE result
    OUTPUT_VARIABLE output
    ERROR_VARIABLE output)
# Colour escapes would split the words the regex looks for.
string(ASCII 27 esc)
string(REGEX REPLACE "${esc}\\[[0-9;]*[mK]" "" output "${output}")

if(result EQUAL 0)
    message(FATAL_ERROR "${SOURCE}: compiled, but it must not.\n${output}")
endif()
if(NOT output MATCHES "${expected}")
    message(FATAL_ERROR "${SOURCE}: failed to compile as it should, but no message matched "
                        "`${expected}`. Build output:\n${output}")
endif()
message(STATUS "${SOURCE}: rejected with a message matching `${expected}`")
