#!/bin/sh
# End-to-end checks of the orrery executable: exit statuses, error messages,
# --stats and --trace. Usage: cli_test.sh ORRERY COUNT_ELF
set -u
orrery=$1
count_elf=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0
failed=0

# expect NAME STATUS PATTERN -- ARGS...: run orrery, check its exit status and
# that stderr+stdout match the grep pattern.
expect() {
  name=$1 want=$2 pattern=$3
  shift 4
  "$orrery" "$@" >"$tmp/out" 2>&1
  got=$?
  if [ "$got" -eq "$want" ] && grep -q -- "$pattern" "$tmp/out"; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    echo "FAIL $name: status $got (want $want), output:"
    sed 's/^/    /' "$tmp/out"
  fi
}

printf 'not an elf' >"$tmp/junk.bin"
: >"$tmp/empty.bin"
cp "$count_elf" "$tmp/trunc.elf" && truncate -s 200 "$tmp/trunc.elf"

expect help 0 "usage: orrery" -- --help
expect version 0 "^orrery " -- --version
expect unknown-flag 2 "unrecognised option\|unrecognized option" -- --frobnicate
expect missing-value 2 "kernel" -- -kernel
expect bad-machine 2 "unknown machine" -- -M sifive_u -kernel "$count_elf"
expect bad-memory 2 "not a size" -- -m lots -kernel "$count_elf"
expect bad-smp 2 "smp" -- -smp 0 -kernel "$count_elf"
expect bad-engine 2 "unknown engine" -- --engine jit -kernel "$count_elf"
expect no-kernel 1 "nothing to run" -- -M virt
expect missing-file 1 "cannot open" -- -kernel "$tmp/nope.elf"
expect empty-file 1 "is empty" -- -kernel "$tmp/empty.bin"
expect directory 1 "is a directory" -- -kernel "$tmp"
expect bad-bios 1 "cannot open" -- -bios "$tmp/nope.bin" -kernel "$count_elf"
expect truncated-elf 1 "truncated\|corrupt\|not an ELF" -- -kernel "$tmp/trunc.elf"
expect tiny-ram 1 "between 1 MiB" -- -m 1K -kernel "$count_elf"
expect huge-smp 1 "1 to 64 harts" -- -smp 1000 -kernel "$count_elf"
expect wrong-arch 1 "needs RISC-V 64-bit" -- -kernel /bin/sh
expect raw-runs-off-the-end 124 "stopped after 1000 instructions" -- -kernel "$tmp/junk.bin" --max-insns 1000

# The exact instruction count, from --stats and from the trace.
expect stats 0 "instructions retired: 2005$" -- -M virt -m 128M -bios none -nographic -kernel "$count_elf" --stats
"$orrery" -kernel "$count_elf" --trace "$tmp/trace.log" >/dev/null 2>&1
lines=$(wc -l <"$tmp/trace.log")
if [ "$lines" -eq 2005 ] && head -1 "$tmp/trace.log" | grep -q '^core   0: 3 0x0000000080000000 (0x3e800293) x5  0x00000000000003e8 ; addi    t0, zero, 1000$' &&
  tail -1 "$tmp/trace.log" | grep -q '(0x00732023) ; sw      t2, 0(t1)$'; then
  passed=$((passed + 1))
else
  failed=$((failed + 1))
  echo "FAIL trace: $lines lines (want 2005); first and last:"
  head -1 "$tmp/trace.log"
  tail -1 "$tmp/trace.log"
fi

echo "cli: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
