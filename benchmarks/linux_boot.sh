#!/bin/sh
# Linux boot-to-init and boot-to-poweroff wall time, Orrery's engines
# (interp, threaded) vs qemu-system-riscv64 (TCG), alternating runs on the
# same firmware (Debian's OpenSBI fw_dynamic), kernel and initramfs. Prints
# a markdown table of medians, one row per emulator.
# Usage: benchmarks/linux_boot.sh [RUNS] [SMP]
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
runs=${1:-5}
smp=${2:-1}
orrery=$root/build/release/platforms/orrery
cache=${ORRERY_CACHE:-$HOME/.cache/orrery}
kernel=$cache/linux/Image
initrd=$cache/initramfs/initramfs.cpio.gz
fw=/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin
command -v qemu-system-riscv64 >/dev/null || { echo "qemu-system-riscv64 not found (apt-get install qemu-system-misc)" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# run NAME CMD...: append "<seconds to init> <seconds to exit>" to $tmp/NAME.
run() {
  name=$1
  shift
  start=$(date +%s.%N)
  "$@" </dev/null 2>&1 | {
    init=""
    while IFS= read -r line; do
      case $line in *"orrery-init: "*) [ -n "$init" ] || init=$(date +%s.%N) ;; esac
    done
    echo "$init" >"$tmp/init"
  }
  end=$(date +%s.%N)
  init=$(cat "$tmp/init")
  awk -v s="$start" -v i="$init" -v e="$end" 'BEGIN { printf "%.3f %.3f\n", i - s, e - s }' >>"$tmp/$name"
}

args="-M virt -m 256M -smp $smp -bios $fw -kernel $kernel -initrd $initrd -append console=ttyS0 -nographic"
i=0
while [ "$i" -lt "$runs" ]; do
  # shellcheck disable=SC2086
  run interp "$orrery" --engine interp $args
  # shellcheck disable=SC2086
  run threaded "$orrery" --engine threaded $args
  # shellcheck disable=SC2086
  run qemu qemu-system-riscv64 $args
  i=$((i + 1))
done
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
qi=$(cut -d' ' -f1 "$tmp/qemu" | median)
echo "| emulator | -smp | runs | to init (s) | to power-off (s) | speed vs QEMU (init) |"
echo "|---|---|---|---|---|---|"
for name in interp threaded qemu; do
  mi=$(cut -d' ' -f1 "$tmp/$name" | median); me=$(cut -d' ' -f2 "$tmp/$name" | median)
  label="Orrery $name"; [ "$name" = qemu ] && label="QEMU TCG"
  awk -v l="$label" -v n="$smp" -v r="$runs" -v mi="$mi" -v me="$me" -v qi="$qi" \
    'BEGIN { printf "| %s | %d | %d | %.2f | %.2f | %.2f |\n", l, n, r, mi, me, qi/mi }'
done
