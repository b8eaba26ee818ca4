#!/bin/sh
# The bad-input table of docs/bad-input.md, run: for every row, orrery with
# the row's arguments must exit with the row's status and print one line on
# stderr (plus "(see 'orrery --help')" after a usage error, status 2) that
# contains the row's text, print nothing on stdout, and neither crash nor
# trip a sanitizer.
# Usage: bad_input_test.sh ORRERY KERNEL_ELF [TABLE_MD]
set -u
orrery=$1
kernel=$2
table=${3:-$(dirname "$0")/../../docs/bad-input.md}
[ -f "$table" ] || { echo "bad_input_test: no table at $table" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
set -f  # arguments are split on blanks, never globbed

# ---- fixtures (see the list in docs/bad-input.md) ----

# hex DIGITS: write the bytes spelled as pairs of hex digits.
hex() {
  h=$1
  while [ -n "$h" ]; do
    rest=${h#??}
    # shellcheck disable=SC2059  # the format is the octal escape itself
    printf "\\$(printf %03o "0x${h%"$rest"}")"
    h=$rest
  done
}
# be N VALUE, le N VALUE: VALUE as N bytes of hex digits, big- or little-endian.
be() { printf "%0$(($1 * 2))x" "$2"; }
le() {
  v=$(be "$1" "$2") out=""
  while [ -n "$v" ]; do
    rest=${v%??}
    out=$out${v#"$rest"}
    v=$rest
  done
  printf %s "$out"
}
# elf FILE CLASS(32|64) ORDER(lsb|msb) E_MACHINE E_TYPE PHNUM [PADDR FILESZ MEMSZ]:
# an ELF file with at most one PT_LOAD segment (of FILESZ zero bytes) whose
# entry point is PADDR.
elf() {
  file=$1 class=$2 order=$3 machine=$4 type=$5 phnum=$6 paddr=${7:-0} filesz=${8:-0} memsz=${9:-0}
  if [ "$order" = msb ]; then n=be data=02; else n=le data=01; fi
  if [ "$class" = 64 ]; then w=8 cls=02 ehsize=64 phsize=56; else w=4 cls=01 ehsize=52 phsize=32; fi
  off=$((ehsize + phnum * phsize))
  {
    hex "7f454c46${cls}${data}01000000000000000000"
    hex "$($n 2 "$type")$($n 2 "$machine")$($n 4 1)$($n $w "$paddr")$($n $w $ehsize)$($n $w 0)$($n 4 0)"
    hex "$($n 2 $ehsize)$($n 2 $phsize)$($n 2 "$phnum")$($n 2 0)$($n 2 0)$($n 2 0)"
    if [ "$phnum" -gt 0 ]; then
      if [ "$class" = 64 ]; then
        hex "$($n 4 1)$($n 4 7)$($n 8 $off)$($n 8 "$paddr")$($n 8 "$paddr")$($n 8 "$filesz")$($n 8 "$memsz")$($n 8 4096)"
      else
        hex "$($n 4 1)$($n 4 $off)$($n 4 "$paddr")$($n 4 "$paddr")$($n 4 "$filesz")$($n 4 "$memsz")$($n 4 7)$($n 4 4096)"
      fi
    fi
    head -c "$filesz" /dev/zero
  } >"$tmp/$file"
}

printf 'not an elf' >"$tmp/junk.bin"
: >"$tmp/empty.bin"
mkdir "$tmp/dir"
mkfifo "$tmp/fifo"
printf 'initrd' >"$tmp/initrd.img"
printf 'x' >"$tmp/odd.img"
truncate -s 3M "$tmp/big3m.bin"
truncate -s 9M "$tmp/big9m.img"
# A device tree whose header is sound but whose blocks overlap: the fuzz
# finding (the harness input's first byte picks -dtb; the rest is the blob).
tail -c +2 "$(dirname "$0")/../fuzz/regressions/loader/dtb-overlapping-blocks" >"$tmp/overlap.dtb"
elf good.elf 64 lsb 243 2 1 0x80000000 16 16
head -c 40 "$tmp/good.elf" >"$tmp/ehdr-cut.elf"
head -c 100 "$tmp/good.elf" >"$tmp/phdr-cut.elf"
head -c 130 "$tmp/good.elf" >"$tmp/seg-cut.elf"
elf x86-64.elf 64 lsb 62 2 1 0x80000000 16 16
elf aarch64.elf 64 lsb 183 2 1 0x80000000 16 16
elf rv32.elf 32 lsb 243 2 1 0x80000000 16 16
elf rv64-be.elf 64 msb 243 2 1 0x80000000 16 16
{ head -c 4 "$tmp/good.elf"; hex 03; tail -c +6 "$tmp/good.elf"; } >"$tmp/badclass.elf"
elf object.elf 64 lsb 243 1 0
elf noload.elf 64 lsb 243 2 0 0x80000000
elf mmio.elf 64 lsb 243 2 1 0x10000000 16 16
elf above-ram.elf 64 lsb 243 2 1 0x88000000 16 16
elf rom.elf 64 lsb 243 2 1 0x1000 16 16
elf bss80m.elf 64 lsb 243 2 1 0x80000000 16 0x5000000
elf bss256m.elf 64 lsb 243 2 1 0x80000000 16 0x10000000
if [ "$(wc -c <"$tmp/good.elf")" -ne 136 ] || [ "$(head -c 4 "$tmp/badclass.elf" | od -An -c | tr -d ' ')" != '177ELF' ]; then
  echo "bad_input_test: fixtures came out wrong (printf without octal escapes?)" >&2
  exit 2
fi

# ---- the table ----

# expand WORD: WORD with $TMP and $KERNEL replaced; '' is the empty string.
# shellcheck disable=SC2016  # '$TMP' and '$KERNEL' are literal text here
expand() {
  w=$1
  [ "$w" = "''" ] && return
  out=""
  while :; do
    t=${w#*'$TMP'} k=${w#*'$KERNEL'}  # what follows each placeholder's first use
    if [ "$t" != "$w" ] && { [ "$k" = "$w" ] || [ ${#t} -gt ${#k} ]; }; then
      out=$out${w%%'$TMP'*}$tmp w=$t
    elif [ "$k" != "$w" ]; then
      out=$out${w%%'$KERNEL'*}$kernel w=$k
    else
      break
    fi
  done
  printf '%s' "$out$w"
}

# Rows: "| case | `arguments` | exit | `message` |"; the header and the
# separator have no number in the exit column.
rows=$(awk -F'|' '
  function trim(s) { gsub(/^[ \t]+|[ \t]+$/, "", s); gsub(/^`|`$/, "", s); return s }
  /^\|/ && NF >= 6 && trim($4) ~ /^[0-9]+$/ { print trim($2) "\t" trim($3) "\t" trim($4) "\t" trim($5) }
' "$table")
[ -n "$rows" ] || { echo "bad_input_test: no rows in $table" >&2; exit 2; }

passed=0
failed=0
tab=$(printf '\t')
while IFS=$tab read -r name args want message; do
  set --
  for word in $args; do
    set -- "$@" "$(expand "$word")"
  done
  message=$(expand "$message")
  timeout -k 5 60 "$orrery" "$@" </dev/null >"$tmp/stdout" 2>"$tmp/stderr"
  got=$?
  lines=$(awk 'END { print NR }' "$tmp/stderr")
  why=""
  if [ "$got" -eq 124 ]; then
    why="timed out"
  elif [ "$got" -ge 128 ]; then
    why="killed by signal $((got - 128))"
  elif grep -q 'Sanitizer\|runtime error:' "$tmp/stderr"; then
    why="sanitizer report"
  elif [ "$got" -ne "$want" ]; then
    why="exit status $got, want $want"
  elif ! grep -qF -- "$message" "$tmp/stderr"; then
    why="stderr lacks: $message"
  elif ! head -1 "$tmp/stderr" | grep -q '^orrery: '; then
    why="message does not start with 'orrery: '"
  elif [ "$lines" -ne 1 ] && ! { [ "$lines" -eq 2 ] && [ "$got" -eq 2 ] &&
    [ "$(sed -n 2p "$tmp/stderr")" = "(see 'orrery --help')" ]; }; then
    why="$lines lines on stderr, want one"
  elif [ -s "$tmp/stdout" ]; then
    why="output on stdout"
  fi
  if [ -z "$why" ]; then
    passed=$((passed + 1))
    echo "ok $name"
  else
    failed=$((failed + 1))
    echo "FAIL $name: $why"
    echo "    orrery $*"
    sed 's/^/    stderr: /' "$tmp/stderr"
    head -5 "$tmp/stdout" | sed 's/^/    stdout: /'
  fi
done <<EOF
$rows
EOF

echo "bad input: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
