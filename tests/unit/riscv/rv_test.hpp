#pragma once
// Shared helpers for the instruction-level tests: a HartTest with a trap
// vector in RAM, checked single-stepping, CSR access through real CSR
// instructions, and a free-standing one-hart machine (Sim) for differential
// tests that need two harts side by side.
#include <gtest/gtest.h>

#include <bit>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>

#include "encode.hpp"
#include "hart_fixture.hpp"
#include "orrery/core/machine.hpp"
#include "orrery/riscv/decode.hpp"
#include "orrery/riscv/hart.hpp"

namespace orrery::riscv::test {

using u64 = std::uint64_t;
using i64 = std::int64_t;
using u32 = std::uint32_t;
using i32 = std::int32_t;

// Memory layout used by the tests: code from kRamBase, scratch data at
// kData, trap handler at kTrapVector (all inside the fixture's 1 MiB).
constexpr Addr kData = kRamBase + 0x40000;
constexpr Addr kTrapVector = kRamBase + 0x80000;
constexpr Addr kRamEnd = kRamBase + kRamSize;
// An address nothing is mapped at.
constexpr Addr kUnmapped = 0x4000'0000;

// Cause codes (privileged spec, "Machine Cause Register", exception codes).
enum : u64 {
  kCauseInsnAccess = 1,
  kCauseIllegal = 2,
  kCauseBreakpoint = 3,
  kCauseLoadMisaligned = 4,
  kCauseLoadAccess = 5,
  kCauseStoreMisaligned = 6,
  kCauseStoreAccess = 7,
  kCauseEcallM = 11,
};

// mstatus fields (privileged spec, "Machine Status Register").
namespace ms {
constexpr u64 MIE = 1ull << 3, MPIE = 1ull << 7, MPP = 3ull << 11, FS = 3ull << 13, SD = 1ull << 63;
constexpr u64 FS_OFF = 0, FS_INITIAL = 1ull << 13, FS_CLEAN = 2ull << 13, FS_DIRTY = 3ull << 13;
}  // namespace ms

// CSR numbers, written out from the privileged spec's CSR listing.
namespace csrn {
constexpr u32 fflags = 0x001, frm = 0x002, fcsr = 0x003;
constexpr u32 cycle = 0xC00, time = 0xC01, instret = 0xC02, hpmcounter3 = 0xC03, cycleh = 0xC80;
constexpr u32 sstatus = 0x100, sie = 0x104, stvec = 0x105, scounteren = 0x106, senvcfg = 0x10A;
constexpr u32 sscratch = 0x140, sepc = 0x141, scause = 0x142, stval = 0x143, sip = 0x144, stimecmp = 0x14D;
constexpr u32 satp = 0x180;
constexpr u32 mstatus = 0x300, misa = 0x301, medeleg = 0x302, mideleg = 0x303, mie = 0x304, mtvec = 0x305,
              mcounteren = 0x306, menvcfg = 0x30A, mcountinhibit = 0x320, mhpmevent3 = 0x323;
constexpr u32 mscratch = 0x340, mepc = 0x341, mcause = 0x342, mtval = 0x343, mip = 0x344;
constexpr u32 pmpcfg0 = 0x3A0, pmpcfg1 = 0x3A1, pmpcfg2 = 0x3A2, pmpcfg3 = 0x3A3, pmpaddr0 = 0x3B0;
constexpr u32 tselect = 0x7A0, dcsr = 0x7B0;
constexpr u32 mcycle = 0xB00, minstret = 0xB02, mhpmcounter3 = 0xB03;
constexpr u32 mvendorid = 0xF11, marchid = 0xF12, mimpid = 0xF13, mhartid = 0xF14, mconfigptr = 0xF15;
}  // namespace csrn

// binary32 / binary64 bit patterns.
inline u32 fbits(float f) { return std::bit_cast<u32>(f); }
inline u64 dbits(double d) { return std::bit_cast<u64>(d); }
constexpr u64 box(u32 bits) { return 0xffffffff00000000ull | bits; }
constexpr u32 kQNaN32 = 0x7fc00000u;  // canonical NaN
constexpr u64 kQNaN64 = 0x7ff8000000000000ull;
constexpr u32 kSNaN32 = 0x7f800001u;
constexpr u64 kSNaN64 = 0x7ff0000000000001ull;
// fflags bits.
constexpr u64 NX = 1, UF = 2, OF = 4, DZ = 8, NV = 16;

inline std::string hex(u64 v) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "%#llx", static_cast<unsigned long long>(v));
  return buf;
}
inline bool is_compressed(u32 insn) { return (insn & 3) != 3; }

class RvTest : public HartTest {
 protected:
  RvTest() { hart_->mtvec_ = kTrapVector; }

  u64 x(unsigned r) const { return hart_->x(r); }
  void set_x(unsigned r, u64 v) { hart_->set_x(r, v); }
  u64 f(unsigned r) const { return hart_->f(r); }
  void set_f(unsigned r, u64 v) { hart_->set_f64(r, v); }
  Addr pc() const { return hart_->pc(); }

  // Execute insn at pc; true if it retired (did not trap).
  bool step(u32 insn) {
    const Addr p = hart_->pc();
    const unsigned len = is_compressed(insn) ? 2 : 4;
    if (p < kRamBase || p + len > kRamEnd) {
      ADD_FAILURE() << "pc " << hex(p) << " is outside RAM; cannot place an instruction there";
      return false;
    }
    const u64 before = hart_->retired();
    exec(insn);
    return hart_->retired() == before + 1;
  }
  // Execute insn, which must retire and fall through (pc advances by its length).
  void run(u32 insn) {
    const Addr p = pc();
    const bool ok = step(insn);
    EXPECT_TRUE(ok) << "instruction " << hex(insn) << " trapped: mcause=" << hart_->mcause_
                    << " mtval=" << hex(hart_->mtval_);
    if (ok) {
      EXPECT_EQ(pc(), p + (is_compressed(insn) ? 2 : 4)) << "instruction " << hex(insn);
    }
  }
  // Execute insn, which must trap with this cause and mtval, with mepc = its
  // pc and the new pc = mtvec base.
  void expect_trap(u32 insn, u64 cause, u64 tval) {
    const Addr p = pc();
    const bool retired = step(insn);
    EXPECT_FALSE(retired) << "instruction " << hex(insn) << " retired; expected cause " << cause;
    EXPECT_EQ(hart_->mcause_, cause) << "instruction " << hex(insn);
    EXPECT_EQ(hart_->mtval_, tval) << "instruction " << hex(insn);
    EXPECT_EQ(hart_->mepc_, p) << "instruction " << hex(insn);
    EXPECT_EQ(pc(), hart_->mtvec_ & ~u64{3}) << "instruction " << hex(insn);
  }
  // Illegal instruction: cause 2, mtval = the instruction bits (16 of them
  // for a compressed encoding).
  void expect_illegal(u32 insn) { expect_trap(insn, kCauseIllegal, is_compressed(insn) ? (insn & 0xffff) : insn); }

  // CSR access through CSR instructions (t6 is the scratch register).
  u64 csr(u32 number) {
    const bool ok = step(enc::csrr(enc::t6, number));
    EXPECT_TRUE(ok) << "reading CSR " << hex(number) << " trapped";
    return x(enc::t6);
  }
  void set_csr(u32 number, u64 value) {
    set_x(enc::t6, value);
    const bool ok = step(enc::csrw(number, enc::t6));
    EXPECT_TRUE(ok) << "writing CSR " << hex(number) << " trapped";
  }
  // Move pc with a JALR (one retired instruction).
  void jump_to(Addr target) {
    set_x(enc::t6, target);
    run_jump(enc::jalr(enc::zero, enc::t6, 0), target);
  }
  void run_jump(u32 insn, Addr target) {
    EXPECT_TRUE(step(insn));
    EXPECT_EQ(pc(), target);
  }
  void set_fs(u64 fs_field) {
    set_x(enc::t6, ms::FS);
    ASSERT_TRUE(step(enc::csrrc(enc::zero, csrn::mstatus, enc::t6)));
    set_x(enc::t6, fs_field);
    ASSERT_TRUE(step(enc::csrrs(enc::zero, csrn::mstatus, enc::t6)));
  }
};

// A free-standing one-hart machine like HartTest, for tests that run two
// harts side by side.
struct Sim {
  Machine machine;
  std::uint8_t* ram = nullptr;
  RiscvHart* hart = nullptr;
  Sim() {
    ram = machine.bus().add_ram("ram", kRamBase, kRamSize);
    hart = static_cast<RiscvHart*>(&machine.add_hart(std::make_unique<RiscvHart>(0, machine)));
    hart->reset(kRamBase);
  }
  void put(Addr a, const void* p, std::size_t n) { std::memcpy(ram + (a - kRamBase), p, n); }
  void get(Addr a, void* p, std::size_t n) const { std::memcpy(p, ram + (a - kRamBase), n); }
  // Place one instruction at pc and run exactly it; true if it retired.
  bool exec(u32 insn) {
    const u64 before = hart->retired();
    put(hart->pc(), &insn, is_compressed(insn) ? 2 : 4);
    hart->interpret(1);
    return hart->retired() == before + 1;
  }
};

}  // namespace orrery::riscv::test
