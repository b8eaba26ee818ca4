#!/bin/sh
# --trace's filters and records and the -d log on bare-metal guests, on both
# engines. Every filtered trace must equal the unfiltered trace with the
# same selection applied by awk (so an ignored filter fails), and the
# threaded engine must write exactly what the interpreter writes.
# Usage: trace_test.sh ORRERY GUEST_DIR (count.elf, priv_modes.elf, traps.elf,
# interrupts.elf and vm_sv39.elf from tests/guest/riscv)
set -u
orrery=$1
dir=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0
failed=0

pass() { passed=$((passed + 1)); }
fail() {
  failed=$((failed + 1))
  echo "FAIL $1"
}

# trace NAME GUEST ARGS...: trace GUEST on both engines into $tmp/NAME (the
# interpreter's) and $tmp/NAME.threaded; a difference between them fails.
trace() {
  name=$1 guest=$2
  shift 2
  "$orrery" --engine interp -bios none -kernel "$dir/$guest" --trace "$tmp/$name" "$@" >/dev/null 2>&1
  "$orrery" --engine threaded -bios none -kernel "$dir/$guest" --trace "$tmp/$name.threaded" "$@" >/dev/null 2>&1
  if cmp -s "$tmp/$name" "$tmp/$name.threaded"; then
    pass
  else
    fail "$name: the engines' traces differ"
    diff "$tmp/$name" "$tmp/$name.threaded" | head -5
  fi
}

# same NAME EXPECTED_FILE: $tmp/NAME is not empty and equals EXPECTED_FILE.
same() {
  if [ -s "$tmp/$1" ] && cmp -s "$tmp/$1" "$2"; then
    pass
  else
    fail "$1: $(wc -l <"$tmp/$1") lines, $(wc -l <"$2") expected; first difference:"
    diff "$tmp/$1" "$2" | head -4
  fi
}

# The unfiltered traces: priv_modes runs in M, S and U; with -smp 2 hart 1
# runs its first 10 instructions (to its WFI) after hart 0's first slice.
trace full priv_modes.elf -smp 2
# Fields: $2 the hart ("0:"), $3 the privilege, $4 the pc (0x + 16 digits,
# so string order is numeric order).

# --trace-pc: two ranges, one of them given as LO+LEN.
trace pc priv_modes.elf -smp 2 --trace-pc 0x80000100-0x80000400 --trace-pc 0x1000+0x10
awk '($4 >= "0x0000000080000100" && $4 < "0x0000000080000400") ||
     ($4 >= "0x0000000000001000" && $4 < "0x0000000000001010")' "$tmp/full" >"$tmp/pc.want"
same pc "$tmp/pc.want"

# --trace-priv: U alone, and M with S spelt HS.
trace user priv_modes.elf -smp 2 --trace-priv U
awk '$3 == 0' "$tmp/full" >"$tmp/user.want"
same user "$tmp/user.want"
trace ms priv_modes.elf -smp 2 --trace-priv m,HS
awk '$3 == 3 || $3 == 1' "$tmp/full" >"$tmp/ms.want"
same ms "$tmp/ms.want"

# --trace-hart
trace hart1 priv_modes.elf -smp 2 --trace-hart 1
awk '$2 == "1:"' "$tmp/full" >"$tmp/hart1.want"
same hart1 "$tmp/hart1.want"

# --trace-window counts the machine's retired instructions, all harts, in
# the order they ran: line numbers of the full trace (from 0). This one
# spans hart 1's turn.
trace window priv_modes.elf -smp 2 --trace-window 9995+20
sed -n '9996,10015p' "$tmp/full" >"$tmp/window.want"
same window "$tmp/window.want"
trace tail priv_modes.elf -smp 2 --trace-window 278000-
sed -n '278001,$p' "$tmp/full" >"$tmp/tail.want"
same tail "$tmp/tail.want"

# All four together.
trace combined priv_modes.elf -smp 2 --trace-window 5000-200000 --trace-hart 0 --trace-priv S,U \
  --trace-pc 0x80000000-0x80010000
awk 'NR > 5000 && NR <= 200000 && $2 == "0:" && ($3 == 1 || $3 == 0) &&
     $4 >= "0x0000000080000000" && $4 < "0x0000000080010000"' "$tmp/full" >"$tmp/combined.want"
same combined "$tmp/combined.want"

# --trace-spike drops the disassembly and nothing else.
trace spike priv_modes.elf -smp 2 --trace-spike
sed 's/ ;.*//' "$tmp/full" >"$tmp/spike.want"
same spike "$tmp/spike.want"

# --trace-mem and --trace-csr only append records: without them the lines
# are the plain ones, and the records are there.
trace records priv_modes.elf -smp 2 --trace-spike --trace-mem --trace-csr
sed 's/ c[0-9]*_[a-z0-9]* 0x[0-9a-f]*//; s/ mem .*//' "$tmp/records" >"$tmp/records.stripped"
if cmp -s "$tmp/records.stripped" "$tmp/spike.want" && grep -q ' mem 0x[0-9a-f]\{16\}$' "$tmp/records" &&
  grep -q ' mem 0x[0-9a-f]\{16\} 0x[0-9a-f]*$' "$tmp/records" &&
  grep -q ') c773_mtvec 0x[0-9a-f]\{16\}$' "$tmp/records"; then
  pass
else
  fail "records: --trace-mem/--trace-csr changed more than the records, or none were written"
fi
# count.elf's last instruction stores 0x5555 to the test finisher: Spike's
# line for it, exactly.
trace finisher count.elf --trace-spike --trace-mem
if [ "$(tail -1 "$tmp/finisher")" = "core   0: 3 0x0000000080000018 (0x00732023) mem 0x0000000000100000 0x00005555" ]; then
  pass
else
  fail "finisher: last line is '$(tail -1 "$tmp/finisher")'"
fi

# -d: each category's lines, the same on both engines, and none when off.
# log NAME GUEST ARGS...: the -d log of GUEST in $tmp/NAME.log (interp) and
# $tmp/NAME.log.threaded, stderr in $tmp/NAME.err.
log() {
  name=$1 guest=$2
  shift 2
  "$orrery" --engine interp -bios none -kernel "$dir/$guest" "$@" -D "$tmp/$name.log" >/dev/null 2>"$tmp/$name.err"
  "$orrery" --engine threaded -bios none -kernel "$dir/$guest" "$@" -D "$tmp/$name.log.threaded" >/dev/null 2>&1
  if cmp -s "$tmp/$name.log" "$tmp/$name.log.threaded"; then
    pass
  else
    fail "$name: the engines' logs differ"
  fi
}
# expect_log NAME PATTERN: the log has a line matching PATTERN, and only
# lines of its category (the pattern's first word).
expect_log() {
  category=${2#^}
  category=${category%%:*}
  if grep -q "$2" "$tmp/$1.log" && ! grep -v "^$category: " "$tmp/$1.log" | grep -q .; then
    pass
  else
    fail "$1: no line matching '$2', or lines of other categories:"
    head -3 "$tmp/$1.log"
  fi
}
log exc traps.elf -d exc
expect_log exc '^exc: hart 0: illegal instruction (cause 2) at epc 0x[0-9a-f]\{16\}, tval 0x[0-9a-f]\{16\}, M -> M, handler 0x'
log int interrupts.elf -d int
expect_log int '^int: hart 0: machine timer interrupt (cause 7) at epc 0x[0-9a-f]\{16\}, M -> M, handler 0x'
log mmu vm_sv39.elf -d mmu
expect_log mmu '^mmu: hart 0: load page fault at va 0x[0-9a-f]\{16\}, sv39 (satp 0x[0-9a-f]\{16\})$'
log dev count.elf -d device
if [ "$(cat "$tmp/dev.log")" = "dev: write riscv.sifive.test+0x0 (pa 0x100000) size 4 value 0x00005555" ]; then
  pass
else
  fail "dev: log is '$(cat "$tmp/dev.log")'"
fi
# Without -D the log goes to stderr; without -d there is none.
"$orrery" -bios none -kernel "$dir/traps.elf" -d exc >/dev/null 2>"$tmp/stderr.log"
"$orrery" -bios none -kernel "$dir/traps.elf" >/dev/null 2>"$tmp/quiet.log"
if grep -q '^exc: hart 0: illegal instruction' "$tmp/stderr.log" && [ ! -s "$tmp/quiet.log" ]; then
  pass
else
  fail "-d to stderr, or output without -d"
fi
if "$orrery" -d help | grep -q '^mmu '; then pass; else fail "-d help"; fi

echo "trace: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
