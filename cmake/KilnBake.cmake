# KilnBake.cmake — build steps that write C++ headers of constexpr data: kiln_bake_csv() bakes a CSV
# data set, kiln_generate_header() runs a program of yours (a trainer) that writes one.
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
#   kiln_generate_header(OUTPUT <header.hpp> COMMAND <executable target or path> [ARGS <arg>...]
#                        [DEPENDS <file>...] [BYPRODUCTS <file>...] [TARGET <consumer target>])
#
# runs COMMAND ARGS... at build time, in OUTPUT's directory (relative OUTPUT paths go under
# ${CMAKE_CURRENT_BINARY_DIR}/kiln_generated, relative BYPRODUCTS — other files the command
# writes — beside OUTPUT, relative DEPENDS under the current source directory), to write OUTPUT — typically a trainer that calls
# kiln::io::write_header. It runs again when the program, any DEPENDS file (its data) or any of
# kiln's headers change; write_header leaves an unchanged header untouched, so retraining to
# the same bits recompiles nothing. TARGET, when given, gets OUTPUT's directory on its include
# path and is built after the header; without TARGET the header is made by `all`.
#
# Both programs must run on the build machine. When cross-compiling (e.g. for a Cortex-M)
# there are two ways: build them in a host build and pass their paths — KILN_BAKE_CSV_EXECUTABLE
# for bake_csv, a path as COMMAND for kiln_generate_header — or check the generated headers in
# and include them without baking at build time.
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

# Stops with a message naming the function when cmake_parse_arguments (prefix arg) found
# arguments it does not know or keywords given without a value (which it would drop silently).
macro(_kiln_check_arguments function_name)
    if(arg_UNPARSED_ARGUMENTS)
        message(FATAL_ERROR "${function_name}: unknown arguments: ${arg_UNPARSED_ARGUMENTS}")
    endif()
    if(arg_KEYWORDS_MISSING_VALUES)
        list(JOIN arg_KEYWORDS_MISSING_VALUES ", " _kiln_missing)
        message(FATAL_ERROR "${function_name}: ${_kiln_missing} given without a value")
    endif()
endmacro()

# Makes <target> build after the rule for <header> and see <header>'s directory on its
# include path. A custom target, <rule_target>, carries the rule, so that the header is made
# before <target> compiles even when <target> was created in another directory.
function(_kiln_feed_target target rule_target header)
    get_filename_component(header_dir "${header}" DIRECTORY)
    add_custom_target("${rule_target}" DEPENDS "${header}")
    add_dependencies("${target}" "${rule_target}")
    get_target_property(type "${target}" TYPE)
    if(type STREQUAL "INTERFACE_LIBRARY")
        target_include_directories("${target}" INTERFACE "${header_dir}")
    else()
        target_include_directories("${target}" PRIVATE "${header_dir}")
    endif()
endfunction()

function(kiln_bake_csv)
    set(one_value TARGET CSV OUTPUT NAME TYPE INPUTS CLASSES LABEL_COLUMN HEADER_LINES SCALE SPLIT_EVERY LABEL)
    cmake_parse_arguments(PARSE_ARGV 0 arg "" "${one_value}" "")
    # Mistakes are reported here, when CMake runs, rather than as a failed build step later.
    _kiln_check_arguments(kiln_bake_csv)
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
    foreach(number INPUTS CLASSES)
        if(arg_${number} EQUAL 0)
            message(FATAL_ERROR "kiln_bake_csv: ${number} must be at least 1, not ${arg_${number}}")
        endif()
    endforeach()
    if(DEFINED arg_SPLIT_EVERY AND arg_SPLIT_EVERY LESS 2)
        message(FATAL_ERROR "kiln_bake_csv: SPLIT_EVERY must be at least 2 (one row in SPLIT_EVERY is held out), not ${arg_SPLIT_EVERY}")
    endif()
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

    _kiln_feed_target("${arg_TARGET}" "${arg_TARGET}_bake_${arg_NAME}" "${output}")
endfunction()

# kiln's headers, for rules that must run again when kiln changes: from the source tree
# (include/ beside cmake/) or from the installed package (kiln::kiln's include directory).
function(_kiln_header_files out)
    get_property(_kiln_bake_dir GLOBAL PROPERTY KILN_BAKE_DIR)
    set(roots "${_kiln_bake_dir}/../include")
    if(TARGET kiln::kiln)
        get_target_property(dirs kiln::kiln INTERFACE_INCLUDE_DIRECTORIES)
        foreach(dir IN LISTS dirs)
            if(NOT dir MATCHES "[$]<")  # the source tree's entry is a generator expression
                list(APPEND roots "${dir}")
            endif()
        endforeach()
    endif()
    foreach(root IN LISTS roots)
        if(EXISTS "${root}/kiln/network.hpp")
            file(GLOB_RECURSE headers CONFIGURE_DEPENDS "${root}/kiln/*.hpp")
            set(${out} ${headers} PARENT_SCOPE)
            return()
        endif()
    endforeach()
    message(FATAL_ERROR "kiln: cannot find kiln's headers (looked in ${roots})")
endfunction()

function(kiln_generate_header)
    cmake_parse_arguments(PARSE_ARGV 0 arg "" "OUTPUT;COMMAND;TARGET" "ARGS;DEPENDS;BYPRODUCTS")
    _kiln_check_arguments(kiln_generate_header)
    foreach(required OUTPUT COMMAND)
        if(NOT DEFINED arg_${required})
            message(FATAL_ERROR "kiln_generate_header: ${required} is required")
        endif()
    endforeach()
    if(DEFINED arg_TARGET AND NOT TARGET "${arg_TARGET}")
        message(FATAL_ERROR "kiln_generate_header: TARGET ${arg_TARGET} is not a target (create it before generating into it)")
    endif()

    if(TARGET "${arg_COMMAND}")
        get_target_property(type "${arg_COMMAND}" TYPE)
        if(NOT type STREQUAL "EXECUTABLE")
            message(FATAL_ERROR "kiln_generate_header: COMMAND ${arg_COMMAND} is a ${type} target, not an executable")
        endif()
        get_target_property(imported "${arg_COMMAND}" IMPORTED)
        if(CMAKE_CROSSCOMPILING AND NOT imported)
            message(FATAL_ERROR "kiln_generate_header: this build cross-compiles, so ${arg_COMMAND}, built here, could "
                "not run on the build machine to write ${arg_OUTPUT}. Either build ${arg_COMMAND} in a host build and pass "
                "its path as COMMAND (e.g. COMMAND \${MY_TRAINER} with -DMY_TRAINER=<host build>/${arg_COMMAND}), or check "
                "the generated header in and include it instead of generating it.")
        endif()
        set(command "$<TARGET_FILE:${arg_COMMAND}>")
        set(command_depends "${arg_COMMAND}")  # its build, and its file: rerun when it is rebuilt
    else()
        get_filename_component(command "${arg_COMMAND}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
        if(NOT EXISTS "${command}" OR IS_DIRECTORY "${command}")
            message(FATAL_ERROR "kiln_generate_header: COMMAND ${arg_COMMAND} is neither an executable target nor "
                "an existing program (looked for ${command})")
        endif()
        set(command_depends "${command}")
    endif()

    get_filename_component(output "${arg_OUTPUT}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_BINARY_DIR}/kiln_generated")
    get_filename_component(output_dir "${output}" DIRECTORY)
    file(MAKE_DIRECTORY "${output_dir}")
    set(depends)
    foreach(file IN LISTS arg_DEPENDS)
        get_filename_component(file "${file}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
        list(APPEND depends "${file}")
    endforeach()
    # The command runs in OUTPUT's directory, so relative BYPRODUCTS are there too.
    set(byproducts)
    foreach(file IN LISTS arg_BYPRODUCTS)
        get_filename_component(file "${file}" ABSOLUTE BASE_DIR "${output_dir}")
        list(APPEND byproducts "${file}")
    endforeach()
    _kiln_header_files(kiln_headers)

    file(RELATIVE_PATH shown "${CMAKE_BINARY_DIR}" "${output}")
    add_custom_command(OUTPUT "${output}"
        BYPRODUCTS ${byproducts}
        COMMAND "${command}" ${arg_ARGS}
        DEPENDS ${command_depends} ${depends} ${kiln_headers}
        WORKING_DIRECTORY "${output_dir}"
        COMMENT "Generating ${shown} with ${arg_COMMAND}"
        VERBATIM)

    get_filename_component(stem "${output}" NAME_WE)
    string(MAKE_C_IDENTIFIER "${stem}" stem)
    if(DEFINED arg_TARGET)
        _kiln_feed_target("${arg_TARGET}" "${arg_TARGET}_generate_${stem}" "${output}")
    else()
        add_custom_target("kiln_generate_${stem}" ALL DEPENDS "${output}")
    endif()
endfunction()
