// "A" extension: load-reserved/store-conditional and atomic memory
// operations (unprivileged spec, "A" chapter). AMOs and LR/SC require natural
// alignment; misaligned ones raise address-misaligned, as the spec allows.
#include <algorithm>
#include <cstring>

#include "common.hpp"

namespace orrery::riscv {
namespace {
using namespace insn;

template <class T>
u64 extend(T v) {  // .W results are sign-extended
  return static_cast<u64>(static_cast<std::make_signed_t<T>>(v));
}

template <class T>
void lr(RiscvHart& h, const Decoded& d) {
  const u64 addr = h.x(d.rs1);
  std::uint8_t* p = h.amo_ptr(addr, sizeof(T), true);
  if (!p) return;
  T v;
  std::memcpy(&v, p, sizeof(T));
  h.set_reservation(addr);
  h.set_x(d.rd, extend(v));
}

template <class T>
void sc(RiscvHart& h, const Decoded& d) {
  const u64 addr = h.x(d.rs1);
  std::uint8_t* p = h.amo_ptr(addr, sizeof(T), false);
  if (!p) return;
  if (h.take_reservation(addr)) {
    const T v = static_cast<T>(h.x(d.rs2));
    std::memcpy(p, &v, sizeof(T));
    h.set_x(d.rd, 0);
    h.note_atomic_write();
  } else {
    h.set_x(d.rd, 1);
  }
}

template <class T, T (*Op)(T, T)>
void amo(RiscvHart& h, const Decoded& d) {
  std::uint8_t* p = h.amo_ptr(h.x(d.rs1), sizeof(T), false);
  if (!p) return;
  T old;
  std::memcpy(&old, p, sizeof(T));
  const T result = Op(old, static_cast<T>(h.x(d.rs2)));
  std::memcpy(p, &result, sizeof(T));
  h.set_x(d.rd, extend(old));
  h.note_atomic_write();
}

template <class T> T op_swap(T, T b) { return b; }
template <class T> T op_add(T a, T b) { return static_cast<T>(a + b); }
template <class T> T op_xor(T a, T b) { return a ^ b; }
template <class T> T op_and(T a, T b) { return a & b; }
template <class T> T op_or(T a, T b) { return a | b; }
template <class T> T op_min(T a, T b) {
  using S = std::make_signed_t<T>;
  return static_cast<S>(a) < static_cast<S>(b) ? a : b;
}
template <class T> T op_max(T a, T b) {
  using S = std::make_signed_t<T>;
  return static_cast<S>(a) > static_cast<S>(b) ? a : b;
}
template <class T> T op_minu(T a, T b) { return std::min(a, b); }
template <class T> T op_maxu(T a, T b) { return std::max(a, b); }

using W = std::uint32_t;
using D = std::uint64_t;

const InsnSpec kInsns[] = {
    {"lr.w", "00010 . . 00000 ..... 010 ..... 0101111", Imm::None, "aqrl,rd,amo", lr<W>},
    {"sc.w", "00011 . . ..... ..... 010 ..... 0101111", Imm::None, "aqrl,rd,rs2,amo", sc<W>},
    {"amoswap.w", "00001 . . ..... ..... 010 ..... 0101111", Imm::None, "aqrl,rd,rs2,amo", amo<W, op_swap<W>>},
    {"amoadd.w", "00000 . . ..... ..... 010 ..... 0101111", Imm::None, "aqrl,rd,rs2,amo", amo<W, op_add<W>>},
    {"amoxor.w", "00100 . . ..... ..... 010 ..... 0101111", Imm::None, "aqrl,rd,rs2,amo", amo<W, op_xor<W>>},
    {"amoand.w", "01100 . . ..... ..... 010 ..... 0101111", Imm::None, "aqrl,rd,rs2,amo", amo<W, op_and<W>>},
    {"amoor.w", "01000 . . ..... ..... 010 ..... 0101111", Imm::None, "aqrl,rd,rs2,amo", amo<W, op_or<W>>},
    {"amomin.w", "10000 . . ..... ..... 010 ..... 0101111", Imm::None, "aqrl,rd,rs2,amo", amo<W, op_min<W>>},
    {"amomax.w", "10100 . . ..... ..... 010 ..... 0101111", Imm::None, "aqrl,rd,rs2,amo", amo<W, op_max<W>>},
    {"amominu.w", "11000 . . ..... ..... 010 ..... 0101111", Imm::None, "aqrl,rd,rs2,amo", amo<W, op_minu<W>>},
    {"amomaxu.w", "11100 . . ..... ..... 010 ..... 0101111", Imm::None, "aqrl,rd,rs2,amo", amo<W, op_maxu<W>>},
    {"lr.d", "00010 . . 00000 ..... 011 ..... 0101111", Imm::None, "aqrl,rd,amo", lr<D>},
    {"sc.d", "00011 . . ..... ..... 011 ..... 0101111", Imm::None, "aqrl,rd,rs2,amo", sc<D>},
    {"amoswap.d", "00001 . . ..... ..... 011 ..... 0101111", Imm::None, "aqrl,rd,rs2,amo", amo<D, op_swap<D>>},
    {"amoadd.d", "00000 . . ..... ..... 011 ..... 0101111", Imm::None, "aqrl,rd,rs2,amo", amo<D, op_add<D>>},
    {"amoxor.d", "00100 . . ..... ..... 011 ..... 0101111", Imm::None, "aqrl,rd,rs2,amo", amo<D, op_xor<D>>},
    {"amoand.d", "01100 . . ..... ..... 011 ..... 0101111", Imm::None, "aqrl,rd,rs2,amo", amo<D, op_and<D>>},
    {"amoor.d", "01000 . . ..... ..... 011 ..... 0101111", Imm::None, "aqrl,rd,rs2,amo", amo<D, op_or<D>>},
    {"amomin.d", "10000 . . ..... ..... 011 ..... 0101111", Imm::None, "aqrl,rd,rs2,amo", amo<D, op_min<D>>},
    {"amomax.d", "10100 . . ..... ..... 011 ..... 0101111", Imm::None, "aqrl,rd,rs2,amo", amo<D, op_max<D>>},
    {"amominu.d", "11000 . . ..... ..... 011 ..... 0101111", Imm::None, "aqrl,rd,rs2,amo", amo<D, op_minu<D>>},
    {"amomaxu.d", "11100 . . ..... ..... 011 ..... 0101111", Imm::None, "aqrl,rd,rs2,amo", amo<D, op_maxu<D>>},
};

}  // namespace

std::span<const InsnSpec> rv64a_insns() { return kInsns; }

}  // namespace orrery::riscv
