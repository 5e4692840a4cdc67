# KilnBake.cmake — kiln_bake_csv(): turn a CSV data set into a header of constexpr kiln::dataset values at build time.
#
#   kiln_bake_csv(TARGET <target> CSV <file.csv> OUTPUT <header.hpp> NAME <identifier>
#                 INPUTS <n> CLASSES <n>
#                 [TYPE float|double] [LABEL_COLUMN <c>] [HEADER_LINES <n>] [SCALE <x>]
#                 [SPLIT_EVERY <k>] [LABEL class|number])
#
# runs tools/bake_csv (built once, as the target kiln_bake_csv_tool) whenever the CSV or the
# tool changes, writing OUTPUT (relative paths go under ${CMAKE_CURRENT_BINARY_DIR}/kiln_baked)
# and putting its directory on <target>'s include path, so <target> can
# `#include "header.hpp"`. With SPLIT_EVERY k the header defines <NAME>_train and <NAME>_test
# (row i held out when i % k == k - 1), otherwise <NAME>. The options mean what bake_csv's do
# (bake_csv --help); CLASSES is the number of targets a row gets.
#
# The tool must run on the build machine. When cross-compiling (e.g. for a Cortex-M), build
# bake_csv for the host first and pass its path as KILN_BAKE_CSV_EXECUTABLE.
include_guard(GLOBAL)

set(KILN_BAKE_CSV_EXECUTABLE "" CACHE FILEPATH
    "A bake_csv already built for the build machine; empty: build tools/bake_csv as kiln_bake_csv_tool")

# Where this file is: the source tree's cmake/ (tools/ and include/ beside it), or an
# installed package directory (bake_csv.cpp, when the installation carries it, beside it).
# A global property, not a variable: the functions run in whichever directory calls them.
set_property(GLOBAL PROPERTY KILN_BAKE_DIR "${CMAKE_CURRENT_LIST_DIR}")

# The command that runs bake_csv, in out_command; what a rule must depend on, in out_depends.
function(_kiln_bake_csv_tool out_command out_depends)
    if(KILN_BAKE_CSV_EXECUTABLE)
        set(${out_command} "${KILN_BAKE_CSV_EXECUTABLE}" PARENT_SCOPE)
        set(${out_depends} "${KILN_BAKE_CSV_EXECUTABLE}" PARENT_SCOPE)
        return()
    endif()
    if(NOT TARGET kiln_bake_csv_tool)
        get_property(_kiln_bake_dir GLOBAL PROPERTY KILN_BAKE_DIR)
        if(CMAKE_CROSSCOMPILING)
            message(FATAL_ERROR "kiln_bake_csv: this build cross-compiles, so the bake_csv it would build could not "
                "run here. Build tools/bake_csv.cpp for the build machine and pass its path as "
                "-DKILN_BAKE_CSV_EXECUTABLE=<path>.")
        endif()
        set(source "")
        foreach(candidate "${_kiln_bake_dir}/../tools/bake_csv.cpp" "${_kiln_bake_dir}/bake_csv.cpp")
            if(EXISTS "${candidate}")
                get_filename_component(source "${candidate}" ABSOLUTE)
                break()
            endif()
        endforeach()
        if(NOT source)
            message(FATAL_ERROR "kiln_bake_csv: bake_csv.cpp is neither in ${_kiln_bake_dir}/../tools nor in "
                "${_kiln_bake_dir}; pass a built bake_csv as -DKILN_BAKE_CSV_EXECUTABLE=<path>.")
        endif()
        add_executable(kiln_bake_csv_tool "${source}")
        set_target_properties(kiln_bake_csv_tool PROPERTIES OUTPUT_NAME bake_csv)
        target_compile_features(kiln_bake_csv_tool PRIVATE cxx_std_20)
        if(TARGET kiln::kiln)
            target_link_libraries(kiln_bake_csv_tool PRIVATE kiln::kiln)
        elseif(EXISTS "${_kiln_bake_dir}/../include/kiln/io/csv.hpp")
            target_include_directories(kiln_bake_csv_tool PRIVATE "${_kiln_bake_dir}/../include")
        else()
            message(FATAL_ERROR "kiln_bake_csv: cannot find kiln's headers for bake_csv (no kiln::kiln target)")
        endif()
    endif()
    set(${out_command} "$<TARGET_FILE:kiln_bake_csv_tool>" PARENT_SCOPE)
    set(${out_depends} kiln_bake_csv_tool PARENT_SCOPE)
endfunction()

function(kiln_bake_csv)
    set(one_value TARGET CSV OUTPUT NAME TYPE INPUTS CLASSES LABEL_COLUMN HEADER_LINES SCALE SPLIT_EVERY LABEL)
    cmake_parse_arguments(PARSE_ARGV 0 arg "" "${one_value}" "")
    # Mistakes are reported here, when CMake runs, rather than as a failed build step later.
    if(arg_UNPARSED_ARGUMENTS)
        message(FATAL_ERROR "kiln_bake_csv: unknown arguments: ${arg_UNPARSED_ARGUMENTS}")
    endif()
    foreach(required TARGET CSV OUTPUT NAME INPUTS CLASSES)
        if(NOT DEFINED arg_${required} OR arg_${required} STREQUAL "")
            message(FATAL_ERROR "kiln_bake_csv: ${required} is required")
        endif()
    endforeach()
    if(NOT TARGET "${arg_TARGET}")
        message(FATAL_ERROR "kiln_bake_csv: TARGET ${arg_TARGET} is not a target (create it before baking into it)")
    endif()
    if(NOT arg_NAME MATCHES "^[A-Za-z_][A-Za-z0-9_]*$")
        message(FATAL_ERROR "kiln_bake_csv: NAME \"${arg_NAME}\" is not a C++ identifier")
    endif()
    foreach(number INPUTS CLASSES LABEL_COLUMN HEADER_LINES SPLIT_EVERY)
        if(DEFINED arg_${number} AND NOT arg_${number} MATCHES "^[0-9]+$")
            message(FATAL_ERROR "kiln_bake_csv: ${number} must be a non-negative integer, not \"${arg_${number}}\"")
        endif()
    endforeach()
    if(DEFINED arg_TYPE AND NOT arg_TYPE MATCHES "^(float|double)$")
        message(FATAL_ERROR "kiln_bake_csv: TYPE must be float or double, not \"${arg_TYPE}\"")
    endif()
    if(DEFINED arg_LABEL AND NOT arg_LABEL MATCHES "^(class|number)$")
        message(FATAL_ERROR "kiln_bake_csv: LABEL must be class or number, not \"${arg_LABEL}\"")
    endif()

    get_filename_component(csv "${arg_CSV}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
    if(NOT EXISTS "${csv}")
        message(FATAL_ERROR "kiln_bake_csv: CSV ${csv} does not exist")
    endif()
    get_filename_component(output "${arg_OUTPUT}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_BINARY_DIR}/kiln_baked")
    get_filename_component(output_dir "${output}" DIRECTORY)
    file(MAKE_DIRECTORY "${output_dir}")

    set(args --in "${csv}" --out "${output}" --name "${arg_NAME}" --inputs "${arg_INPUTS}" --classes "${arg_CLASSES}")
    foreach(pair TYPE:--type LABEL_COLUMN:--label-column HEADER_LINES:--header-lines SCALE:--scale
                 SPLIT_EVERY:--split-every LABEL:--label)
        string(REPLACE ":" ";" pair "${pair}")
        list(GET pair 0 key)
        list(GET pair 1 option)
        if(DEFINED arg_${key})
            list(APPEND args "${option}" "${arg_${key}}")
        endif()
    endforeach()

    _kiln_bake_csv_tool(tool tool_depends)
    file(RELATIVE_PATH shown "${CMAKE_BINARY_DIR}" "${output}")
    add_custom_command(OUTPUT "${output}"
        COMMAND ${tool} ${args}
        DEPENDS "${csv}" ${tool_depends}
        COMMENT "Baking ${arg_CSV} into ${shown}"
        VERBATIM)

    # A custom target carries the rule, so that the header is made before <target> compiles
    # even when <target> was created in another directory.
    set(bake_target "${arg_TARGET}_bake_${arg_NAME}")
    add_custom_target("${bake_target}" DEPENDS "${output}")
    add_dependencies("${arg_TARGET}" "${bake_target}")
    get_target_property(type "${arg_TARGET}" TYPE)
    if(type STREQUAL "INTERFACE_LIBRARY")
        target_include_directories("${arg_TARGET}" INTERFACE "${output_dir}")
    else()
        target_include_directories("${arg_TARGET}" PRIVATE "${output_dir}")
    endif()
endfunction()
