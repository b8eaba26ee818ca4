#!/bin/sh
# Debian's gdb-multiarch drives Orrery's GDB stub in batch mode:
#   1. count.elf (bare metal): -S waits, a breakpoint, continue, registers
#      (GPRs, a CSR, the privilege), stepi across a taken branch, memory,
#      kill;
#   2. Linux (issue 9's acceptance): OpenSBI and the kernel from
#      tools/build-linux, `break start_kernel` from vmlinux's symbols (a pc
#      comparison: the address is not mapped when it is set), continue,
#      registers, memory through the kernel's page tables, stepi. Skipped
#      when the guest images are not built;
#   3. watchpoints (write, then read) on a bare-metal guest's variable, and
#      Ctrl-C stopping it while it runs (interrupt_test.py).
# Usage: gdb_test.sh ORRERY COUNT_ELF [WATCH_ELF]
set -u
orrery=$1
count_elf=$2
watch_elf=${3:-}
cache=${ORRERY_CACHE:-$HOME/.cache/orrery}
command -v gdb-multiarch >/dev/null 2>&1 || { echo "gdb_test: gdb-multiarch is not installed"; exit 1; }
tmp=$(mktemp -d)
pid=""
trap '[ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null; rm -rf "$tmp"' EXIT
passed=0
failed=0
# A port of this run's own (parallel ctest runs, other users of 1234).
port=$((20000 + $$ % 20000))

# session NAME ORRERY_ARGS... -- GDB_ARGS...: run both, gdb's output in $tmp/gdb.
session() {
  name=$1
  shift
  args=""
  while [ "$1" != "--" ]; do args="$args $1"; shift; done
  shift
  port=$((port + 1))
  # shellcheck disable=SC2086
  "$orrery" -S -gdb tcp:127.0.0.1:$port $args </dev/null >"$tmp/out" 2>"$tmp/err" &
  pid=$!
  i=0
  until grep -q "waiting for the debugger" "$tmp/err" 2>/dev/null; do
    i=$((i + 1))
    [ $i -gt 100 ] && break
    sleep 0.1
  done
  timeout 300 gdb-multiarch -nx -batch -ex "target remote 127.0.0.1:$port" "$@" -ex kill >"$tmp/gdb" 2>&1
  wait "$pid"
  status=$?
  pid=""
}
# expect NAME PATTERN...: every pattern is a line of gdb's output.
expect() {
  name=$1
  shift
  ok=1
  for p in "$@"; do grep -q -- "$p" "$tmp/gdb" || { ok=0; echo "FAIL $name: no line matching '$p'"; }; done
  grep -q "killed by the debugger" "$tmp/err" || { ok=0; echo "FAIL $name: orrery did not end by kill"; }
  if [ $ok -eq 1 ] && [ "$status" -eq 0 ]; then
    passed=$((passed + 1))
    echo "ok $name"
  else
    failed=$((failed + 1))
    echo "FAIL $name (orrery exit $status); gdb said:"
    sed 's/^/    /' "$tmp/gdb" "$tmp/err"
  fi
}

# count.S: t0 = 1000; loop: t0 -= 1; bnez t0, loop; then the finisher.
session bare-metal -bios none -kernel "$count_elf" -- -ex 'info registers pc' -ex 'break *0x80000008' -ex continue \
  -ex 'info registers pc t0' -ex stepi -ex 'info registers pc' -ex 'p/x $mstatus' -ex 'p $priv' \
  -ex 'x/2wx 0x80000000' -ex 'set $t0 = 5' -ex 'p $t0' "$count_elf"
expect bare-metal '^pc  *0x1000' 'Breakpoint 1, 0x0000000080000008 in _start' '^t0  *0x3e7' \
  '^pc  *0x80000004' '= 0xa00000000' '^\$2 = 3' '0x3e800293	0xfff28293' '^\$3 = 5'

# Watchpoints: monitor_target.elf counts in `counter` forever (a symbol
# without debug information, hence the cast). Each continue stops after the
# store that changed it, with gdb's old and new values.
if [ -n "$watch_elf" ]; then
  session watchpoint -bios none -kernel "$watch_elf" -- -ex 'watch *(long *)&counter' -ex continue -ex continue \
    -ex 'delete' -ex 'rwatch *(long *)&counter' -ex continue -ex 'info registers pc' "$watch_elf"
  expect watchpoint 'Hardware watchpoint 1: \*(long \*)&counter' '^Old value = 0$' '^New value = 1$' \
    '^Old value = 1$' '^New value = 2$' 'Hardware read watchpoint 2: \*(long \*)&counter' '^Value = 2$' \
    '^pc  *0x800'
  # Ctrl-C (the interrupt byte), which gdb in batch mode cannot send: a raw
  # remote-protocol client (interrupt_test.py).
  port=$((port + 1))
  if python3 "$(dirname "$0")/interrupt_test.py" "$orrery" "$watch_elf" "$port" >"$tmp/interrupt" 2>&1; then
    passed=$((passed + 1))
    echo "ok interrupt"
  else
    failed=$((failed + 1))
    echo "FAIL interrupt:"
    sed 's/^/    /' "$tmp/interrupt"
  fi
fi

if [ -f "$cache/linux/Image" ] && [ -f "$cache/linux/build/vmlinux" ] && [ -f "$cache/initramfs/initramfs.cpio.gz" ]; then
  session linux -m 256M -kernel "$cache/linux/Image" -initrd "$cache/initramfs/initramfs.cpio.gz" -append console=ttyS0 \
    -- -ex 'break start_kernel' -ex continue -ex 'info registers pc' -ex 'x/i $pc' -ex stepi \
    -ex 'info registers pc' -ex 'p/x $satp' -ex 'x/gx $sp' "$cache/linux/build/vmlinux"
  expect linux 'Breakpoint 1, 0xffffffff[0-9a-f]* in start_kernel' '^pc  *0xffffffff[0-9a-f]*	0xffffffff[0-9a-f]* <start_kernel>' \
    '<start_kernel>:	add	sp,sp,' '<start_kernel+2>' '^\$1 = 0x[89a]000' '^0xffffffff[0-9a-f]*:	0x'
else
  echo "skipped linux: no guest images in $cache"
fi

echo "gdb: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
