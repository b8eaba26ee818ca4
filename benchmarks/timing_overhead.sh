#!/bin/sh
# The timing model's cost and determinism (docs/performance.md, "Timing
# model"): a guest program on each engine with --timing none, small and
# dual, alternating, N runs each; prints a markdown table of median wall
# times, MIPS and the slowdown against --timing none on the same engine,
# and checks that every run of a configuration reports the same cycles.
# Usage: benchmarks/timing_overhead.sh [ELF] [RUNS]
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
elf=${1:-$root/build/release/tests/guest/riscv/cpubound.elf}
runs=${2:-3}
orrery=$root/build/release/platforms/orrery
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
now() { date +%s.%N; }
i=0
while [ "$i" -lt "$runs" ]; do
  for engine in threaded interp; do
    for timing in none small dual; do
      t0=$(now)
      "$orrery" --engine "$engine" --timing "$timing" -M virt -m 128M -bios none -kernel "$elf" --stats \
        </dev/null >/dev/null 2>"$tmp/stats"
      t1=$(now)
      awk -v a="$t0" -v b="$t1" "BEGIN { print b - a }" >>"$tmp/$engine-$timing"
      sed -n 's/^orrery: instructions retired: //p' "$tmp/stats" >"$tmp/insns"
      sed -n 's/^orrery:   cycles \([0-9]*\),.*/\1/p' "$tmp/stats" | head -1 >>"$tmp/$engine-$timing.cycles"
    done
  done
  i=$((i + 1))
done
median() { sort -n "$1" | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
insns=$(cat "$tmp/insns")
echo "$(basename "$elf"): $insns instructions, $runs runs each, medians"
echo
echo "| engine | --timing | seconds | MIPS | slowdown vs none | cycles (every run) |"
echo "|---|---|---|---|---|---|"
for engine in threaded interp; do
  base=$(median "$tmp/$engine-none")
  for timing in none small dual; do
    m=$(median "$tmp/$engine-$timing")
    distinct=$(sort -u "$tmp/$engine-$timing.cycles" | wc -l)
    cycles=$(head -1 "$tmp/$engine-$timing.cycles")
    [ "$timing" = none ] && cycles="(no model)" || { [ "$distinct" -eq 1 ] && cycles="$cycles, identical" || cycles="DIFFER"; }
    awk -v s="$m" -v n="$insns" -v b="$base" -v e="$engine" -v t="$timing" -v c="$cycles" \
      'BEGIN { printf "| %s | %s | %.2f | %.1f | %.2fx | %s |\n", e, t, s, n / s / 1e6, s / b, c }'
  done
done
