#!/bin/sh
# Nested virtualization end to end: Linux 6.1 with KVM built in boots on the
# virt machine with the emulated H extension, loads KVM ("kvm [1]:
# hypervisor extension available") and runs Linux's own riscv KVM selftests
# (tools/build-kvm-selftests) from the KVM initramfs
# (tools/build-initramfs --kvm-selftests). Every selftest must report PASS:
# a SKIP would mean an emulated feature is missing.
#
# Usage: kvm_test.sh ORRERY [all|quick [ENGINE]]   (exit 77 = skipped: images missing)
#   all    every selftest, -m 1536M (dirty_log_test maps a fixed 1 GiB region)
#   quick  all but dirty_log_test, -m 512M (the sanitizer build, ~4x slower)
set -u
orrery=$1
scope=${2:-all}
engine_args=
if [ $# -ge 3 ]; then engine_args="--engine $3"; fi  # ENGINE: default orrery's
cache=${ORRERY_CACHE:-$HOME/.cache/orrery}
kernel=$cache/linux/Image
initrd=$cache/initramfs/initramfs-kvm.cpio.gz
if [ ! -f "$kernel" ] || [ ! -f "$initrd" ]; then
  echo "skipped: no KVM guest images in $cache (tools/test builds them)"
  exit 77
fi
all="kvm_create_max_vcpus kvm_binary_stats_test set_memory_region_test demand_paging_test kvm_page_table_test dirty_log_test"
case "$scope" in
  all) memory=1536M; tests=$all ;;
  quick) memory=512M; tests=${all% dirty_log_test} ;;
  *) echo "kvm_test.sh: unknown scope '$scope'" >&2; exit 2 ;;
esac
out=$(mktemp)
trap 'rm -f "$out"' EXIT

# shellcheck disable=SC2086 # engine_args is empty or two words
timeout 1500 "$orrery" $engine_args -M virt -m "$memory" -smp 2 -cpu rv64,h=on -kernel "$kernel" -initrd "$initrd" \
  -nographic --stats -append "console=ttyS0 orrery.kvm_selftests=$(echo $tests | tr ' ' ,)" \
  </dev/null >"$out" 2>&1
status=$?

passed=0
failed=0
check() {  # check NAME PATTERN
  if grep -q "$2" "$out"; then passed=$((passed + 1)); echo "ok $1"; else failed=$((failed + 1)); echo "FAIL $1"; fi
}
check "orrery exits 0" "^orrery: instructions retired"
[ "$status" -eq 0 ] || { failed=$((failed + 1)); echo "FAIL exit status $status"; }
check "KVM finds the hypervisor extension" "kvm \[1\]: hypervisor extension available"
for t in $tests; do
  check "$t" "^kvm-selftest $t: PASS"
done
check "init reports success" "^orrery-init: all tests passed"
if [ "$failed" -ne 0 ]; then
  echo "--- kvm-selftest lines and the last lines of the console:"
  grep "kvm-selftest\|Assertion\|FAIL" "$out" | head -40 | sed 's/^/    /'
  tail -25 "$out" | sed 's/^/    /'
fi
grep -o "host seconds: .*" "$out"
echo "kvm: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
