#!/bin/sh
# Run a guest program on Orrery's two engines (interp, threaded) and on
# qemu-system-riscv64 (TCG), alternating, N times each, and print a markdown
# table of median wall times and MIPS.
# Instruction counts come from Orrery's --stats, so MIPS is honest for both.
# Usage: benchmarks/compare_qemu.sh [ELF] [RUNS]
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
elf=${1:-$root/build/release/tests/guest/riscv/cpubound.elf}
runs=${2:-5}
orrery=$root/build/release/platforms/orrery
command -v qemu-system-riscv64 >/dev/null || { echo "qemu-system-riscv64 not found (apt-get install qemu-system-misc)" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

now() { date +%s.%N; }
insns=$("$orrery" -bios none -kernel "$elf" --stats 2>&1 >/dev/null | sed -n 's/^orrery: instructions retired: //p')
i=0
while [ "$i" -lt "$runs" ]; do
  for engine in interp threaded; do
    t0=$(now); "$orrery" --engine "$engine" -M virt -m 128M -bios none -nographic -kernel "$elf" >/dev/null; t1=$(now)
    awk -v a="$t0" -v b="$t1" "BEGIN { print b - a }" >>"$tmp/$engine"
  done
  t0=$(now); qemu-system-riscv64 -M virt -m 128M -bios none -nographic -kernel "$elf" >/dev/null; t1=$(now)
  awk -v a="$t0" -v b="$t1" "BEGIN { print b - a }" >>"$tmp/qemu"
  i=$((i + 1))
done
median() { sort -n "$1" | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
mi=$(median "$tmp/interp")
mt=$(median "$tmp/threaded")
mq=$(median "$tmp/qemu")
echo "| workload | instructions | interp (s) | threaded (s) | QEMU TCG (s) | interp MIPS | threaded MIPS | QEMU MIPS | threaded / interp | threaded / QEMU |"
echo "|---|---|---|---|---|---|---|---|---|---|"
awk -v n="$insns" -v i="$mi" -v t="$mt" -v q="$mq" -v w="$(basename "$elf" .elf)" \
  'BEGIN { printf "| %s | %d | %.2f | %.2f | %.2f | %.0f | %.0f | %.0f | %.2f | %.2f |\n", w, n, i, t, q, n/i/1e6, n/t/1e6, n/q/1e6, i/t, q/t }'
