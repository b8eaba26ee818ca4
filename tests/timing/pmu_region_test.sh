#!/bin/sh
# Acceptance for the PMU: what the guest reads from its counters around a
# region equals what the timing model reports for that region (--stats-json),
# exactly for events and instructions (which include the begin marker and
# the 8 counter reads, see programs/pmu_region.c) and within 1% for cycles.
#
#   pmu_region_test.sh ORRERY ELF PRESET [ENGINE]
set -eu
[ $# -ge 3 ] || { echo "usage: $0 ORRERY ELF PRESET [ENGINE]" >&2; exit 2; }
orrery=$1 elf=$2 preset=$3 engine=${4:-threaded}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
"$orrery" -M virt -m 128M -bios none --timing "$preset" --engine "$engine" --stats-json "$dir/stats.json" \
  -kernel "$elf" > "$dir/out" </dev/null
cat "$dir/out"
# The region object of hart 0, one "name": value per line.
sed -n 's/.*"region": {//p' "$dir/stats.json" | tr ',' '\n' | sed 's/[{}" ]//g' > "$dir/region"
fail=0
while read -r tag name guest; do
  [ "$tag" = guest ] || continue
  model=$(sed -n "s/^$name:\([0-9]*\)$/\1/p" "$dir/region")
  [ -n "$model" ] || { echo "$name: missing in the region report"; fail=1; continue; }
  case $name in
    instructions) want=$((guest + 9)); ok=$([ "$model" -eq "$want" ] && echo ok || echo FAIL) ;;
    cycles) ok=$(awk -v g="$guest" -v m="$model" 'BEGIN { d = (m - g) / m; if (d < 0) d = -d; print (d <= 0.01 ? "ok" : "FAIL") }') ;;
    *) ok=$([ "$model" -eq "$guest" ] && echo ok || echo FAIL) ;;
  esac
  echo "$name: guest $guest, model $model: $ok"
  [ "$ok" = ok ] || fail=1
done < "$dir/out"
grep -q '^guest instructions' "$dir/out" || { echo "no counts from the guest"; exit 1; }
exit $fail
