#!/bin/sh
# virtio-blk writes reach the image file: on the guest's FLUSH (seen while
# the emulator still runs), on poweroff, on SIGTERM and SIGINT (a graceful
# stop: exit status 128 + signal), and after SIGKILL everything the guest
# flushed is there. The guest is programs/disk_durability.c.
# Usage: durability_test.sh ORRERY DISK_DURABILITY_ELF
set -u
orrery=$1
elf=$2
tmp=$(mktemp -d)
pid=""
trap '[ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null; rm -rf "$tmp"' EXIT
passed=0
failed=0

ok() { passed=$((passed + 1)); echo "ok $1"; }
fail() { failed=$((failed + 1)); echo "FAIL $1"; [ -f "$tmp/err" ] && sed 's/^/    /' "$tmp/err" "$tmp/out"; }

# A 16-sector image whose sector 2 holds the guest's command: p = power
# off after writing, s = spin until stopped.
make_image() {
  dd if=/dev/zero of="$tmp/disk.img" bs=512 count=16 2>/dev/null
  printf '%s' "$1" | dd of="$tmp/disk.img" bs=512 seek=2 conv=notrunc 2>/dev/null
}
# sector_is N TEXT: sector N starts with TEXT.
sector_is() {
  [ "$(dd if="$tmp/disk.img" bs=512 skip="$1" count=1 2>/dev/null | head -c ${#2})" = "$2" ]
}
start() {
  # The shell opens the redirections in the child, after this returns: a
  # previous run's output must not be there for wait_for to find.
  rm -f "$tmp/out" "$tmp/err"
  "$orrery" -M virt -m 128M -bios none -nographic -drive file="$tmp/disk.img",format=raw,if=virtio \
    -kernel "$elf" </dev/null >"$tmp/out" 2>"$tmp/err" &
  pid=$!
}
# wait_for TEXT: the guest printed TEXT (60 s at most).
wait_for() {
  i=0
  while ! grep -q "$1" "$tmp/out" 2>/dev/null; do
    i=$((i + 1))
    if [ $i -gt 600 ] || ! kill -0 "$pid" 2>/dev/null; then return 1; fi
    sleep 0.1
  done
}
finish() {
  wait "$pid"
  status=$?
  pid=""
  return 0
}

# Poweroff: both sectors are in the file, exit 0.
make_image p
"$orrery" -M virt -m 128M -bios none -nographic -drive file="$tmp/disk.img",format=raw,if=virtio \
  -kernel "$elf" </dev/null >"$tmp/out" 2>"$tmp/err"
status=$?
if [ $status -eq 0 ] && grep -q poweroff "$tmp/out" && sector_is 0 "FLUSHED-0 " && sector_is 1 "WRITTEN-1 "; then
  ok poweroff
else
  fail "poweroff (status $status)"
fi

# FLUSH: the flushed sector is in the file while the guest still runs.
make_image s
start
if wait_for flushed && sector_is 0 "FLUSHED-0 "; then ok flush-while-running; else fail flush-while-running; fi
kill -TERM "$pid" 2>/dev/null
finish

# SIGTERM and SIGINT: a graceful stop with both sectors written back.
for sig in TERM:15 INT:2; do
  num=${sig#*:}
  sig=${sig%:*}
  make_image s
  start
  if wait_for written; then
    kill -$sig "$pid"
    finish
    if [ $status -eq $((128 + num)) ] && grep -q "terminating on signal $num" "$tmp/err" &&
      sector_is 0 "FLUSHED-0 " && sector_is 1 "WRITTEN-1 "; then
      ok "sig$sig"
    else
      fail "sig$sig (status $status)"
    fi
  else
    fail "sig$sig: the guest never wrote"
    kill -KILL "$pid" 2>/dev/null
    finish
  fi
done

# SIGKILL: no chance to clean up; what the guest flushed is there.
make_image s
start
if wait_for written; then
  kill -KILL "$pid"
  finish
  if [ $status -eq 137 ] && sector_is 0 "FLUSHED-0 "; then ok sigkill; else fail "sigkill (status $status)"; fi
else
  fail "sigkill: the guest never wrote"
  kill -KILL "$pid" 2>/dev/null
  finish
fi

echo "durability: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
