#!/bin/sh
# Checkpoints of bare-metal guests (docs/checkpoints.md): each guest runs
# straight, then is saved at a third and at two thirds of its instructions
# and restored on the other engine. The restored run must print the rest of
# the straight run's console, exit with its status and end with its counts.
# The guests cover what a checkpoint must carry: timer and software
# interrupts mid-storm (CLINT, Sstc), the PLIC, the APLIC and IMSIC guest
# files, the hypervisor's two-stage translation, Sv48 paging, PMP, the PMU
# counters and, with --timing, the model's caches, TLBs and predictors.
# Usage: guest_checkpoint_test.sh ORRERY GUEST_DIR DISK_SECTORS
set -u
orrery=$1
dir=$2
sectors=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0
failed=0

# The --stats report (from its first line on; device messages before it
# belong to the part of the run before a checkpoint), without host time,
# speed and engine figures.
counts() {
  sed -n '/^orrery: instructions retired/,$p' "$1" | grep -v -e 'host' -e 'MIPS' -e 'engine' -e 'block' -e 'invalidated'
}

# guest NAME MACHINE [ARGS...]
guest() {
  name=$1 machine=$2
  shift 2
  extra="$*"
  elf=$dir/$name.elf
  set -- -M "$machine" -m 128M -bios none -nographic --stats "$@" -kernel "$elf"
  timeout 120 "$orrery" "$@" </dev/null >"$tmp/straight.out" 2>"$tmp/straight.err"
  want_status=$?
  total=$(sed -n 's/^orrery: instructions retired: //p' "$tmp/straight.err")
  counts "$tmp/straight.err" >"$tmp/straight.counts"
  for part in 1 2; do
    at=$((total / 3 * part))
    label="$name $machine $extra: saved at $part/3"
    timeout 120 "$orrery" "$@" --save-at "$at" "$tmp/ck" </dev/null >"$tmp/save.out" 2>"$tmp/save.err"
    save_status=$?
    counts "$tmp/save.err" >"$tmp/save.counts"
    timeout 120 "$orrery" "$@" --engine interp --load "$tmp/ck" </dev/null >"$tmp/load.out" 2>"$tmp/load.err"
    load_status=$?
    counts "$tmp/load.err" >"$tmp/load.counts"
    rest=$(($(wc -c <"$tmp/straight.out") - $(wc -c <"$tmp/load.out")))
    tail -c +"$((rest + 1))" "$tmp/straight.out" >"$tmp/rest.out"
    if [ "$save_status" -eq "$want_status" ] && [ "$load_status" -eq "$want_status" ] &&
      cmp -s "$tmp/straight.out" "$tmp/save.out" && cmp -s "$tmp/straight.counts" "$tmp/save.counts" &&
      cmp -s "$tmp/rest.out" "$tmp/load.out" && cmp -s "$tmp/straight.counts" "$tmp/load.counts"; then
      passed=$((passed + 1))
      echo "ok $label (exit status $want_status, $total instructions)"
    else
      failed=$((failed + 1))
      echo "FAIL $label: exit status straight $want_status, saving $save_status, restored $load_status"
      diff "$tmp/rest.out" "$tmp/load.out" | head -10
      diff "$tmp/straight.counts" "$tmp/load.counts" | head -10
      tail -3 "$tmp/load.err"
    fi
  done
}

guest hostile_irq virt
guest interrupts virt
guest vm_sv48 virt
guest pmp virt
guest pmu virt
guest smc_stress virt
guest hyp_gstage virt
guest hyp_aia virt,aia=aplic-imsic,aia-guests=5
# hostile_virtio's disk: sector s filled with the byte 64 + s % 64, as
# run_guest.cmake writes it; the image must not change between the save
# and the load (the checkpoint checks), and the guest only reads it.
python3 -c "import sys; sys.stdout.buffer.write(b''.join(bytes([64 + s % 64]) * 512 for s in range($sectors)))" \
  >"$tmp/disk.img"
guest hostile_virtio virt -drive "file=$tmp/disk.img,format=raw,if=virtio"
guest hostile_irq virt --timing dual
guest pointer_chase virt --timing small

echo "guest checkpoints: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
