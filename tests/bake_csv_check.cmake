# bake_csv_check.cmake — runs tools/bake_csv on a small CSV and checks its exit code, its
# message and that its input was left untouched (cmake -P; see tests/CMakeLists.txt).
#
#   -DTOOL=<bake_csv> -DWORK_DIR=<dir> -DCSV_TEXT=<text of in.csv> -DARGS=<args, '|'-separated,
#   @IN@ and @DIR@ replaced> -DEXPECT_EXIT=<code> -DEXPECT=<regex on stderr>
file(MAKE_DIRECTORY "${WORK_DIR}")
set(in "${WORK_DIR}/in.csv")
string(REPLACE "\\n" "\n" text "${CSV_TEXT}")
file(WRITE "${in}" "${text}")
string(REPLACE "@IN@" "${in}" args "${ARGS}")
string(REPLACE "@DIR@" "${WORK_DIR}" args "${args}")
string(REPLACE "|" ";" args "${args}")
execute_process(COMMAND "${TOOL}" ${args} RESULT_VARIABLE code OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT code STREQUAL EXPECT_EXIT)
    message(FATAL_ERROR "bake_csv ${args}: exit code ${code}, expected ${EXPECT_EXIT}\nstderr: ${err}")
endif()
if(NOT err MATCHES "${EXPECT}")
    message(FATAL_ERROR "bake_csv ${args}: stderr does not match \"${EXPECT}\":\n${err}")
endif()
file(READ "${in}" after)
if(NOT after STREQUAL text)
    message(FATAL_ERROR "bake_csv ${args}: the input file was changed")
endif()
