#!/bin/sh
# Build the guest tests with the cross compiler and run them on QEMU, the
# reference machine, outside CMake.  Used to validate the corpus itself.
#
#   ./run_qemu.sh [--record] [--no-icount] [name...]
#
# --record    write each program's UART output to expected/<name>.out
# --no-icount run QEMU without -icount (minstret/mcycle are then host ticks,
#             so the exact-minstret checks in zicsr fail and cpubound's
#             "insns:" line differs)
# Names default to all tests plus programs/cpubound and programs/intloop.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=${BUILD_DIR:-/tmp/orrery-guest-build}
cc=${RISCV_CC:-riscv64-linux-gnu-gcc}
qemu=${QEMU:-qemu-system-riscv64}
record=0
icount="-icount shift=0"
while [ $# -gt 0 ]; do
    case "$1" in
    --record) record=1; shift ;;
    --no-icount) icount=""; shift ;;
    *) break ;;
    esac
done
tests="$*"
[ -n "$tests" ] || tests="rv64i_alu rv64i_mem rv64i_control rv64m rv64a rv64f rv64d rvc zicsr traps fencei smc_stress \
 priv_modes vm_sv39 vm_sv48 vm_sv57 pmp interrupts hostile_mmio hostile_irq hostile_virtio cpubound intloop"
# tests linked with the privileged-architecture helpers (ORRERY_GUEST_PRIV_TESTS)
priv_tests=" priv_modes vm_sv39 vm_sv48 vm_sv57 pmp interrupts pmu hostile_irq "
# tests run with a virtio-blk disk (ORRERY_GUEST_DISK_TESTS): a fresh image of
# 64 sectors, sector s filled with the byte 0x40 + s, in the last virtio-mmio
# slot (0x1000_8000) as a modern (Version 2) device.  QEMU 7.2's if=virtio
# would make it a PCI device, and its virtio-mmio is legacy by default.
disk_tests=" hostile_virtio "
make_disk() {
    : > "$1"
    s=0
    while [ $s -lt 64 ]; do
        head -c 512 /dev/zero | tr '\000' "\\$(printf %o $((64 + s)))" >> "$1"
        s=$((s + 1))
    done
}
mkdir -p "$build"
flags="-march=rv64gc -mabi=lp64d -mcmodel=medany -O2 -ffreestanding -nostdlib -nostartfiles -static \
 -fno-pie -no-pie -fno-stack-protector -Wl,--build-id=none -Wl,--no-warn-rwx-segments -Wall -Wextra -Wno-unused-function \
 -T $here/common/link.ld -I $here/common"
fail=0
for t in $tests; do
    src=""
    for f in "$here/$t.c" "$here/$t.S" "$here/programs/$t.c"; do
        [ -f "$f" ] && src="$src $f"
    done
    [ -n "$src" ] || { echo "no source for $t"; fail=1; continue; }
    case "$priv_tests" in
    *" $t "*) src=" $here/common/priv.S $here/common/priv.c$src" ;;
    esac
    # shellcheck disable=SC2086
    if ! $cc $flags -o "$build/$t.elf" "$here/common/crt0.S" "$here/common/guest.c" $src; then
        echo "$t: BUILD FAILED"; fail=1; continue
    fi
    disk=""
    case "$disk_tests" in
    *" $t "*)
        make_disk "$build/$t.img"
        disk="-global virtio-mmio.force-legacy=false -drive file=$build/$t.img,format=raw,if=none,id=hd0 \
 -device virtio-blk-device,drive=hd0" ;;
    esac
    set +e
    # shellcheck disable=SC2086
    timeout 60 $qemu -M virt -m 128M -bios none -nographic $icount $disk \
        -kernel "$build/$t.elf" > "$build/$t.out" 2> "$build/$t.err"
    rc=$?
    set -e
    status="exit $rc"
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
    fi
    [ $rc = 0 ] || fail=1
    echo "$t: $status ($(tail -n 1 "$build/$t.out"))"
done
exit $fail
