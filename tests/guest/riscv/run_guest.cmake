# Run one guest program on the emulator and check it (used by CTest).
#
#   cmake -DEMU=<emulator> -DELF=<program.elf> [-DEXPECTED=<expected.out>]
#         [-DEMU_ARGS="<extra args>"] [-DTIMEOUT=<seconds>]
#         [-DMACHINE=<-M value, default virt>]
#         [-DDISK=<image> -DDISK_SECTORS=<n>] -P run_guest.cmake
#
# With DISK, a fresh raw disk image is written there before the run (so a
# guest that writes to it always starts from the same disk): n 512-byte
# sectors, sector s filled with the byte 0x40 + s % 64 (CMake cannot write a
# NUL byte, so the pattern starts at '@'), and every "@DISK@" in EMU_ARGS
# becomes its path.  hostile_virtio is run this way.
#
# Fails if the emulator does not exit with status 0 (the guest's exit code
# through the test finisher) or, when EXPECTED is a file, if the UART output
# (the emulator's stdout) differs from it.  The output is also written to
# <ELF>.out next to the ELF for inspection.
cmake_minimum_required(VERSION 3.16)

foreach(var EMU ELF)
    if(NOT DEFINED ${var} OR "${${var}}" STREQUAL "")
        message(FATAL_ERROR "run_guest.cmake: -D${var}=... is required")
    endif()
endforeach()
if(NOT EXISTS "${ELF}")
    message(FATAL_ERROR "run_guest.cmake: ${ELF} does not exist")
endif()
if(NOT DEFINED TIMEOUT OR "${TIMEOUT}" STREQUAL "")
    set(TIMEOUT 60)
endif()
if(NOT DEFINED MACHINE OR "${MACHINE}" STREQUAL "")
    set(MACHINE virt)
endif()
if(DEFINED DISK AND NOT "${DISK}" STREQUAL "")
    if(NOT DEFINED DISK_SECTORS OR NOT DISK_SECTORS GREATER 0)
        message(FATAL_ERROR "run_guest.cmake: -DDISK needs -DDISK_SECTORS=<n>")
    endif()
    set(_image "")
    math(EXPR _last "${DISK_SECTORS} - 1")
    foreach(_s RANGE 0 ${_last})
        math(EXPR _code "64 + ${_s} % 64")
        string(ASCII ${_code} _byte)
        string(REPEAT "${_byte}" 512 _sector)
        string(APPEND _image "${_sector}")
    endforeach()
    file(WRITE "${DISK}" "${_image}")
    string(REPLACE "@DISK@" "${DISK}" EMU_ARGS "${EMU_ARGS}")
endif()
separate_arguments(_extra UNIX_COMMAND "${EMU_ARGS}")

execute_process(
    COMMAND ${EMU} -M ${MACHINE} -m 128M -bios none -nographic ${_extra} -kernel ${ELF}
    INPUT_FILE /dev/null
    TIMEOUT ${TIMEOUT}
    RESULT_VARIABLE rc
    OUTPUT_VARIABLE out
    ERROR_VARIABLE err)

file(WRITE "${ELF}.out" "${out}")
get_filename_component(_name "${ELF}" NAME_WE)

# Last few lines of a text, for failure messages.
function(_tail text n outvar)
    string(LENGTH "${text}" len)
    set(pos ${len})
    set(count 0)
    while(pos GREATER 0 AND count LESS_EQUAL n)
        math(EXPR pos "${pos} - 1")
        string(SUBSTRING "${text}" ${pos} 1 ch)
        if(ch STREQUAL "\n")
            math(EXPR count "${count} + 1")
        endif()
    endwhile()
    string(SUBSTRING "${text}" ${pos} -1 tail)
    set(${outvar} "${tail}" PARENT_SCOPE)
endfunction()

if(NOT "${rc}" STREQUAL "0")
    _tail("${out}" 20 tail)
    set(msg "${_name}: emulator exited with '${rc}' (want 0)\n")
    string(APPEND msg "command: ${EMU} -M ${MACHINE} -m 128M -bios none -nographic ${EMU_ARGS} -kernel ${ELF}\n")
    # every failed check and unexpected trap, wherever it is in the output
    string(REGEX MATCHALL "(FAIL|UNEXPECTED TRAP)[^\n]*" fails "${out}")
    if(fails)
        string(REPLACE ";" "\n" fails "${fails}")
        string(APPEND msg "--- failed checks ---\n${fails}\n")
    endif()
    string(APPEND msg "--- last lines of guest output (full output in ${ELF}.out) ---\n${tail}\n")
    if(NOT "${err}" STREQUAL "")
        string(APPEND msg "--- emulator stderr ---\n${err}\n")
    endif()
    # message() without a mode prints the text as is; FATAL_ERROR would re-wrap it.
    message("${msg}")
    message(FATAL_ERROR "${_name}: FAILED (exit status '${rc}')")
endif()

if(DEFINED EXPECTED AND NOT "${EXPECTED}" STREQUAL "")
    if(NOT EXISTS "${EXPECTED}")
        message(FATAL_ERROR "${_name}: expected-output file ${EXPECTED} does not exist")
    endif()
    file(READ "${EXPECTED}" want)
    if(NOT "${out}" STREQUAL "${want}")
        # Walk both texts line by line (no CMake lists: the output may hold ';' or '[').
        set(report "")
        set(shown 0)
        set(lineno 0)
        set(ndiff 0)
        set(a "${want}")
        set(b "${out}")
        while(NOT ("${a}" STREQUAL "" AND "${b}" STREQUAL ""))
            math(EXPR lineno "${lineno} + 1")
            foreach(side a b)
                string(FIND "${${side}}" "\n" nl)
                if(nl EQUAL -1)
                    set(${side}_line "${${side}}")
                    set(${side}_has NO)
                    if(NOT "${${side}}" STREQUAL "")
                        set(${side}_has YES)
                    endif()
                    set(${side} "")
                else()
                    string(SUBSTRING "${${side}}" 0 ${nl} ${side}_line)
                    math(EXPR nl1 "${nl} + 1")
                    string(SUBSTRING "${${side}}" ${nl1} -1 ${side})
                    set(${side}_has YES)
                endif()
            endforeach()
            if(NOT "${a_line}" STREQUAL "${b_line}" OR NOT a_has STREQUAL b_has)
                math(EXPR ndiff "${ndiff} + 1")
                if(shown LESS 30)
                    math(EXPR shown "${shown} + 1")
                    string(APPEND report "@@ line ${lineno}\n")
                    if(a_has)
                        string(APPEND report "- ${a_line}\n")
                    endif()
                    if(b_has)
                        string(APPEND report "+ ${b_line}\n")
                    endif()
                endif()
            endif()
        endwhile()
        if(ndiff EQUAL 0)
            set(report "(texts differ only in a trailing newline)\n")
        endif()
        message("${_name}: guest output differs from ${EXPECTED}\n"
            "(${ndiff} differing line(s); '-' expected, '+' actual; "
            "full output in ${ELF}.out)\n${report}")
        message(FATAL_ERROR "${_name}: FAILED (output differs)")
    endif()
endif()
message(STATUS "${_name}: passed")
