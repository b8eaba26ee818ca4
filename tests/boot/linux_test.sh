#!/bin/sh
# End-to-end Linux boots on the virt machine: Debian's OpenSBI (fw_dynamic),
# the kernel from tools/build-linux and the initramfs from
# tools/build-initramfs, whose /init runs the guest tests and powers off.
#   1. -smp 1 and -smp 4 reach "orrery-init: all tests passed", exit 0;
#   2. a guest-written pattern is in the disk image after power-off;
#   3. a readonly=on drive rejects the guest's write and the file is unchanged;
#   4. with -M virt,aia=aplic-imsic, OpenSBI 1.1 accepts the device tree and
#      takes its IPIs from the IMSIC (so Linux's SBI IPIs arrive as MSIs);
#      Linux 6.1 has no IMSIC/APLIC irqchip driver (they arrived in 6.10), so
#      the UART behind the APLIC gets no interrupt and the console is hvc0;
#   5. the PMU: Linux's riscv_pmu_sbi driver finds OpenSBI's counters and
#      Sscofpmf, and /tests/perf_counters counts with perf_event_open and
#      samples on counter overflow (LCOFI); under --timing dual the cache
#      and branch events count too (docs/pmu.md).
# Usage: linux_test.sh ORRERY [ENGINE|lockstep]   (exit 77 = skipped: guest
# images not built). ENGINE is passed as --engine (default: orrery's
# default). `lockstep` runs case 1 only, under --lockstep: both engines side
# by side from OpenSBI to power-off, exit 0 only if they never diverge
# (orrery exits 125 with a report otherwise).
set -u
orrery=$1
mode=${2:-}
engine_args=
case "$mode" in
  "") ;;
  lockstep) engine_args="--lockstep" ;;
  *) engine_args="--engine $mode" ;;
esac
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

# boot NAME ARGS...: boot Linux; pass if init reports success and orrery exits 0.
boot() {
  name=$1
  shift
  # shellcheck disable=SC2086 # engine_args is empty or two words
  timeout 600 "$orrery" $engine_args -M "$machine" -m 256M -kernel "$kernel" -initrd "$initrd" -nographic --stats "$@" \
    </dev/null >"$tmp/$name.out" 2>&1
  status=$?
  if [ "$status" -eq 0 ] && grep -q "^orrery-init: all tests passed" "$tmp/$name.out"; then
    passed=$((passed + 1))
    echo "ok $name ($(grep -o 'host seconds: .*' "$tmp/$name.out"))"
    return 0
  fi
  failed=$((failed + 1))
  echo "FAIL $name: exit status $status; last lines:"
  tail -25 "$tmp/$name.out" | sed 's/^/    /'
  return 1
}

check() {  # check NAME CONDITION-COMMAND...
  name=$1
  shift
  if "$@"; then passed=$((passed + 1)); echo "ok $name"; else failed=$((failed + 1)); echo "FAIL $name"; fi
}

machine=virt
boot smp1 -smp 1 -append "console=ttyS0"
boot smp4 -smp 4 -append "console=ttyS0"
if [ "$mode" = lockstep ]; then
  echo "linux: $passed passed, $failed failed"
  [ "$failed" -eq 0 ]
  exit
fi

check pmu-driver-found-the-counters grep -q "riscv-pmu-sbi: 16 firmware and 31 hardware counters" "$tmp/smp1.out"
check perf-samples-on-overflow grep -q "perf_counters: samples every 100000 instructions: [1-9]" "$tmp/smp1.out"
boot timing-dual -smp 1 --timing dual --stats-json "$tmp/timing.json" -append "console=ttyS0"
check perf-cache-misses-under-timing grep -q "perf_counters: cache-misses [1-9]" "$tmp/timing-dual.out"
check perf-branch-misses-under-timing grep -q "perf_counters: branch-misses [1-9]" "$tmp/timing-dual.out"
check timing-stats-reported grep -q "orrery:   CPI stack: base" "$tmp/timing-dual.out"
# The guest's perf counts against the model's report for the region the
# tool marked: instructions exactly, the rest within 1%.
perf_matches_stats() {
  sed -n 's/.*"region": {//p' "$tmp/timing.json" | tr ',' '\n' | sed 's/[{}" ]//g' >"$tmp/region"
  ok=0
  for pair in cycles:cycles instructions:instructions cache-references:l1d-accesses cache-misses:l1d-misses \
              branches:branches branch-misses:branch-misses; do
    perf=$(sed -n "s/^perf_counters: ${pair%%:*} \([0-9]*\).*/\1/p" "$tmp/timing-dual.out" | head -1)
    model=$(sed -n "s/^${pair#*:}:\([0-9]*\)$/\1/p" "$tmp/region")
    if [ -z "$perf" ] || [ -z "$model" ]; then echo "    ${pair%%:*}: missing (perf '$perf', model '$model')"; ok=1; continue; fi
    if [ "${pair%%:*}" = instructions ]; then
      [ "$perf" -eq "$model" ] && verdict=ok || verdict=FAIL
    else
      verdict=$(awk -v p="$perf" -v m="$model" 'BEGIN { d = m ? (p - m) / m : p; if (d < 0) d = -d; print (d <= 0.01 ? "ok" : "FAIL") }')
    fi
    echo "    ${pair%%:*}: perf $perf, --stats region $model: $verdict"
    [ "$verdict" = ok ] || ok=1
  done
  return $ok
}
check perf-counts-match-the-model perf_matches_stats

# The pattern disk_pattern.c writes at offset 8192.
i=0
: >"$tmp/pattern"
while [ "$i" -lt 256 ]; do printf 'orrery:pattern!\n' >>"$tmp/pattern"; i=$((i + 1)); done
dd if=/dev/zero of="$tmp/rw.img" bs=1M count=4 2>/dev/null
boot disk-write -append "console=ttyS0 orrery.disk=write" -drive file="$tmp/rw.img",format=raw,if=virtio
dd if="$tmp/rw.img" of="$tmp/block" bs=4096 skip=2 count=1 2>/dev/null
check disk-write-reached-the-file cmp -s "$tmp/block" "$tmp/pattern"

dd if=/dev/urandom of="$tmp/ro.img" bs=1M count=4 2>/dev/null
cp "$tmp/ro.img" "$tmp/ro.orig"
boot disk-readonly -append "console=ttyS0 orrery.disk=readonly" \
  -drive file="$tmp/ro.img",format=raw,if=virtio,readonly=on
check disk-readonly-file-unchanged cmp -s "$tmp/ro.img" "$tmp/ro.orig"
check disk-readonly-guest-saw-the-error grep -q "disk_pattern: readonly: .*rejected" "$tmp/disk-readonly.out"

machine=virt,aia=aplic-imsic,aia-guests=1
boot aia-imsic -smp 2 -append "console=hvc0"
check aia-opensbi-takes-ipis-from-the-imsic grep -q "Platform IPI Device *: aia-imsic" "$tmp/aia-imsic.out"
machine=virt

echo "linux: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
