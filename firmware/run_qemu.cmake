# firmware/run_qemu.cmake — runs one firmware image under QEMU and passes only when its exit status
# is 0 AND it printed "N passed, 0 failed" with N > 0 (CTest's PASS_REGULAR_EXPRESSION alone
# would ignore the exit status; the exit status alone would trust a start-up that returned
# 0 without running the tests).
#   cmake -DQEMU=<qemu-system-arm> -DMACHINE=<board> -DELF=<image> [-DICOUNT=ON] -P run_qemu.cmake
# With -DFAULT=ON the image must instead end in the fault handler: exit status 70 and its
# "fault: pc 0x..." line.
cmake_minimum_required(VERSION 3.21)

set(icount)
if(ICOUNT)
    set(icount -icount shift=10,align=off,sleep=off)
endif()
# timeout: a hung image (a fault loop, a missing vector table) fails in 60 s, not never.
execute_process(
    COMMAND timeout -k 5 60 "${QEMU}" -M "${MACHINE}" ${icount} -display none -monitor none -serial null
            -chardev stdio,id=sh -semihosting-config enable=on,target=native,chardev=sh -kernel "${ELF}"
    INPUT_FILE /dev/null
    OUTPUT_VARIABLE out
    ERROR_VARIABLE out
    RESULT_VARIABLE status)
message("${out}")
if(FAULT)
    if(NOT status STREQUAL "70" OR NOT out MATCHES "fault: pc 0x[0-9a-f]+\n")
        message(FATAL_ERROR "${ELF} on ${MACHINE}: exit status ${status}, not the fault handler's 70 and its line")
    endif()
    return()
endif()
if(NOT status STREQUAL "0")
    message(FATAL_ERROR "${ELF} on ${MACHINE}: exit status ${status} (124: timed out)")
endif()
if(NOT out MATCHES "(^|\n)([0-9]+) passed, 0 failed\n" OR CMAKE_MATCH_2 EQUAL 0)
    message(FATAL_ERROR "${ELF} on ${MACHINE}: exit status 0 but no \"N passed, 0 failed\" line with N > 0")
endif()
