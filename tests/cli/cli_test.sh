#!/bin/sh
# End-to-end checks of the orrery executable: exit statuses, error messages,
# --stats and --trace. Usage: cli_test.sh ORRERY COUNT_ELF
set -u
orrery=$1
count_elf=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0
failed=0

# expect NAME STATUS PATTERN -- ARGS...: run orrery, check its exit status and
# that stderr+stdout match the grep pattern.
expect() {
  name=$1 want=$2 pattern=$3
  shift 4
  "$orrery" "$@" >"$tmp/out" 2>&1
  got=$?
  if [ "$got" -eq "$want" ] && grep -q -- "$pattern" "$tmp/out"; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    echo "FAIL $name: status $got (want $want), output:"
    sed 's/^/    /' "$tmp/out"
  fi
}

printf 'not an elf' >"$tmp/junk.bin"
printf 'initrd' >"$tmp/initrd.img"
: >"$tmp/empty.bin"
cp "$count_elf" "$tmp/trunc.elf" && truncate -s 200 "$tmp/trunc.elf"

expect help 0 "usage: orrery" -- --help
expect version 0 "^orrery " -- --version
expect unknown-flag 2 "unrecognised option\|unrecognized option" -- --frobnicate
expect missing-value 2 "kernel" -- -kernel
expect bad-machine 2 "unknown machine" -- -M sifive_u -kernel "$count_elf"
expect bad-memory 2 "not a size" -- -m lots -kernel "$count_elf"
expect bad-smp 2 "smp" -- -smp 0 -kernel "$count_elf"
expect bad-engine 2 "unknown engine" -- --engine jit -kernel "$count_elf"
expect bad-timing 2 "'nosuch' is neither a preset (small, dual) nor a readable file" -- --timing nosuch -kernel "$count_elf"
printf '[l2]\nsize = 1G\nline = 4\nways = 1\n' > "$tmp/huge.ini"
expect timing-too-big 2 "l2 cache: more than 2^20 lines" -- --timing "$tmp/huge.ini" -kernel "$count_elf"
printf '[l1d]\nsiez = 16K\n' > "$tmp/typo.ini"
expect timing-typo 2 "typo.ini: l1d.siez: unknown key" -- --timing "$tmp/typo.ini" -kernel "$count_elf"
expect timing-stats 0 "orrery:   CPI stack: base" -- --timing small -bios none -kernel "$count_elf" --stats
expect no-kernel 1 "nothing to run" -- -M virt -bios none
expect missing-file 1 "cannot open" -- -bios none -kernel "$tmp/nope.elf"
expect empty-file 1 "is empty" -- -bios none -kernel "$tmp/empty.bin"
expect directory 1 "is a directory" -- -bios none -kernel "$tmp"
expect bad-bios 1 "cannot open" -- -bios "$tmp/nope.bin" -kernel "$count_elf"
expect truncated-elf 1 "truncated\|corrupt\|not an ELF" -- -bios none -kernel "$tmp/trunc.elf"
expect tiny-ram 2 "between 1 MiB" -- -m 1K -bios none -kernel "$count_elf"
expect huge-smp 2 "1 to 64 harts" -- -smp 1000 -bios none -kernel "$count_elf"
expect wrong-arch 1 "needs RISC-V 64-bit" -- -bios none -kernel /bin/sh
expect raw-runs-off-the-end 124 "stopped after 1000 instructions" -- -bios none -kernel "$tmp/junk.bin" --max-insns 1000
expect initrd-without-kernel 2 "-initrd needs -kernel" -- -initrd "$tmp/initrd.img"
expect append-without-kernel 2 "-append needs -kernel" -- -append "console=ttyS0"
expect bad-machine-option 2 "unknown machine option" -- -M virt,acpi=on -bios none -kernel "$count_elf"
expect bad-aia 2 "not an AIA type" -- -M virt,aia=imsic -bios none -kernel "$count_elf"
expect bad-aia-guests 2 "aia-guests=8" -- -M virt,aia=aplic-imsic,aia-guests=8 -bios none -kernel "$count_elf"
printf 'x' >"$tmp/odd.img"
expect drive-bad-format 2 "format" -- -bios none -kernel "$count_elf" -drive file="$tmp/odd.img",format=qcow2
expect drive-bad-key 2 "-drive" -- -bios none -kernel "$count_elf" -drive file="$tmp/odd.img",cache=none
expect drive-missing-file 1 "cannot open\|No such file" -- -bios none -kernel "$count_elf" -drive file="$tmp/nope.img",format=raw,if=virtio
expect drive-odd-size 1 "512" -- -bios none -kernel "$count_elf" -drive file="$tmp/odd.img",format=raw,if=virtio
expect bad-device 2 "unknown device" -- -bios none -kernel "$count_elf" -device e1000
expect too-many-virtio 2 "too many virtio devices" -- -bios none -kernel "$count_elf" \
  -device virtio-rng-device -device virtio-rng-device -device virtio-rng-device -device virtio-rng-device \
  -device virtio-rng-device -device virtio-rng-device -device virtio-rng-device -device virtio-rng-device \
  -device virtio-rng-device
expect bad-cpu 2 "unknown CPU model" -- -cpu sifive-u54 -bios none -kernel "$count_elf"
expect bad-cpu-option 2 "unknown CPU option" -- -cpu rv64,v=true -bios none -kernel "$count_elf"
expect missing-initrd 1 "cannot open" -- -bios none -kernel "$count_elf" -initrd "$tmp/nope.img"
expect missing-dtb 1 "-dtb .*cannot open" -- -bios none -kernel "$count_elf" -dtb "$tmp/nope.dtb"
expect bad-dtb 1 "not a valid device tree" -- -bios none -kernel "$count_elf" -dtb "$tmp/junk.bin"
expect dump-dtb 0 "device tree written" -- -bios none -M virt,dumpdtb="$tmp/virt.dtb" -smp 2 -kernel "$count_elf" \
  -append "console=ttyS0"
expect dump-dtb-long 0 "device tree written" -- -bios none --dump-dtb "$tmp/virt2.dtb" -kernel "$count_elf" \
  -initrd "$tmp/initrd.img"
expect dump-dtb-aia 0 "device tree written" -- -bios none -M virt,aia=aplic-imsic,aia-guests=2,dumpdtb="$tmp/aia.dtb" \
  -smp 2 -kernel "$count_elf"
# The dumped blob is a valid tree with the command line and the initrd in /chosen.
if command -v dtc >/dev/null 2>&1; then
  if dtc -I dtb -O dts "$tmp/virt.dtb" 2>/dev/null | grep -q 'bootargs = "console=ttyS0"' &&
    dtc -I dtb -O dts "$tmp/virt.dtb" 2>/dev/null | grep -q 'cpu@1 {' &&
    dtc -I dtb -O dts "$tmp/virt2.dtb" 2>/dev/null | grep -q 'linux,initrd-start = <0x84000000>' &&
    dtc -I dtb -O dts "$tmp/aia.dtb" 2>/dev/null | grep -q 'reg = <0x00 0x28000000 0x00 0x8000>' &&
    dtc -I dtb -O dts "$tmp/aia.dtb" 2>/dev/null | grep -q 'riscv,guest-index-bits = <0x02>'; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    echo "FAIL dump-dtb contents:"
    for f in "$tmp/virt.dtb" "$tmp/virt2.dtb" "$tmp/aia.dtb"; do dtc -I dtb -O dts "$f" 2>&1 | sed 's/^/    /'; done
  fi
  # -dtb uses a blob as is; -append still sets /chosen bootargs (as QEMU 7.2).
  expect dtb-roundtrip 0 "device tree written" -- -bios none --dump-dtb "$tmp/virt3.dtb" -kernel "$count_elf" \
    -dtb "$tmp/virt.dtb" -append "root=/dev/vda"
  if ! dtc -I dtb -O dts "$tmp/virt3.dtb" 2>/dev/null | grep -q 'bootargs = "root=/dev/vda"'; then
    failed=$((failed + 1))
    echo "FAIL dtb-roundtrip: bootargs not updated"
  fi
fi

# The exact instruction count, from --stats and from the trace: count.S
# retires 2005 instructions, and every hart first runs the 6 instructions of
# the reset ROM at 0x1000 (auipc, addi, csrr, ld, ld, jr: a0 = hart ID,
# a1 = device tree, a2 = fw_dynamic_info, jump to the entry), so 2011.
expect stats 0 "instructions retired: 2011$" -- -M virt -m 128M -bios none -nographic -kernel "$count_elf" --stats
expect stats-interp 0 "instructions retired: 2011$" -- --engine interp -bios none -kernel "$count_elf" --stats
expect stats-threaded 0 "engine threaded: [1-9][0-9]* blocks" -- --engine threaded -bios none -kernel "$count_elf" --stats
expect max-insns-threaded 124 "stopped after 1500 instructions" -- --engine threaded -bios none -kernel "$count_elf" \
  --max-insns 1500

# --lockstep: both engines side by side; refuses what cannot be repeated.
expect lockstep 0 "identical over [0-9]* slices, 2011 instructions" -- --lockstep -bios none -kernel "$count_elf"
expect lockstep-max-insns 124 "stopped after 1000 instructions" -- --lockstep -bios none -kernel "$count_elf" \
  --max-insns 1000
expect lockstep-trace 1 "cannot be combined" -- --lockstep --trace "$tmp/t.log" -bios none -kernel "$count_elf"
expect lockstep-rng 1 "repeatable run" -- --lockstep -bios none -kernel "$count_elf" -device virtio-rng-device
dd if=/dev/zero of="$tmp/disk.img" bs=512 count=8 2>/dev/null
expect lockstep-writable-drive 1 "readonly=on" -- --lockstep -bios none -kernel "$count_elf" \
  -drive file="$tmp/disk.img",format=raw,if=virtio
expect lockstep-readonly-drive 0 "identical" -- --lockstep -bios none -kernel "$count_elf" \
  -drive file="$tmp/disk.img",format=raw,if=virtio,readonly=on

# -rtc, as QEMU spells it
expect rtc-vm 0 "instructions retired: 2011$" -- -rtc base=2020-02-29T12:00:00,clock=vm -bios none -kernel "$count_elf" --stats
expect rtc-bad-date 2 "base must be utc or a date" -- -rtc base=2020-13-01 -bios none -kernel "$count_elf"
expect rtc-bad-option 2 "unknown option" -- -rtc driftfix=slew -bios none -kernel "$count_elf"
"$orrery" -bios none -kernel "$count_elf" --trace "$tmp/trace.log" >/dev/null 2>&1
lines=$(wc -l <"$tmp/trace.log")
if [ "$lines" -eq 2011 ] && head -1 "$tmp/trace.log" | grep -q '^core   0: 3 0x0000000000001000 (0x00000297) x5  0x0000000000001000 ; auipc   t0, 0x0$' &&
  sed -n 6p "$tmp/trace.log" | grep -q '^core   0: 3 0x0000000000001014 (0x00028067) ; jalr    zero, 0(t0)$' &&
  sed -n 7p "$tmp/trace.log" | grep -q '^core   0: 3 0x0000000080000000 (0x3e800293) x5  0x00000000000003e8 ; addi    t0, zero, 1000$' &&
  tail -1 "$tmp/trace.log" | grep -q '(0x00732023) ; sw      t2, 0(t1)$'; then
  passed=$((passed + 1))
else
  failed=$((failed + 1))
  echo "FAIL trace: $lines lines (want 2011); first, sixth, seventh and last:"
  sed -n '1p;6p;7p;$p' "$tmp/trace.log"
fi

echo "cli: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
