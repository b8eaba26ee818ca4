#!/bin/sh
# The pointer-chase curve under a timing preset must show the configured
# latencies (docs/timing.md, "Validation"): every working set that fits the
# L1D costs the L1D's load-to-use latency per load, sets between twice the
# L1D and half the L2 cost L1D + L2, and sets of eight times the L2 and
# more cost L1D + L2 + memory, each within 10%. The sizes and latencies
# come from the configuration file, which orrery is given as a file.
#
#   pointer_chase_test.sh ORRERY ELF CONFIG.ini
set -eu
[ $# -eq 3 ] || { echo "usage: $0 ORRERY ELF CONFIG.ini" >&2; exit 2; }
orrery=$1 elf=$2 ini=$3
# ini_get SECTION KEY: the value, with a K or M suffix turned into KiB.
ini_get() {
  awk -v s="[$1]" -v k="$2" '
    /^\[/ { in_s = ($1 == s) }
    in_s && $1 == k { v = $3; if (v ~ /K$/) v = v + 0; else if (v ~ /M$/) v = (v + 0) * 1024; print v; exit }' "$ini"
}
l1_kib=$(ini_get l1d size) l2_kib=$(ini_get l2 size)
l1_lat=$(ini_get l1d latency) l2_lat=$(ini_get l2 latency) mem_lat=$(ini_get memory latency)
echo "$ini: L1D $l1_kib KiB, $l1_lat cycles; L2 $l2_kib KiB, $l2_lat cycles; memory $mem_lat cycles"
out=$(mktemp)
trap 'rm -f "$out"' EXIT
"$orrery" -M virt -m 128M -bios none --timing "$ini" -kernel "$elf" > "$out" </dev/null
cat "$out"
awk -v l1="$l1_kib" -v l2="$l2_kib" -v a="$l1_lat" -v b="$l2_lat" -v m="$mem_lat" '
  NR == 1 { next }
  {
    size = $1; cpl = $2 / 100.0; want = 0
    if (size <= l1) { want = a; level = "L1" }
    else if (size >= 2 * l1 && size <= l2 / 2) { want = a + b; level = "L2" }
    else if (size >= 8 * l2) { want = a + b + m; level = "memory" }
    if (want == 0) next
    checked++
    err = (cpl - want) / want; if (err < 0) err = -err
    status = err <= 0.10 ? "ok" : "FAIL"
    printf "%6d KiB: %7.2f cycles/load, %s plateau %d: %s\n", size, cpl, level, want, status
    if (status == "FAIL") bad++
  }
  END {
    if (checked < 6) { print "too few sizes checked: " checked; exit 1 }
    exit bad ? 1 : 0
  }' "$out"
