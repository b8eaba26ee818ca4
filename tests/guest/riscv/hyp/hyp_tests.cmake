# Hypervisor-extension and Smstateen guest tests (included by
# ../CMakeLists.txt, which sets ORRERY_GUEST_HYP_TESTS and the option
# ORRERY_HYP_GUEST_TESTS).
#
# The ELFs are always built (part of riscv_guest_tests); the CTest tests
# guest.riscv.<name> (labels "guest;hyp") exist only with
# ORRERY_HYP_GUEST_TESTS=ON.  Each test links the hyp harness
# (common/hyp.S, common/hyp.c) after crt0.S/guest.c; its expected output is
# hyp/expected/<name>.out (recorded on QEMU 7.2 with hyp/run_qemu.sh) -
# hyp_stateen has none (spec-derived only: QEMU 7.2 has no Smstateen).
# hyp_aia runs on -M virt,aia=aplic-imsic,aia-guests=5 (_hyp_machine_<t>).
#
# On QEMU: -DORRERY_GUEST_EMULATOR=qemu-system-riscv64
#          -DORRERY_GUEST_EMULATOR_ARGS="-icount shift=0"
#          -DORRERY_GUEST_HYP_EMULATOR_ARGS="-cpu rv64,h=true"

set(ORRERY_GUEST_HYP_EMULATOR_ARGS "-cpu rv64,h=on" CACHE STRING
    "Extra emulator arguments for the hyp guest tests only (QEMU: '-cpu rv64,h=true')")

# Per-test machine (-M) option; every other test runs on plain `virt`.
# hyp_aia needs the IMSICs, with five guest interrupt files per hart.
set(_hyp_machine_hyp_aia "virt,aia=aplic-imsic,aia-guests=5")

set(_hyp_dir ${_guest_dir}/hyp)
set(_hyp_srcs ${_hyp_dir}/common/hyp.S ${_hyp_dir}/common/hyp.c)
set(_hyp_deps ${_hyp_srcs} ${_hyp_dir}/common/hyp.h)

foreach(t IN LISTS ORRERY_GUEST_HYP_TESTS)
    set(elf ${CMAKE_CURRENT_BINARY_DIR}/${t}.elf)
    add_custom_command(
        OUTPUT ${elf}
        COMMAND ${ORRERY_RISCV_CC} ${ORRERY_GUEST_CFLAGS} -I ${_hyp_dir}/common -o ${elf}
                ${_guest_common} ${_hyp_srcs} ${_hyp_dir}/${t}.c
        DEPENDS ${_hyp_dir}/${t}.c ${_hyp_deps} ${_guest_deps}
        COMMENT "Building RISC-V guest ${t}.elf"
        VERBATIM)
    list(APPEND _guest_elfs ${elf})

    if(ORRERY_HYP_GUEST_TESTS)
        set(expected ${_hyp_dir}/expected/${t}.out)
        # Orrery prints QEMU's recording exactly, except where QEMU 7.2
        # deviates from the spec in a way that changes how many checks run
        # (hyp_gstage: the A update of a VS PTE in a read-only G-stage page
        # faults on Orrery, as the spec requires, and QEMU sets A instead);
        # those tests are judged by their exit status alone when Orrery runs them.
        if(NOT EXISTS ${expected} OR (t STREQUAL "hyp_gstage" AND NOT ORRERY_GUEST_EMULATOR))
            set(expected "")
        endif()
        set(machine virt)
        if(DEFINED _hyp_machine_${t})
            set(machine "${_hyp_machine_${t}}")
        endif()
        add_test(NAME guest.riscv.${t}
            COMMAND ${CMAKE_COMMAND}
                -DEMU=${_guest_emu}
                -DMACHINE=${machine}
                "-DEMU_ARGS=${ORRERY_GUEST_EMULATOR_ARGS} ${ORRERY_GUEST_HYP_EMULATOR_ARGS}"
                -DELF=${elf}
                -DEXPECTED=${expected}
                -DTIMEOUT=60
                -P ${_guest_dir}/run_guest.cmake)
        set_tests_properties(guest.riscv.${t} PROPERTIES
            LABELS "guest;hyp"
            TIMEOUT 60)
        orrery_engine_variants(guest.riscv.${t} ${elf} "${expected}" 60 "${machine}" "${ORRERY_GUEST_HYP_EMULATOR_ARGS}")
    endif()
endforeach()
