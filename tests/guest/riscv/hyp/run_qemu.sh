#!/bin/sh
# Build the hypervisor-extension guest tests and run them on QEMU (or on
# another emulator with the same command line), outside CMake.  Same flags
# as ../run_qemu.sh, plus the hyp harness (common/hyp.S, common/hyp.c) and
# a -cpu option.
#
#   ./run_qemu.sh [--record] [--strict] [--cpu CPU] [--emu PROGRAM] [name...]
#
# --record    write each program's UART output to expected/<name>.out
#             (only for tests that exit with status 0 and are not
#             spec-derived-only; see NO_EXPECTED below)
# --strict    build with -DHYP_STRICT: QEMU 7.2's deviations from the spec
#             are no longer accepted (output is not compared or recorded)
# --cpu CPU   QEMU -cpu value (default rv64,h=true); "" omits -cpu
# --emu PROG  run PROG instead of qemu-system-riscv64 (e.g. build/release/
#             tools/orrery); -icount is then left out and no -cpu is given
#             unless --cpu comes after --emu
# Names default to all hyp tests.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
guest=$(cd "$here/.." && pwd)
build=${BUILD_DIR:-/tmp/orrery-hyp-build}
cc=${RISCV_CC:-riscv64-linux-gnu-gcc}
qemu=${QEMU:-qemu-system-riscv64}
record=0
strict=""
cpu="rv64,h=true"
extra="-icount shift=0"
# hyp_stateen is written from the Smstateen spec alone (QEMU 7.2 has no
# Smstateen): it has no expected output, only the exit status counts.
NO_EXPECTED=" hyp_stateen "
# The -M value of a test (as hyp_tests.cmake's _hyp_machine_<name>).
machine_for() {
    case "$1" in
    hyp_aia) echo "virt,aia=aplic-imsic,aia-guests=5" ;;
    *) echo "virt" ;;
    esac
}
while [ $# -gt 0 ]; do
    case "$1" in
    --record) record=1; shift ;;
    --strict) strict="-DHYP_STRICT"; shift ;;
    --cpu) cpu="$2"; shift 2 ;;
    --emu) qemu="$2"; extra=""; cpu=""; shift 2 ;;
    *) break ;;
    esac
done
tests="$*"
[ -n "$tests" ] || tests="hyp_csrs hyp_traps hyp_gstage hyp_stateen hyp_aia"
mkdir -p "$build"
flags="-march=rv64gc -mabi=lp64d -mcmodel=medany -O2 -ffreestanding -nostdlib -nostartfiles -static \
 -fno-pie -no-pie -fno-stack-protector -Wl,--build-id=none -Wl,--no-warn-rwx-segments -Wall -Wextra -Wno-unused-function \
 -T $guest/common/link.ld -I $guest/common -I $here/common $strict"
cpuarg=""
[ -z "$cpu" ] || cpuarg="-cpu $cpu"
fail=0
for t in $tests; do
    src="$here/$t.c"
    [ -f "$src" ] || { echo "no source for $t"; fail=1; continue; }
    # shellcheck disable=SC2086
    if ! $cc $flags -o "$build/$t.elf" "$guest/common/crt0.S" "$guest/common/guest.c" \
        "$here/common/hyp.S" "$here/common/hyp.c" "$src"; then
        echo "$t: BUILD FAILED"; fail=1; continue
    fi
    set +e
    # shellcheck disable=SC2086
    timeout 60 $qemu -M "$(machine_for "$t")" $cpuarg -m 128M -bios none -nographic $extra \
        -kernel "$build/$t.elf" > "$build/$t.out" 2> "$build/$t.err"
    rc=$?
    set -e
    status="exit $rc"
    case "$NO_EXPECTED${strict:+ $t }" in
    *" $t "*) status="$status, not compared${strict:+ (strict build)}" ;;
    *)
        if [ $record = 1 ]; then
            if [ $rc = 0 ]; then
                cp "$build/$t.out" "$here/expected/$t.out"
                status="$status, recorded"
            else
                status="$status, NOT recorded"
            fi
        elif [ -f "$here/expected/$t.out" ]; then
            if cmp -s "$build/$t.out" "$here/expected/$t.out"; then
                status="$status, output matches"
            else
                status="$status, OUTPUT DIFFERS"
                diff "$here/expected/$t.out" "$build/$t.out" | head -20
                fail=1
            fi
        fi ;;
    esac
    [ $rc = 0 ] || fail=1
    echo "$t: $status ($(tail -n 1 "$build/$t.out"))"
done
exit $fail
