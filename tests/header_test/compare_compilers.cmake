# Builds header_test_trainer's source with OTHER_CXX, runs it, and compares the headers it
# writes with the ones this build's compiler's trainer wrote (in GENERATED).
#   cmake -DOTHER_CXX=... -DSOURCE_DIR=... -DKILN_INCLUDE=... -DCSV=... -DGENERATED=... -DWORK_DIR=... -P compare_compilers.cmake
cmake_minimum_required(VERSION 3.21)

if(NOT OTHER_CXX)
    message("no other compiler (g++ or clang++) was found at configure time: skipped")
    return()  # the test's SKIP_REGULAR_EXPRESSION matches the line above
endif()
file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}")
# The flags kiln::kiln carries that matter for the bits (-ffp-contract=off), at -O2 rather
# than this build's optimisation level: the bits must not depend on either.
execute_process(
    COMMAND "${OTHER_CXX}" -std=c++20 -O2 -ffp-contract=off "-I${KILN_INCLUDE}" "-I${SOURCE_DIR}"
            "${SOURCE_DIR}/trainer.cpp" -o "${WORK_DIR}/trainer"
    RESULT_VARIABLE result)
if(NOT result EQUAL 0)
    message(FATAL_ERROR "${OTHER_CXX} could not build trainer.cpp (${result})")
endif()
foreach(type IN ITEMS float double)
    execute_process(
        COMMAND "${WORK_DIR}/trainer" --csv "${CSV}" --type ${type} --header round_trip_${type}.hpp --values round_trip_${type}.txt
        WORKING_DIRECTORY "${WORK_DIR}"
        RESULT_VARIABLE result)
    if(NOT result EQUAL 0)
        message(FATAL_ERROR "the trainer built by ${OTHER_CXX} failed (${result})")
    endif()
    foreach(file round_trip_${type}.hpp round_trip_${type}.txt)
        execute_process(COMMAND "${CMAKE_COMMAND}" -E compare_files "${GENERATED}/${file}" "${WORK_DIR}/${file}"
                        RESULT_VARIABLE different)
        if(different)
            message(FATAL_ERROR "${file} written after training by ${OTHER_CXX} differs from this build's "
                                "(${GENERATED}/${file} vs ${WORK_DIR}/${file})")
        endif()
    endforeach()
    message("round_trip_${type}.hpp: byte-identical from ${OTHER_CXX}")
endforeach()
