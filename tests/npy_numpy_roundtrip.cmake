# tests/npy_numpy_roundtrip.cmake — runs the round trip through NumPy: kiln writes, NumPy reads and writes, kiln checks (cmake -P).
#
#   -DTOOL=<npy_numpy_roundtrip> -DPYTHON=<python with numpy> -DSCRIPT=<npy_numpy_roundtrip.py> -DWORK_DIR=<dir>
file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}")
foreach(step IN ITEMS "${TOOL};write" "${PYTHON};${SCRIPT}" "${TOOL};check")
    execute_process(COMMAND ${step} "${WORK_DIR}" RESULT_VARIABLE code OUTPUT_VARIABLE out ERROR_VARIABLE err)
    message(STATUS "${out}${err}")
    if(NOT code EQUAL 0)
        message(FATAL_ERROR "step ${step} failed (${code})")
    endif()
endforeach()
