# firmware/check_image.cmake — nothing hidden at run time: an image holds no heap, no exception or
# static-guard machinery and no printf float support; optionally, named weights sit in .rodata
# (flash) and no double-precision soft-float helper is linked (float inference needs none,
# and on the M4F's single-precision FPU each would be a slow library call), or no floating
# point at all (integer inference: no soft-float helper of either precision, no FPU instruction).
#   cmake -DNM=<nm> -DOBJDUMP=<objdump> -DELF=<image> [-DWEIGHTS=<demangled symbol>] [-DNO_DOUBLE=ON]
#         [-DNO_FLOAT=ON] -P check_image.cmake
cmake_minimum_required(VERSION 3.21)

execute_process(COMMAND "${NM}" -C "${ELF}" OUTPUT_VARIABLE symbols RESULT_VARIABLE status)
if(NOT status STREQUAL "0")
    message(FATAL_ERROR "${NM} ${ELF} failed (${status})")
endif()
string(REPLACE "\n" ";" symbols "${symbols}")

set(forbidden
    "malloc" "free" "calloc" "realloc" "_malloc_r" "_free_r" "_sbrk" "sbrk"
    "operator new" "operator delete"
    "__cxa_" "__gxx_personality" "_Unwind_" "__aeabi_unwind_cpp_pr"
    "_printf_float" "_dtoa_r" "printf" "_vfprintf_r" "_svfprintf_r")
set(problems)
foreach(line IN LISTS symbols)
    # "address type name" (address missing for undefined symbols)
    if(NOT line MATCHES "^[0-9a-f]* *[A-Za-z] (.*)$")
        continue()
    endif()
    set(name "${CMAKE_MATCH_1}")
    foreach(f IN LISTS forbidden)
        string(FIND "${name}" "${f}" at)
        if(at EQUAL 0)
            list(APPEND problems "  ${name} (from the ban on ${f}*)")
        endif()
    endforeach()
    if(NO_FLOAT AND name MATCHES "^__aeabi_(c?[fd]|[a-z0-9]+2[fd]$)|^__[a-z]+[sd]f[0-9]?$|^__fix(uns)?[sd]f")
        list(APPEND problems "  ${name} (soft float in an integer image)")
    endif()
    if(NO_DOUBLE AND name MATCHES "^__aeabi_(d|cd|[a-z0-9]*2d$)|^__(adddf3|subdf3|muldf3|divdf3|extendsfdf2|truncdfsf2)")
        list(APPEND problems "  ${name} (double-precision soft float on the inference path)")
    endif()
endforeach()

if(WEIGHTS)
    execute_process(COMMAND "${OBJDUMP}" -t -C "${ELF}" OUTPUT_VARIABLE table)
    string(REPLACE "\n" ";" table "${table}")
    set(found OFF)
    foreach(line IN LISTS table)
        # "address flags section size name"
        if(line MATCHES "^[0-9a-f]+ [^\t]*[ \t]([^ \t]+)\t[0-9a-f]+ +(.*)$" AND CMAKE_MATCH_2 STREQUAL WEIGHTS)
            set(found ON)
            if(NOT CMAKE_MATCH_1 STREQUAL ".rodata")
                list(APPEND problems "  ${WEIGHTS} is in ${CMAKE_MATCH_1}, not .rodata (flash only)")
            endif()
        endif()
    endforeach()
    if(NOT found)
        list(APPEND problems "  no symbol ${WEIGHTS} (the weights whose section is checked)")
    endif()
endif()

if(NO_FLOAT)
    execute_process(COMMAND "${OBJDUMP}" -d -C --no-show-raw-insn "${ELF}" OUTPUT_VARIABLE code)
    string(REPLACE "\n" ";" code "${code}")
    set(function "")
    set(fpu_users "")
    foreach(line IN LISTS code)
        if(line MATCHES "^[0-9a-f]+ <(.*)>:$")
            set(function "${CMAKE_MATCH_1}")
        elseif(line MATCHES "^ +[0-9a-f]+:\t(v[a-z]+[^\t]*)" AND NOT function IN_LIST fpu_users)
            list(APPEND fpu_users "${function}")
            list(APPEND problems "  ${function} uses the FPU (${CMAKE_MATCH_1}) in an integer image")
        endif()
    endforeach()
endif()

if(problems)
    list(JOIN problems "\n" problems)
    message(FATAL_ERROR "${ELF}:\n${problems}")
endif()
set(summary "no heap, exceptions, guards or printf float")
if(WEIGHTS)
    string(APPEND summary "; ${WEIGHTS} in .rodata")
endif()
if(NO_DOUBLE)
    string(APPEND summary "; no double-precision soft float")
endif()
if(NO_FLOAT)
    string(APPEND summary "; no floating point")
endif()
message(STATUS "${ELF}: ${summary}")
