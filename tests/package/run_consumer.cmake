# Configures, builds and runs tests/package/consumer against kiln in one of three ways.
#   cmake -DMODE=install|add_subdirectory|fetchcontent -DKILN_SOURCE_DIR=... -DKILN_BINARY_DIR=...
#         -DCONSUMER_DIR=... -DWORK_DIR=... -DGENERATOR=... -DCXX_COMPILER=...
#         [-DMAKE_PROGRAM=...] [-DCXX_FLAGS=...] [-DEXE_LINKER_FLAGS=...] [-DCONFIG=...]
#         -P run_consumer.cmake
cmake_minimum_required(VERSION 3.21)

function(run what)
    execute_process(COMMAND ${ARGN} RESULT_VARIABLE result)
    if(NOT result EQUAL 0)
        message(FATAL_ERROR "package test (${MODE}): ${what} failed (${result})")
    endif()
endfunction()

if(NOT CONFIG)
    set(CONFIG Release)
endif()

# Start from nothing each time, so a stale cache or a stale installation proves nothing.
file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}")

set(consume_args)
if(MODE STREQUAL "install")
    set(prefix "${WORK_DIR}/prefix")
    run("cmake --install" "${CMAKE_COMMAND}" --install "${KILN_BINARY_DIR}" --prefix "${prefix}" --config "${CONFIG}")
    foreach(installed IN ITEMS include/kiln/dataset.hpp share/cmake/kiln/kilnConfig.cmake
                               share/cmake/kiln/kilnConfigVersion.cmake share/cmake/kiln/kilnTargets.cmake)
        if(NOT EXISTS "${prefix}/${installed}")
            message(FATAL_ERROR "package test (install): ${installed} was not installed")
        endif()
    endforeach()
    # Only the fresh prefix may answer find_package: no user or system package registry.
    list(APPEND consume_args -DKILN_CONSUME=package "-DCMAKE_PREFIX_PATH=${prefix}"
         -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF -DCMAKE_FIND_USE_SYSTEM_PACKAGE_REGISTRY=OFF)
elseif(MODE STREQUAL "add_subdirectory" OR MODE STREQUAL "fetchcontent")
    list(APPEND consume_args "-DKILN_CONSUME=${MODE}" "-DKILN_SOURCE_DIR=${KILN_SOURCE_DIR}")
else()
    message(FATAL_ERROR "package test: unknown MODE '${MODE}'")
endif()

set(build_dir "${WORK_DIR}/build")
set(tool_args -G "${GENERATOR}" "-DCMAKE_CXX_COMPILER=${CXX_COMPILER}" "-DCMAKE_BUILD_TYPE=${CONFIG}"
              "-DCMAKE_CXX_FLAGS=${CXX_FLAGS}" "-DCMAKE_EXE_LINKER_FLAGS=${EXE_LINKER_FLAGS}")
if(MAKE_PROGRAM)
    list(APPEND tool_args "-DCMAKE_MAKE_PROGRAM=${MAKE_PROGRAM}")
endif()

run("configure" "${CMAKE_COMMAND}" -S "${CONSUMER_DIR}" -B "${build_dir}" ${tool_args} ${consume_args})
run("build" "${CMAKE_COMMAND}" --build "${build_dir}" --config "${CONFIG}")

# Single-config generators put the program in the build dir, multi-config ones in <config>/.
set(program "${build_dir}/consumer${CMAKE_EXECUTABLE_SUFFIX}")
if(NOT EXISTS "${program}")
    set(program "${build_dir}/${CONFIG}/consumer${CMAKE_EXECUTABLE_SUFFIX}")
endif()
run("running the consumer" "${program}")

if(MODE STREQUAL "install")
    # The consumer must have found the fresh installation, not the source tree.
    file(READ "${build_dir}/CMakeCache.txt" cache)
    string(FIND "${cache}" "kiln_DIR:PATH=${prefix}/" at)
    if(at EQUAL -1)
        message(FATAL_ERROR "package test (install): find_package(kiln) did not find the installation in ${prefix}")
    endif()
endif()
