#!/bin/sh
# Boots Debian's unmodified OpenSBI (fw_jump) and U-Boot (S-mode) on the virt
# machine, types `version` at U-Boot's prompt and powers off, driving the
# console through a FIFO the way a person would: each line is sent only
# once the guest has printed the prompt it answers.
# Usage: uboot_test.sh ORRERY
set -u
orrery=$1
fw=/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_jump.bin
uboot=/usr/lib/u-boot/qemu-riscv64_smode/u-boot.bin
for f in "$fw" "$uboot"; do
  [ -f "$f" ] || { echo "missing $f (apt-get install opensbi u-boot-qemu)"; exit 1; }
done
tmp=$(mktemp -d)
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
mkfifo "$tmp/in"
# The shell opens the redirections in the child, after it is started: the
# output file must exist before the first wait_for looks (a missing file
# made grep print nothing, the test end the wait at once and type into a
# U-Boot that was not ready).
: >"$tmp/out"
"$orrery" -M virt -m 256M -bios "$fw" -kernel "$uboot" -nographic <"$tmp/in" >"$tmp/out" 2>&1 &
pid=$!
exec 3>"$tmp/in"

# wait_for PATTERN COUNT: until the output holds COUNT matching lines (60 s).
wait_for() {
  i=0
  while n=$(grep -c -- "$1" "$tmp/out" 2>/dev/null); [ "${n:-0}" -lt "$2" ]; do
    i=$((i + 1))
    if [ "$i" -gt 600 ] || ! kill -0 "$pid" 2>/dev/null; then
      echo "FAIL: never saw '$1' (x$2); output:"
      cat "$tmp/out"
      exit 1
    fi
    sleep 0.1
  done
}

wait_for "Hit any key to stop autoboot" 1
printf '\n' >&3
wait_for "^=> " 1
printf 'version\n' >&3
wait_for "^U-Boot 2023" 2
printf 'poweroff\n' >&3
wait "$pid"
status=$?
pid=""
cat "$tmp/out"
if [ "$status" -ne 0 ]; then
  echo "FAIL: orrery exited with $status"
  exit 1
fi
grep -q "OpenSBI v" "$tmp/out" && grep -q "^=> version" "$tmp/out" || { echo "FAIL: banner or command echo missing"; exit 1; }
echo "uboot: 1 passed, 0 failed"
