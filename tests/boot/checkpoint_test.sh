#!/bin/sh
# Checkpoints of a Linux run (issue 9, acceptance 2; docs/checkpoints.md).
#   1. A straight boot to power-off with -smp 2, recording its console and
#      --stats counts.
#   2. The same boot with --save-at: the checkpoint is taken after init has
#      started (the console so far shows "Run /init"), and saving changes
#      nothing: same console, same counts.
#   3. --load of that checkpoint runs to power-off: its console is exactly
#      the straight run's remainder, and every count (instructions, and with
#      --timing dual cycles, cache and TLB misses, branch misses) equals the
#      straight run's. Restored on the other engine than it was saved on.
#   4. Corrupted, truncated, foreign and mismatched checkpoints are refused
#      with one clear error line and exit status 1.
# Usage: checkpoint_test.sh ORRERY [TIMING]   (exit 77: guest images not built)
set -u
orrery=$1
timing=${2:-none}
cache=${ORRERY_CACHE:-$HOME/.cache/orrery}
kernel=$cache/linux/Image
initrd=$cache/initramfs/initramfs.cpio.gz
if [ ! -f "$kernel" ] || [ ! -f "$initrd" ]; then
  echo "skipped: no guest images in $cache (run tools/build-linux and tools/build-initramfs)"
  exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0
failed=0
ok() { passed=$((passed + 1)); echo "ok $1"; }
fail() { failed=$((failed + 1)); echo "FAIL $1"; }

# The RTC follows guest time from a fixed date, so runs are repeatable.
set -- -M virt -m 256M -smp 2 -kernel "$kernel" -initrd "$initrd" -append console=ttyS0 \
  -rtc base=2020-01-01,clock=vm --timing "$timing" --stats
# The --stats report (from its first line on; device messages before it
# belong to the part of the run before a checkpoint), without host time,
# speed and engine figures.
counts() {
  sed -n '/^orrery: instructions retired/,$p' "$1" | grep -v -e 'host' -e 'MIPS' -e 'engine' -e 'block' -e 'invalidated'
}

timeout 600 "$orrery" "$@" </dev/null >"$tmp/straight.out" 2>"$tmp/straight.err"
status=$?
if [ "$status" -ne 0 ] || ! grep -q "^orrery-init: all tests passed" "$tmp/straight.out"; then
  echo "FAIL straight run: exit status $status"
  tail -20 "$tmp/straight.out" "$tmp/straight.err"
  exit 1
fi
total=$(sed -n 's/^orrery: instructions retired: //p' "$tmp/straight.err")
# Init starts at about 85% of the run (the tests init runs take the rest);
# 90% is well inside init, and step 2 checks that it is.
save_at=$((total / 10 * 9))
ok "straight run: $total instructions"

timeout 600 "$orrery" "$@" --save-at "$save_at" "$tmp/ck" </dev/null >"$tmp/save.out" 2>"$tmp/save.err"
status=$?
counts "$tmp/straight.err" >"$tmp/straight.counts"
counts "$tmp/save.err" >"$tmp/save.counts"
if [ "$status" -eq 0 ] && cmp -s "$tmp/straight.out" "$tmp/save.out" && cmp -s "$tmp/straight.counts" "$tmp/save.counts"; then
  ok "saving changes neither the console nor the counts"
else
  fail "saving changed the run (exit status $status)"
  diff "$tmp/straight.out" "$tmp/save.out" | head -10
fi
if grep -q "^orrery: checkpoint after [0-9]* instructions saved to $tmp/ck$" "$tmp/save.err"; then
  ok "checkpoint saved: $(sed -n 's/^orrery: checkpoint after \([0-9]*\).*/\1/p' "$tmp/save.err") instructions"
else
  fail "no checkpoint message"
fi

# Restore on the other engine than the default (threaded) that saved it.
timeout 600 "$orrery" "$@" --engine interp --load "$tmp/ck" </dev/null >"$tmp/load.out" 2>"$tmp/load.err"
status=$?
prefix=$(($(wc -c <"$tmp/straight.out") - $(wc -c <"$tmp/load.out")))
head -c "$prefix" "$tmp/straight.out" >"$tmp/prefix.out"
tail -c +"$((prefix + 1))" "$tmp/straight.out" >"$tmp/rest.out"
if [ "$status" -eq 0 ] && cmp -s "$tmp/rest.out" "$tmp/load.out" && grep -q "^orrery-init: all tests passed" "$tmp/load.out"; then
  ok "restored run: the console is the straight run's remainder ($(wc -c <"$tmp/load.out") bytes)"
else
  fail "restored run's console differs (exit status $status)"
  tail -20 "$tmp/load.out" "$tmp/load.err"
fi
if grep -q "Run /init as init process" "$tmp/prefix.out" && ! grep -q "Run /init" "$tmp/load.out"; then
  ok "the checkpoint was taken after Linux reached init"
else
  fail "the checkpoint is not after init started"
fi
counts "$tmp/load.err" >"$tmp/load.counts"
if diff "$tmp/straight.counts" "$tmp/load.counts"; then
  ok "restored run: the same instruction count and --stats counts ($total instructions)"
else
  fail "restored run's counts differ"
fi

# refuse NAME FILE EXPECTED-MESSAGE [EXTRA ARGS]: --load FILE must fail with
# exit status 1 and one line naming the problem.
refuse() {
  name=$1 file=$2 want=$3
  shift 3
  timeout 60 "$orrery" -M virt -m 256M -kernel "$kernel" -initrd "$initrd" -append console=ttyS0 \
    -rtc base=2020-01-01,clock=vm --timing "$timing" "$@" --load "$file" </dev/null >"$tmp/refused.out" 2>&1
  status=$?
  # Refused before the guest runs: the output is orrery's error line alone.
  if [ "$status" -eq 1 ] && grep -q -F "$want" "$tmp/refused.out" && ! grep -q -v "^orrery\|^  " "$tmp/refused.out"; then
    ok "refused: $name"
  else
    fail "$name: exit status $status, output:"
    head -5 "$tmp/refused.out"
  fi
}
size=$(wc -c <"$tmp/ck")
cp "$tmp/ck" "$tmp/flipped"
# One byte in the middle (inside RAM's pages) inverted.
printf '\377' | dd of="$tmp/flipped" bs=1 seek=$((size / 2)) conv=notrunc 2>/dev/null
cmp -s "$tmp/ck" "$tmp/flipped" && printf '\000' | dd of="$tmp/flipped" bs=1 seek=$((size / 2)) conv=notrunc 2>/dev/null
refuse "a flipped byte" "$tmp/flipped" "fails its CRC-32" -smp 2
head -c $((size - 100)) "$tmp/ck" >"$tmp/truncated"
refuse "a truncated file" "$tmp/truncated" "truncated" -smp 2
printf 'ELF and other things' >"$tmp/foreign"
refuse "not a checkpoint" "$tmp/foreign" "not an orrery checkpoint" -smp 2
cp "$tmp/ck" "$tmp/version"
printf '\143' | dd of="$tmp/version" bs=1 seek=8 conv=notrunc 2>/dev/null
refuse "another format version" "$tmp/version" "format version 99" -smp 2
refuse "other machine options (-smp 1)" "$tmp/ck" "was saved for another machine" -smp 1
refuse "a missing file" "$tmp/none" "No such file or directory" -smp 2

echo "checkpoint: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
