#!/bin/sh
# Linux in lockstep: OpenSBI, the kernel and the initramfs's tests run on two
# copies of the virt machine, one on the threaded engine and one on the
# interpreter, compared after every slice (registers, CSRs, console) and
# every 64 slices (all of RAM). Passes when init reports success and no
# divergence was found (orrery exits 125 on one, with a report).
# Usage: lockstep_test.sh ORRERY   (exit 77 = skipped: guest images not built)
set -u
orrery=$1
cache=${ORRERY_CACHE:-$HOME/.cache/orrery}
kernel=$cache/linux/Image
initrd=$cache/initramfs/initramfs.cpio.gz
if [ ! -f "$kernel" ] || [ ! -f "$initrd" ]; then
  echo "skipped: no guest images in $cache (run tools/build-linux and tools/build-initramfs)"
  exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0
for smp in 1 4; do
  timeout 1000 "$orrery" --lockstep -M virt -m 256M -smp "$smp" -kernel "$kernel" -initrd "$initrd" \
    -append "console=ttyS0" </dev/null >"$tmp/out" 2>"$tmp/err"
  status=$?
  if [ "$status" -eq 0 ] && grep -q "^orrery-init: all tests passed" "$tmp/out" &&
    grep -q "lockstep: threaded and interp identical" "$tmp/err"; then
    echo "ok smp$smp: $(grep -o 'identical over .*' "$tmp/err")"
  else
    failed=1
    echo "FAIL smp$smp: exit status $status"
    tail -20 "$tmp/err" | sed 's/^/    /'
    tail -5 "$tmp/out" | sed 's/^/    /'
  fi
done
exit $failed
