// "C" extension: every RV64C instruction behaves exactly like the 32-bit
// instruction the unprivileged spec ("C" chapter, RVC instruction listings)
// expands it to, except that it is 2 bytes long (pc + 2, link = pc + 2).
// Checked differentially: the compressed encoding (built by encode.hpp from
// the CI/CL/... formats) runs on one hart and the spec's expansion (built
// from the same fields with the 32-bit encoders) on a twin hart with
// identical random state; registers and memory must match.
//
// Reserved encodings (spec: "reserved", "RES") are illegal with mtval = the
// 16 instruction bits: c.addi4spn nzuimm = 0 (including the all-zero
// halfword), c.addiw rd = 0, c.lwsp/c.ldsp rd = 0, c.jr rs1 = 0, c.lui
// nzimm = 0, c.addi16sp nzimm = 0, and the unassigned slots.
#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <utility>

#include "rv_test.hpp"

namespace orrery::riscv::test {
namespace {

using namespace enc;
using Pair = std::pair<u32, u32>;  // {compressed, 32-bit expansion}
using Rng = std::mt19937_64;

// Uniform integer in [lo, hi].
i32 rnd(Rng& g, i32 lo, i32 hi) { return std::uniform_int_distribution<i32>(lo, hi)(g); }
u32 rreg(Rng& g) { return static_cast<u32>(rnd(g, 0, 31)); }    // x0..x31
u32 rnz(Rng& g) { return static_cast<u32>(rnd(g, 1, 31)); }     // x1..x31
u32 rprime(Rng& g) { return static_cast<u32>(rnd(g, 8, 15)); }  // x8..x15
i32 rimm6(Rng& g) { return rnd(g, -32, 31); }

// Interesting 64-bit register values for the ALU forms.
u64 rvalue(Rng& g) {
  static const u64 special[] = {0,           1,           ~0ull,       1ull << 63, (1ull << 63) - 1,
                                0x7FFF'FFFF, 0x8000'0000, 0xFFFF'FFFF, 0xFFFF'FFFF'8000'0000ull, 0x1'0000'0000ull};
  if (rnd(g, 0, 3) == 0) return special[rnd(g, 0, 9)];
  return g();
}

struct CCase {
  const char* name;
  bool memory;  // sp and x8..x15 hold data addresses
  Pair (*gen)(Rng&);
};

const CCase kCases[] = {
    // Quadrant 0
    {"c.addi4spn", false, [](Rng& g) {
       const u32 rd = rprime(g), imm = 4u * static_cast<u32>(rnd(g, 1, 255));
       return Pair{c_addi4spn(rd, imm), addi(rd, sp, static_cast<i32>(imm))};
     }},
    {"c.fld", true, [](Rng& g) {
       const u32 rd = rprime(g), rs1 = rprime(g), imm = 8u * static_cast<u32>(rnd(g, 0, 31));
       return Pair{c_fld(rd, rs1, imm), fld(rd, rs1, static_cast<i32>(imm))};
     }},
    {"c.lw", true, [](Rng& g) {
       const u32 rd = rprime(g), rs1 = rprime(g), imm = 4u * static_cast<u32>(rnd(g, 0, 31));
       return Pair{c_lw(rd, rs1, imm), lw(rd, rs1, static_cast<i32>(imm))};
     }},
    {"c.ld", true, [](Rng& g) {
       const u32 rd = rprime(g), rs1 = rprime(g), imm = 8u * static_cast<u32>(rnd(g, 0, 31));
       return Pair{c_ld(rd, rs1, imm), ld(rd, rs1, static_cast<i32>(imm))};
     }},
    {"c.fsd", true, [](Rng& g) {
       const u32 rs2 = rprime(g), rs1 = rprime(g), imm = 8u * static_cast<u32>(rnd(g, 0, 31));
       return Pair{c_fsd(rs2, rs1, imm), fsd(rs2, rs1, static_cast<i32>(imm))};
     }},
    {"c.sw", true, [](Rng& g) {
       const u32 rs2 = rprime(g), rs1 = rprime(g), imm = 4u * static_cast<u32>(rnd(g, 0, 31));
       return Pair{c_sw(rs2, rs1, imm), sw(rs2, rs1, static_cast<i32>(imm))};
     }},
    {"c.sd", true, [](Rng& g) {
       const u32 rs2 = rprime(g), rs1 = rprime(g), imm = 8u * static_cast<u32>(rnd(g, 0, 31));
       return Pair{c_sd(rs2, rs1, imm), sd(rs2, rs1, static_cast<i32>(imm))};
     }},
    // Quadrant 1
    {"c.addi", false, [](Rng& g) {  // includes c.nop and the HINTs (rd = 0 or imm = 0)
       const u32 rd = rreg(g);
       const i32 imm = rimm6(g);
       return Pair{c_addi(rd, imm), addi(rd, rd, imm)};
     }},
    {"c.addiw", false, [](Rng& g) {
       const u32 rd = rnz(g);
       const i32 imm = rimm6(g);
       return Pair{c_addiw(rd, imm), addiw(rd, rd, imm)};
     }},
    {"c.li", false, [](Rng& g) {
       const u32 rd = rreg(g);
       const i32 imm = rimm6(g);
       return Pair{c_li(rd, imm), addi(rd, zero, imm)};
     }},
    {"c.addi16sp", false, [](Rng& g) {
       i32 imm = 0;
       while (imm == 0) imm = 16 * rnd(g, -32, 31);
       return Pair{c_addi16sp(imm), addi(sp, sp, imm)};
     }},
    {"c.lui", false, [](Rng& g) {
       u32 rd = sp;
       while (rd == sp) rd = rreg(g);
       i32 imm = 0;
       while (imm == 0) imm = rimm6(g);
       return Pair{c_lui(rd, imm * 4096), lui(rd, static_cast<u32>(imm) & 0xfffff)};
     }},
    {"c.srli", false, [](Rng& g) {
       const u32 rd = rprime(g), sh = static_cast<u32>(rnd(g, 0, 63));
       return Pair{c_srli(rd, sh), srli(rd, rd, sh)};
     }},
    {"c.srai", false, [](Rng& g) {
       const u32 rd = rprime(g), sh = static_cast<u32>(rnd(g, 0, 63));
       return Pair{c_srai(rd, sh), srai(rd, rd, sh)};
     }},
    {"c.andi", false, [](Rng& g) {
       const u32 rd = rprime(g);
       const i32 imm = rimm6(g);
       return Pair{c_andi(rd, imm), andi(rd, rd, imm)};
     }},
    {"c.sub", false, [](Rng& g) {
       const u32 rd = rprime(g), rs2 = rprime(g);
       return Pair{c_sub(rd, rs2), sub(rd, rd, rs2)};
     }},
    {"c.xor", false, [](Rng& g) {
       const u32 rd = rprime(g), rs2 = rprime(g);
       return Pair{c_xor(rd, rs2), xor_(rd, rd, rs2)};
     }},
    {"c.or", false, [](Rng& g) {
       const u32 rd = rprime(g), rs2 = rprime(g);
       return Pair{c_or(rd, rs2), or_(rd, rd, rs2)};
     }},
    {"c.and", false, [](Rng& g) {
       const u32 rd = rprime(g), rs2 = rprime(g);
       return Pair{c_and(rd, rs2), and_(rd, rd, rs2)};
     }},
    {"c.subw", false, [](Rng& g) {
       const u32 rd = rprime(g), rs2 = rprime(g);
       return Pair{c_subw(rd, rs2), subw(rd, rd, rs2)};
     }},
    {"c.addw", false, [](Rng& g) {
       const u32 rd = rprime(g), rs2 = rprime(g);
       return Pair{c_addw(rd, rs2), addw(rd, rd, rs2)};
     }},
    // Quadrant 2
    {"c.slli", false, [](Rng& g) {
       const u32 rd = rreg(g), sh = static_cast<u32>(rnd(g, 0, 63));
       return Pair{c_slli(rd, sh), slli(rd, rd, sh)};
     }},
    {"c.fldsp", true, [](Rng& g) {
       const u32 rd = rreg(g), imm = 8u * static_cast<u32>(rnd(g, 0, 63));
       return Pair{c_fldsp(rd, imm), fld(rd, sp, static_cast<i32>(imm))};
     }},
    {"c.lwsp", true, [](Rng& g) {
       const u32 rd = rnz(g), imm = 4u * static_cast<u32>(rnd(g, 0, 63));
       return Pair{c_lwsp(rd, imm), lw(rd, sp, static_cast<i32>(imm))};
     }},
    {"c.ldsp", true, [](Rng& g) {
       const u32 rd = rnz(g), imm = 8u * static_cast<u32>(rnd(g, 0, 63));
       return Pair{c_ldsp(rd, imm), ld(rd, sp, static_cast<i32>(imm))};
     }},
    {"c.mv", false, [](Rng& g) {  // rd = 0 is a HINT
       const u32 rd = rreg(g), rs2 = rnz(g);
       return Pair{c_mv(rd, rs2), add(rd, zero, rs2)};
     }},
    {"c.add", false, [](Rng& g) {  // rd = 0 is a HINT
       const u32 rd = rreg(g), rs2 = rnz(g);
       return Pair{c_add(rd, rs2), add(rd, rd, rs2)};
     }},
    {"c.fsdsp", true, [](Rng& g) {
       const u32 rs2 = rreg(g), imm = 8u * static_cast<u32>(rnd(g, 0, 63));
       return Pair{c_fsdsp(rs2, imm), fsd(rs2, sp, static_cast<i32>(imm))};
     }},
    {"c.swsp", true, [](Rng& g) {
       const u32 rs2 = rreg(g), imm = 4u * static_cast<u32>(rnd(g, 0, 63));
       return Pair{c_swsp(rs2, imm), sw(rs2, sp, static_cast<i32>(imm))};
     }},
    {"c.sdsp", true, [](Rng& g) {
       const u32 rs2 = rreg(g), imm = 8u * static_cast<u32>(rnd(g, 0, 63));
       return Pair{c_sdsp(rs2, imm), sd(rs2, sp, static_cast<i32>(imm))};
     }},
};

constexpr Addr kCode = kRamBase + 0x10000;
constexpr Addr kWindow = kData - 0x400;  // compared memory window
constexpr std::size_t kWindowSize = 0x1000;

// Give two harts identical random state.
void randomise(Sim& a, Sim& b, Rng& g, bool memory) {
  a.hart->reset(kCode);
  b.hart->reset(kCode);
  for (unsigned r = 1; r < 32; ++r) {
    u64 v = rvalue(g);
    if (memory && (r == sp || (r >= 8 && r <= 15))) v = kData + 8 * static_cast<u64>(rnd(g, 0, 64));
    a.hart->set_x(r, v);
    b.hart->set_x(r, v);
  }
  for (unsigned r = 0; r < 32; ++r) {
    const u64 v = g();
    a.hart->set_f64(r, v);
    b.hart->set_f64(r, v);
  }
  std::uint8_t buf[kWindowSize];
  for (auto& byte : buf) byte = static_cast<std::uint8_t>(g());
  a.put(kWindow, buf, sizeof buf);
  b.put(kWindow, buf, sizeof buf);
}

void expect_same_state(const Sim& a, const Sim& b) {
  for (unsigned r = 0; r < 32; ++r) {
    EXPECT_EQ(a.hart->x(r), b.hart->x(r)) << "x" << r;
    EXPECT_EQ(a.hart->f(r), b.hart->f(r)) << "f" << r;
  }
  std::uint8_t ma[kWindowSize], mb[kWindowSize];
  a.get(kWindow, ma, sizeof ma);
  b.get(kWindow, mb, sizeof mb);
  EXPECT_EQ(std::memcmp(ma, mb, sizeof ma), 0) << "memory differs";
}

TEST(RvcExpansion, EveryCompressedInstructionBehavesLikeItsExpansion) {
  Sim c, w;  // compressed, 32-bit
  Rng g(20240611);
  for (const CCase& k : kCases) {
    for (int i = 0; i < 200; ++i) {
      const auto [cinsn, winsn] = k.gen(g);
      SCOPED_TRACE(std::string(k.name) + " " + hex(cinsn) + " vs " + hex(winsn));
      ASSERT_EQ(cinsn >> 16, 0u) << "encoder produced more than 16 bits";
      ASSERT_NE(cinsn & 3, 3u);
      randomise(c, w, g, k.memory);
      c.hart->mstatus_ |= ms::FS;
      w.hart->mstatus_ |= ms::FS;
      ASSERT_TRUE(c.exec(cinsn)) << "compressed instruction trapped, mcause " << c.hart->mcause_;
      ASSERT_TRUE(w.exec(winsn)) << "32-bit instruction trapped, mcause " << w.hart->mcause_;
      EXPECT_EQ(c.hart->pc(), kCode + 2);
      EXPECT_EQ(w.hart->pc(), kCode + 4);
      expect_same_state(c, w);
      if (HasFailure()) return;
    }
  }
}

// Branches and jumps, differentially: the target is the same; a branch not
// taken falls through to pc + 2 instead of pc + 4.
TEST(RvcExpansion, CompressedJumpsAndBranchesMatchTheirExpansions) {
  Sim c, w;
  Rng g(7);
  for (int i = 0; i < 600; ++i) {
    const int kind = i % 3;
    i32 off = 0;
    while (off == 0 || off == 4) off = kind == 0 ? 2 * rnd(g, -1024, 1023) : 2 * rnd(g, -128, 127);
    const u32 rs1 = rprime(g);
    Pair p = kind == 0   ? Pair{c_j(off), jal(zero, off)}
             : kind == 1 ? Pair{c_beqz(rs1, off), beq(rs1, zero, off)}
                         : Pair{c_bnez(rs1, off), bne(rs1, zero, off)};
    SCOPED_TRACE(hex(p.first) + " vs " + hex(p.second));
    randomise(c, w, g, false);
    if (rnd(g, 0, 1)) {
      c.hart->set_x(rs1, 0);
      w.hart->set_x(rs1, 0);
    }
    ASSERT_TRUE(c.exec(p.first));
    ASSERT_TRUE(w.exec(p.second));
    if (w.hart->pc() == kCode + 4) {
      EXPECT_EQ(c.hart->pc(), kCode + 2) << "not taken";
    } else {
      EXPECT_EQ(c.hart->pc(), w.hart->pc()) << "taken";
      EXPECT_EQ(c.hart->pc(), kCode + static_cast<u64>(static_cast<i64>(off)));
    }
    expect_same_state(c, w);
    if (::testing::Test::HasFailure()) return;
  }
}

// ---------------------------------------------------------------------------
// Directed tests on the fixture hart.
// ---------------------------------------------------------------------------
class RvcTest : public RvTest {};

TEST_F(RvcTest, CJumpRange) {
  jump_to(kCode);
  run_jump(c_j(-2048), kCode - 2048);
  run_jump(c_j(2046), kCode - 2048 + 2046);
  run_jump(c_j(2), kCode);  // the next halfword
}

TEST_F(RvcTest, CBranches) {
  jump_to(kCode);
  set_x(a0, 0);
  set_x(s1, 1ull << 63);  // nonzero only in bit 63
  run_jump(c_beqz(a0, -256), kCode - 256);
  run_jump(c_bnez(s1, 254), kCode - 256 + 254);
  Addr p = pc();
  run_jump(c_beqz(s1, 100), p + 2);  // not taken
  p = pc();
  run_jump(c_bnez(a0, -100), p + 2);  // not taken
}

TEST_F(RvcTest, CJrAndCJalr) {
  jump_to(kCode);
  set_x(a5, kCode + 0x101);  // bit 0 is cleared like JALR
  run_jump(c_jr(a5), kCode + 0x100);
  jump_to(kCode);
  set_x(t0, kCode + 0x200);
  run_jump(c_jalr(t0), kCode + 0x200);
  EXPECT_EQ(x(ra), kCode + 2) << "c.jalr links pc + 2";
  // c.jalr ra: the target is read before ra is written.
  set_x(ra, kCode + 0x300);
  const Addr p = pc();
  run_jump(c_jalr(ra), kCode + 0x300);
  EXPECT_EQ(x(ra), p + 2);
}

TEST_F(RvcTest, CEbreak) {
  jump_to(kCode + 2);
  EXPECT_FALSE(step(c_ebreak()));
  EXPECT_EQ(hart_->mcause_, kCauseBreakpoint);
  EXPECT_EQ(hart_->mepc_, kCode + 2);
  EXPECT_TRUE(hart_->mtval_ == 0 || hart_->mtval_ == kCode + 2) << hex(hart_->mtval_);
  EXPECT_EQ(pc(), kTrapVector);
}

TEST_F(RvcTest, CNopAndHintsDoNothing) {
  for (unsigned r = 1; r < 32; ++r) set_x(r, 0x1000 + r);
  const u32 hints[] = {
      c_nop(),         c_addi(zero, 7),  c_addi(a0, 0),    c_li(zero, -3),  c_lui(zero, 0x1f000),
      c_mv(zero, a1),  c_add(zero, a1),  c_slli(zero, 5),  c_slli(a0, 0),   c_srli(a0, 0),
      c_srai(s1, 0),
  };
  for (u32 h : hints) {
    run(h);
    for (unsigned r = 1; r < 32; ++r) ASSERT_EQ(x(r), 0x1000 + r) << hex(h) << " changed x" << r;
    EXPECT_EQ(x(zero), 0u);
  }
}

TEST_F(RvcTest, SpotValues) {
  // A few exact values, independent of the 32-bit instructions.
  set_x(sp, kData);
  run(c_addi4spn(a0, 1020));
  EXPECT_EQ(x(a0), kData + 1020);
  run(c_lui(a1, -131072));  // nzimm = -2^17: 0xFFFFFFFFFFFE0000
  EXPECT_EQ(x(a1), 0xFFFF'FFFF'FFFE'0000ull);
  run(c_lui(a1, 0x1f000));
  EXPECT_EQ(x(a1), 0x1f000u);
  run(c_addi16sp(-512));
  EXPECT_EQ(x(sp), kData - 512);
  run(c_addi16sp(496));
  EXPECT_EQ(x(sp), kData - 16);
  set_x(a2, 0x7FFF'FFFF);
  run(c_addiw(a2, 1));
  EXPECT_EQ(x(a2), 0xFFFF'FFFF'8000'0000ull);
  run(c_addiw(a2, 0));  // sext.w
  EXPECT_EQ(x(a2), 0xFFFF'FFFF'8000'0000ull);
  set_x(a3, 0xFFFF'FFFF'FFFF'FFF0ull);
  run(c_srai(a3, 63));
  EXPECT_EQ(x(a3), ~0ull);
  set_x(a4, 0x8000'0000'0000'0000ull);
  run(c_srli(a4, 63));
  EXPECT_EQ(x(a4), 1u);
  run(c_slli(a4, 63));
  EXPECT_EQ(x(a4), 0x8000'0000'0000'0000ull);
  set_x(a5, 0xFF);
  run(c_andi(a5, -32));
  EXPECT_EQ(x(a5), 0xE0u);
  set_x(s0, 0x8000'0000);
  set_x(s1, 1);
  run(c_subw(s0, s1));
  EXPECT_EQ(x(s0), 0x7FFF'FFFFu);
  run(c_addw(s0, s1));
  EXPECT_EQ(x(s0), 0xFFFF'FFFF'8000'0000ull);
  const u64 v = 0x8877'6655'4433'2211ull;
  put_data(kData + 504, &v, 8);
  set_x(sp, kData);
  run(c_ldsp(t0, 504));
  EXPECT_EQ(x(t0), v);
  const u32 w = 0x8000'0001;
  put_data(kData + 252, &w, 4);
  run(c_lwsp(t1, 252));
  EXPECT_EQ(x(t1), 0xFFFF'FFFF'8000'0001ull);
}

TEST_F(RvcTest, CompressedLoadFaultsReportTheAddress) {
  set_x(s0, kUnmapped);
  set_x(a0, 0x42);
  expect_trap(c_lw(a0, s0, 4), kCauseLoadAccess, kUnmapped + 4);
  EXPECT_EQ(x(a0), 0x42u);
  expect_trap(c_sd(a0, s0, 8), kCauseStoreAccess, kUnmapped + 8);
  set_x(sp, kUnmapped);
  expect_trap(c_ldsp(a0, 16), kCauseLoadAccess, kUnmapped + 16);
  expect_trap(c_swsp(a0, 12), kCauseStoreAccess, kUnmapped + 12);
}

TEST_F(RvcTest, ReservedEncodingsAreIllegal) {
  const u32 reserved[] = {
      0x0000,                              // all zeros (c.addi4spn, nzuimm = 0)
      c_addi4spn(a0, 0),                   // nzuimm = 0, rd' != x8
      c_addi4spn(a5, 0),                   // nzuimm = 0
      c_addiw(zero, 1),                    // rd = 0
      c_addiw(zero, 0),
      c_lwsp(zero, 4),                     // rd = 0
      c_ldsp(zero, 8),                     // rd = 0
      c_jr(zero),                          // rs1 = 0
      c_lui(a0, 0),                        // nzimm = 0
      c_lui(zero, 0),
      c_addi16sp(0),                       // nzimm = 0
      0x8000,                              // quadrant 0, funct3 100: reserved
      0x9c00 | (creg(a0) << 7) | (0b10 << 5) | (creg(a1) << 2) | 0b01,  // CA, bit 12 = 1, funct2 = 10
      0x9c00 | (creg(a0) << 7) | (0b11 << 5) | (creg(a1) << 2) | 0b01,  // CA, bit 12 = 1, funct2 = 11
  };
  for (u32 insn : reserved) {
    SCOPED_TRACE(hex(insn));
    set_x(a0, 0x77);
    expect_illegal(insn);
    EXPECT_EQ(x(a0), 0x77u);
  }
}

TEST_F(RvcTest, IllegalHalfwordUpperBitsAreNotReported) {
  // The hart fetches 32 bits; for a 16-bit instruction mtval holds only its
  // 16 bits even when the next halfword is not zero.
  const Addr p = pc();
  put(p + 2, 0xffff, 2);
  expect_trap(c_jr(zero), kCauseIllegal, c_jr(zero));
}

TEST_F(RvcTest, CompressedFpIsIllegalWhenFsIsOff) {
  set_fs(ms::FS_OFF);
  set_x(s0, kData);
  set_x(sp, kData);
  for (u32 insn : {c_fld(a0, s0, 8), c_fsd(a0, s0, 8), c_fldsp(1, 16), c_fsdsp(1, 16)}) {
    SCOPED_TRACE(hex(insn));
    expect_illegal(insn);
  }
}

}  // namespace
}  // namespace orrery::riscv::test
