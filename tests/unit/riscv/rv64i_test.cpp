// RV64I base integer instructions, executed on a hart, with expected values
// taken from the unprivileged spec ("RV32I Base Integer Instruction Set" and
// "RV64I Base Integer Instruction Set" chapters).
#include <gtest/gtest.h>

#include <cstdint>

#include "rv_test.hpp"

namespace orrery::riscv::test {
namespace {

using namespace enc;

class Rv64iTest : public RvTest {};

// ---------------------------------------------------------------------------
// LUI / AUIPC: the 20-bit immediate fills bits 31:12 and the 32-bit result is
// sign-extended to 64 bits (RV64I).
// ---------------------------------------------------------------------------
TEST_F(Rv64iTest, LuiSignExtendsBit31) {
  run(lui(a0, 0x80000));
  EXPECT_EQ(x(a0), 0xFFFF'FFFF'8000'0000ull);
  run(lui(a1, 0x7ffff));
  EXPECT_EQ(x(a1), 0x7fff'f000ull);
  run(lui(a2, 0xfffff));
  EXPECT_EQ(x(a2), 0xFFFF'FFFF'FFFF'F000ull);
  set_x(a3, 123);
  run(lui(a3, 0));
  EXPECT_EQ(x(a3), 0u);  // low 12 bits are zero, the old value is gone
}

TEST_F(Rv64iTest, AuipcAddsToItsOwnPc) {
  jump_to(kRamBase + 0x2000);
  const Addr p = pc();
  run(auipc(a0, 0));
  EXPECT_EQ(x(a0), p);
  run(auipc(a1, 1));
  EXPECT_EQ(x(a1), p + 4 + 0x1000);
  run(auipc(a2, 0xfffff));  // -4096
  EXPECT_EQ(x(a2), p + 8 - 0x1000);
  run(auipc(a3, 0x80000));  // -2^31, sign-extended
  EXPECT_EQ(x(a3), p + 12 - 0x8000'0000ull);
}

// ---------------------------------------------------------------------------
// JAL / JALR: rd = pc + 4; JALR clears bit 0 of rs1 + imm; rs1 is read before
// rd is written.
// ---------------------------------------------------------------------------
TEST_F(Rv64iTest, JalLinksAndJumps) {
  jump_to(kRamBase + 0x1000);
  Addr p = pc();
  run_jump(jal(ra, 0x100), p + 0x100);
  EXPECT_EQ(x(ra), p + 4);
  p = pc();
  run_jump(jal(t0, -0x80), p - 0x80);
  EXPECT_EQ(x(t0), p + 4);
  p = pc();
  run_jump(jal(zero, 2046 * 2), p + 4092);  // x0 link is discarded
  EXPECT_EQ(x(zero), 0u);
  p = pc();
  run_jump(jal(a0, 0), p);  // jump to itself
  EXPECT_EQ(x(a0), p + 4);
  // A 20-bit offset reaching far: 2^19 - 2 bytes back is still in RAM.
  jump_to(kRamBase + 0x80002);
  p = pc();
  run_jump(jal(a1, -(1 << 19) + 2), kRamBase + 4);
  EXPECT_EQ(x(a1), p + 4);
}

TEST_F(Rv64iTest, JalrTargetAndLink) {
  const Addr p = pc();
  set_x(a1, kRamBase + 0x3000);
  run_jump(jalr(ra, a1, -16), kRamBase + 0x3000 - 16);
  EXPECT_EQ(x(ra), p + 4);
  // Bit 0 of the sum is cleared; bit 1 may be set (IALIGN = 16 with C).
  set_x(a2, kRamBase + 0x4001);
  Addr q = pc();
  run_jump(jalr(t1, a2, 2), kRamBase + 0x4002);
  EXPECT_EQ(x(t1), q + 4);
  // rd == rs1: the target uses the old value.
  set_x(a3, kRamBase + 0x5000);
  q = pc();
  run_jump(jalr(a3, a3, 7), kRamBase + 0x5006);
  EXPECT_EQ(x(a3), q + 4);
  // Immediate range ends.
  set_x(a4, kRamBase + 0x6000);
  run_jump(jalr(zero, a4, 2047), kRamBase + 0x6000 + 2046);
  set_x(a4, kRamBase + 0x6000);
  run_jump(jalr(zero, a4, -2048), kRamBase + 0x6000 - 2048);
  EXPECT_EQ(x(zero), 0u);
}

// ---------------------------------------------------------------------------
// Branches: signed vs unsigned comparisons; taken -> pc + offset, not taken
// -> pc + 4.
// ---------------------------------------------------------------------------
struct BranchCase {
  const char* name;
  u32 (*enc)(u32, u32, i32);
  u64 a, b;
  bool taken;
};

TEST_F(Rv64iTest, BranchesCompareAsSpecified) {
  const u64 m1 = ~0ull, one = 1, min64 = 1ull << 63, max64 = min64 - 1;
  const BranchCase cases[] = {
      {"beq eq", beq, 5, 5, true},           {"beq ne", beq, 5, 6, false},
      {"beq hi bits", beq, 1, 1 | (1ull << 32), false},
      {"bne ne", bne, m1, one, true},        {"bne eq", bne, m1, m1, false},
      {"blt -1<1", blt, m1, one, true},      {"blt 1<-1", blt, one, m1, false},
      {"blt eq", blt, 7, 7, false},          {"blt min<max", blt, min64, max64, true},
      {"bge -1>=1", bge, m1, one, false},    {"bge 1>=-1", bge, one, m1, true},
      {"bge eq", bge, 7, 7, true},           {"bge max>=min", bge, max64, min64, true},
      {"bltu -1<1", bltu, m1, one, false},   {"bltu 1<-1", bltu, one, m1, true},
      {"bltu eq", bltu, 7, 7, false},        {"bltu max<min", bltu, max64, min64, true},
      {"bgeu -1>=1", bgeu, m1, one, true},   {"bgeu 1>=-1", bgeu, one, m1, false},
      {"bgeu eq", bgeu, 0, 0, true},         {"bgeu min>=max", bgeu, min64, max64, true},
  };
  for (const auto& c : cases) {
    for (i32 off : {-4096, -2, 8, 4094}) {
      SCOPED_TRACE(std::string(c.name) + " offset " + std::to_string(off));
      jump_to(kRamBase + 0x10000);
      set_x(a0, c.a);
      set_x(a1, c.b);
      const Addr p = pc();
      EXPECT_TRUE(step(c.enc(a0, a1, off)));
      EXPECT_EQ(pc(), c.taken ? p + static_cast<u64>(static_cast<i64>(off)) : p + 4);
    }
  }
}

TEST_F(Rv64iTest, BranchWithSameRegister) {
  set_x(a0, 42);
  const Addr p = pc();
  EXPECT_TRUE(step(beq(a0, a0, 64)));
  EXPECT_EQ(pc(), p + 64);
  const Addr q = pc();
  EXPECT_TRUE(step(blt(zero, zero, 64)));
  EXPECT_EQ(pc(), q + 4);
}

// ---------------------------------------------------------------------------
// Loads: LB/LH/LW sign-extend, LBU/LHU/LWU zero-extend, LD loads 64 bits.
// ---------------------------------------------------------------------------
class Rv64iLoadTest : public Rv64iTest {
 protected:
  void SetUp() override {
    const std::uint8_t bytes[16] = {0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88,
                                    0x71, 0x72, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78};
    put_data(kData, bytes, sizeof bytes);
    set_x(a1, kData);
  }
};

TEST_F(Rv64iLoadTest, SignedLoadsSignExtend) {
  run(lb(a0, a1, 0));
  EXPECT_EQ(x(a0), 0xFFFF'FFFF'FFFF'FF81ull);
  run(lb(a0, a1, 8));
  EXPECT_EQ(x(a0), 0x71u);
  run(lh(a0, a1, 0));
  EXPECT_EQ(x(a0), 0xFFFF'FFFF'FFFF'8281ull);
  run(lh(a0, a1, 8));
  EXPECT_EQ(x(a0), 0x7271u);
  run(lw(a0, a1, 0));
  EXPECT_EQ(x(a0), 0xFFFF'FFFF'8483'8281ull);
  run(lw(a0, a1, 8));
  EXPECT_EQ(x(a0), 0x7473'7271u);
  run(ld(a0, a1, 0));
  EXPECT_EQ(x(a0), 0x8887'8685'8483'8281ull);
  run(ld(a0, a1, 8));
  EXPECT_EQ(x(a0), 0x7877'7675'7473'7271ull);
}

TEST_F(Rv64iLoadTest, UnsignedLoadsZeroExtend) {
  run(lbu(a0, a1, 0));
  EXPECT_EQ(x(a0), 0x81u);
  run(lhu(a0, a1, 0));
  EXPECT_EQ(x(a0), 0x8281u);
  run(lwu(a0, a1, 0));
  EXPECT_EQ(x(a0), 0x8483'8281u);
  run(lbu(a0, a1, 15));
  EXPECT_EQ(x(a0), 0x78u);
  run(lhu(a0, a1, 14));
  EXPECT_EQ(x(a0), 0x7877u);
  run(lwu(a0, a1, 12));
  EXPECT_EQ(x(a0), 0x7877'7675u);
}

TEST_F(Rv64iLoadTest, OffsetsAreSignExtended) {
  set_x(a2, kData + 2048);
  run(lbu(a0, a2, -2048));
  EXPECT_EQ(x(a0), 0x81u);
  set_x(a3, kData - 2047);
  run(lbu(a0, a3, 2047));
  EXPECT_EQ(x(a0), 0x81u);
  run(ld(a0, a2, -2040));
  EXPECT_EQ(x(a0), 0x7877'7675'7473'7271ull);
}

TEST_F(Rv64iLoadTest, DestinationMayBeTheBase) {
  run(lw(a1, a1, 4));
  EXPECT_EQ(x(a1), 0xFFFF'FFFF'8887'8685ull);
}

// ---------------------------------------------------------------------------
// Stores write the low 8/16/32/64 bits of rs2 and nothing else.
// ---------------------------------------------------------------------------
TEST_F(Rv64iTest, StoresWriteOnlyTheirWidth) {
  const u64 fill = 0xAAAA'AAAA'AAAA'AAAAull;
  const u64 v = 0x1122'3344'5566'7788ull;
  set_x(a1, kData);
  set_x(a2, v);
  struct Case {
    u32 insn;
    u64 expect;
  } cases[] = {
      {sb(a2, a1, 8), 0xAAAA'AAAA'AAAA'AA88ull},
      {sh(a2, a1, 8), 0xAAAA'AAAA'AAAA'7788ull},
      {sw(a2, a1, 8), 0xAAAA'AAAA'5566'7788ull},
      {sd(a2, a1, 8), v},
  };
  for (const auto& c : cases) {
    for (int i = 0; i < 3; ++i) put_data(kData + 8 * i, &fill, 8);
    run(c.insn);
    EXPECT_EQ(read_data<u64>(kData + 8), c.expect) << hex(c.insn);
    EXPECT_EQ(read_data<u64>(kData), fill);
    EXPECT_EQ(read_data<u64>(kData + 16), fill);
  }
}

TEST_F(Rv64iTest, StoreOffsetsAreSignExtended) {
  set_x(a1, kData + 2048);
  set_x(a2, 0x5a);
  run(sb(a2, a1, -2048));
  EXPECT_EQ(read_data<std::uint8_t>(kData), 0x5a);
  set_x(a1, kData - 2047);
  set_x(a2, 0xdeadbeef);
  run(sw(a2, a1, 2047));
  EXPECT_EQ(read_data<u32>(kData), 0xdeadbeefu);
  // Storing x0 stores zero.
  run(sw(zero, a1, 2047));
  EXPECT_EQ(read_data<u32>(kData), 0u);
}

// ---------------------------------------------------------------------------
// OP-IMM
// ---------------------------------------------------------------------------
TEST_F(Rv64iTest, Addi) {
  set_x(a1, 0x7FFF'FFFF'FFFF'FFFFull);
  run(addi(a0, a1, 1));  // wraps, no overflow trap
  EXPECT_EQ(x(a0), 0x8000'0000'0000'0000ull);
  set_x(a1, 0);
  run(addi(a0, a1, -2048));
  EXPECT_EQ(x(a0), static_cast<u64>(-2048));
  run(addi(a0, a1, 2047));
  EXPECT_EQ(x(a0), 2047u);
  set_x(a1, 0xFFFF'FFFF);
  run(addi(a0, a1, 1));  // no 32-bit wrap on RV64
  EXPECT_EQ(x(a0), 0x1'0000'0000ull);
  run(addi(a1, a1, -1));  // rd == rs1
  EXPECT_EQ(x(a1), 0xFFFF'FFFEull);
}

TEST_F(Rv64iTest, SltiAndSltiu) {
  set_x(a1, static_cast<u64>(-5));
  run(slti(a0, a1, -4));
  EXPECT_EQ(x(a0), 1u);
  run(slti(a0, a1, -5));
  EXPECT_EQ(x(a0), 0u);
  run(slti(a0, a1, -2048));
  EXPECT_EQ(x(a0), 0u);
  // SLTIU compares with the sign-extended immediate as an unsigned number.
  run(sltiu(a0, a1, -1));  // -5 < 2^64 - 1
  EXPECT_EQ(x(a0), 1u);
  run(sltiu(a0, a1, 5));
  EXPECT_EQ(x(a0), 0u);
  set_x(a1, ~0ull);
  run(sltiu(a0, a1, -1));
  EXPECT_EQ(x(a0), 0u);
  // sltiu rd, rs, 1 is "seqz".
  set_x(a1, 0);
  run(sltiu(a0, a1, 1));
  EXPECT_EQ(x(a0), 1u);
  set_x(a1, 1ull << 40);
  run(sltiu(a0, a1, 1));
  EXPECT_EQ(x(a0), 0u);
}

TEST_F(Rv64iTest, LogicalImmediatesAreSignExtended) {
  const u64 v = 0x0123'4567'89AB'CDEFull;
  set_x(a1, v);
  run(xori(a0, a1, -1));  // "not"
  EXPECT_EQ(x(a0), ~v);
  run(xori(a0, a1, 0x7ff));
  EXPECT_EQ(x(a0), v ^ 0x7ff);
  run(ori(a0, a1, -2048));
  EXPECT_EQ(x(a0), v | 0xFFFF'FFFF'FFFF'F800ull);
  run(ori(a0, a1, 0x010));
  EXPECT_EQ(x(a0), v | 0x10);
  run(andi(a0, a1, -16));
  EXPECT_EQ(x(a0), v & ~0xfull);
  run(andi(a0, a1, 0x7ff));
  EXPECT_EQ(x(a0), v & 0x7ff);
}

TEST_F(Rv64iTest, ShiftImmediates) {
  set_x(a1, 1);
  run(slli(a0, a1, 63));
  EXPECT_EQ(x(a0), 1ull << 63);
  run(slli(a0, a1, 0));
  EXPECT_EQ(x(a0), 1u);
  set_x(a1, 0x8000'0000'0000'0001ull);
  run(srli(a0, a1, 63));
  EXPECT_EQ(x(a0), 1u);
  run(srli(a0, a1, 32));
  EXPECT_EQ(x(a0), 0x8000'0000ull);
  run(srli(a0, a1, 0));
  EXPECT_EQ(x(a0), 0x8000'0000'0000'0001ull);
  run(srai(a0, a1, 63));
  EXPECT_EQ(x(a0), ~0ull);
  run(srai(a0, a1, 4));
  EXPECT_EQ(x(a0), 0xF800'0000'0000'0000ull);
  set_x(a1, 0x7000'0000'0000'0000ull);
  run(srai(a0, a1, 60));
  EXPECT_EQ(x(a0), 7u);
}

TEST_F(Rv64iTest, ReservedShiftImmediateEncodingsAreIllegal) {
  // RV64I SLLI/SRLI/SRAI: imm[11:6] must be 000000 (010000 for SRAI).
  expect_illegal(i_type(OP_IMM, a0, 1, a1, 0x400 | 3));  // "slli" with funct6 010000
  expect_illegal(i_type(OP_IMM, a0, 1, a1, 0x040));      // funct6 000001
  expect_illegal(i_type(OP_IMM, a0, 5, a1, 0x080 | 1));  // srli with funct6 000010
  expect_illegal(i_type(OP_IMM, a0, 5, a1, 0x600 | 1));  // funct6 011000
  // SLLIW/SRLIW/SRAIW with imm[5] != 0 are reserved.
  expect_illegal(i_type(OP_IMM_32, a0, 1, a1, 32));
  expect_illegal(i_type(OP_IMM_32, a0, 5, a1, 33));
  expect_illegal(i_type(OP_IMM_32, a0, 5, a1, 0x400 | 32));
}

// ---------------------------------------------------------------------------
// OP
// ---------------------------------------------------------------------------
TEST_F(Rv64iTest, AddSub) {
  set_x(a1, ~0ull);
  set_x(a2, 2);
  run(add(a0, a1, a2));
  EXPECT_EQ(x(a0), 1u);
  run(sub(a0, zero, a2));
  EXPECT_EQ(x(a0), static_cast<u64>(-2));
  set_x(a1, 1ull << 63);
  set_x(a2, 1);
  run(sub(a0, a1, a2));
  EXPECT_EQ(x(a0), 0x7FFF'FFFF'FFFF'FFFFull);
  run(add(a1, a1, a1));  // rd == rs1 == rs2
  EXPECT_EQ(x(a1), 0u);
}

TEST_F(Rv64iTest, RegisterShiftsUseLowSixBits) {
  set_x(a1, 0x8000'0000'0000'0003ull);
  struct Case {
    u32 (*enc)(u32, u32, u32);
    u64 amount;
    u64 expect;
  } cases[] = {
      {sll, 1, 0x6},
      {sll, 65, 0x6},                      // 65 & 63 = 1
      {sll, 64, 0x8000'0000'0000'0003ull},  // 64 & 63 = 0
      {sll, 63, 0x8000'0000'0000'0000ull},
      {srl, 1, 0x4000'0000'0000'0001ull},
      {srl, 63, 1},
      {srl, 0xFFFF'FFFF'FFFF'FFC1ull, 0x4000'0000'0000'0001ull},  // low six bits = 1
      {sra, 1, 0xC000'0000'0000'0001ull},
      {sra, 63, ~0ull},
      {sra, 128, 0x8000'0000'0000'0003ull},
  };
  for (const auto& c : cases) {
    set_x(a2, c.amount);
    run(c.enc(a0, a1, a2));
    EXPECT_EQ(x(a0), c.expect) << "amount " << c.amount;
  }
}

TEST_F(Rv64iTest, SetLessThan) {
  set_x(a1, ~0ull);  // -1
  set_x(a2, 1);
  run(slt(a0, a1, a2));
  EXPECT_EQ(x(a0), 1u);
  run(sltu(a0, a1, a2));
  EXPECT_EQ(x(a0), 0u);
  run(slt(a0, a2, a1));
  EXPECT_EQ(x(a0), 0u);
  run(sltu(a0, a2, a1));
  EXPECT_EQ(x(a0), 1u);
  run(slt(a0, a1, a1));
  EXPECT_EQ(x(a0), 0u);
  // sltu rd, x0, rs is "snez".
  run(sltu(a0, zero, a2));
  EXPECT_EQ(x(a0), 1u);
  run(sltu(a0, zero, zero));
  EXPECT_EQ(x(a0), 0u);
}

TEST_F(Rv64iTest, LogicalRegisterOps) {
  const u64 p = 0xF0F0'FF00'1234'5678ull, q = 0x0FF0'F0F0'FFFF'0000ull;
  set_x(a1, p);
  set_x(a2, q);
  run(xor_(a0, a1, a2));
  EXPECT_EQ(x(a0), p ^ q);
  run(or_(a0, a1, a2));
  EXPECT_EQ(x(a0), p | q);
  run(and_(a0, a1, a2));
  EXPECT_EQ(x(a0), p & q);
  run(xor_(a0, a1, a1));
  EXPECT_EQ(x(a0), 0u);
}

TEST_F(Rv64iTest, UndefinedOpFunct7IsIllegal) {
  expect_illegal(r_type(OP, a0, 0, a1, a2, 0b0000010));
  expect_illegal(r_type(OP, a0, 1, a1, a2, 0b0100000));  // "sll" with bit 30
  expect_illegal(r_type(OP_32, a0, 2, a1, a2, 0));      // no 32-bit SLT
  expect_illegal(r_type(OP_32, a0, 1, a1, a2, 0b0000001));  // no MULHW
}

// ---------------------------------------------------------------------------
// RV64I "W" instructions: operate on the low 32 bits, sign-extend the 32-bit
// result; register shift amounts use rs2[4:0].
// ---------------------------------------------------------------------------
TEST_F(Rv64iTest, Addiw) {
  set_x(a1, 0x7FFF'FFFF);
  run(addiw(a0, a1, 1));
  EXPECT_EQ(x(a0), 0xFFFF'FFFF'8000'0000ull);
  set_x(a1, 0xFFFF'FFFF'0000'0001ull);  // upper bits are ignored
  run(addiw(a0, a1, 0));  // sext.w
  EXPECT_EQ(x(a0), 1u);
  set_x(a1, 0x1234'5678'8000'0000ull);
  run(addiw(a0, a1, 0));
  EXPECT_EQ(x(a0), 0xFFFF'FFFF'8000'0000ull);
  set_x(a1, 0);
  run(addiw(a0, a1, -2048));
  EXPECT_EQ(x(a0), static_cast<u64>(-2048));
}

TEST_F(Rv64iTest, ShiftWordImmediates) {
  set_x(a1, 0xFFFF'FFFF'0000'0001ull);
  run(slliw(a0, a1, 31));
  EXPECT_EQ(x(a0), 0xFFFF'FFFF'8000'0000ull);
  run(slliw(a0, a1, 0));
  EXPECT_EQ(x(a0), 1u);
  set_x(a1, 0x0000'0001'8000'0000ull);
  run(srliw(a0, a1, 0));  // the 32-bit result 0x80000000 is sign-extended
  EXPECT_EQ(x(a0), 0xFFFF'FFFF'8000'0000ull);
  run(srliw(a0, a1, 1));
  EXPECT_EQ(x(a0), 0x4000'0000u);
  run(srliw(a0, a1, 31));
  EXPECT_EQ(x(a0), 1u);
  run(sraiw(a0, a1, 31));
  EXPECT_EQ(x(a0), ~0ull);
  run(sraiw(a0, a1, 4));
  EXPECT_EQ(x(a0), 0xFFFF'FFFF'F800'0000ull);
  set_x(a1, 0xFFFF'FFFF'7FFF'FFFFull);
  run(sraiw(a0, a1, 0));
  EXPECT_EQ(x(a0), 0x7FFF'FFFFu);
}

TEST_F(Rv64iTest, AddwSubw) {
  set_x(a1, 0x7FFF'FFFF);
  set_x(a2, 1);
  run(addw(a0, a1, a2));
  EXPECT_EQ(x(a0), 0xFFFF'FFFF'8000'0000ull);
  set_x(a1, 0xAAAA'AAAA'0000'0005ull);
  set_x(a2, 0x5555'5555'0000'0003ull);
  run(addw(a0, a1, a2));
  EXPECT_EQ(x(a0), 8u);
  run(subw(a0, a2, a1));
  EXPECT_EQ(x(a0), static_cast<u64>(-2));
  set_x(a1, 0x8000'0000);
  set_x(a2, 1);
  run(subw(a0, a1, a2));
  EXPECT_EQ(x(a0), 0x7FFF'FFFFu);
}

TEST_F(Rv64iTest, RegisterShiftWordsUseLowFiveBits) {
  set_x(a1, 0x1234'5678'8000'0001ull);
  struct Case {
    u32 (*enc)(u32, u32, u32);
    u64 amount;
    u64 expect;
  } cases[] = {
      {sllw, 1, 2},
      {sllw, 33, 2},  // 33 & 31 = 1
      {sllw, 32, 0xFFFF'FFFF'8000'0001ull},
      {sllw, 31, 0xFFFF'FFFF'8000'0000ull},
      {srlw, 1, 0x4000'0000},
      {srlw, 0, 0xFFFF'FFFF'8000'0001ull},
      {srlw, 63, 1},  // 63 & 31 = 31
      {sraw, 1, 0xFFFF'FFFF'C000'0000ull},
      {sraw, 31, ~0ull},
      {sraw, 32, 0xFFFF'FFFF'8000'0001ull},
  };
  for (const auto& c : cases) {
    set_x(a2, c.amount);
    run(c.enc(a0, a1, a2));
    EXPECT_EQ(x(a0), c.expect) << "amount " << c.amount;
  }
}

// ---------------------------------------------------------------------------
// FENCE, FENCE.TSO, FENCE.I: no architectural effect on a single hart except
// retiring; reserved fields (fm, rs1, rd) are ignored and rd is not written.
// ---------------------------------------------------------------------------
TEST_F(Rv64iTest, FencesRetireWithoutSideEffects) {
  set_x(a0, 0x1111);
  set_x(a1, 0x2222);
  const u64 retired = hart_->retired();
  run(fence(FIORW, FIORW));
  run(fence(FR, FW));
  run(fence(0, 0));
  run(fence_tso());
  // Reserved configurations execute as ordinary fences; rd is not written.
  run(i_type(MISC_MEM, a0, 0, a1, 0xF33));
  run(i_type(MISC_MEM, a0, 0, a1, 0x0FF));
  run(fence_i());
  run(i_type(MISC_MEM, a0, 1, a1, 0x123));  // fence.i ignores imm, rs1, rd
  EXPECT_EQ(x(a0), 0x1111u);
  EXPECT_EQ(x(a1), 0x2222u);
  EXPECT_EQ(hart_->retired(), retired + 8);
}

TEST_F(Rv64iTest, FenceIMakesStoredInstructionsVisible) {
  // sw t0, 8(t1); fence.i; <patched slot>
  const Addr p = pc();
  put(p, sw(t0, t1, 8));
  put(p + 4, fence_i());
  put(p + 8, addi(a0, zero, 1));  // old instruction
  set_x(t1, p);
  set_x(t0, addi(a0, zero, 42));  // new instruction
  hart_->interpret(3);
  EXPECT_EQ(x(a0), 42u);
  EXPECT_EQ(pc(), p + 12);
}

TEST_F(Rv64iTest, WfiRetiresAsNop) {
  set_x(a0, 9);
  run(wfi());
  EXPECT_EQ(x(a0), 9u);
}

TEST_F(Rv64iTest, UnknownMajorOpcodesAreIllegal) {
  // OP-IMM-32 funct3 010 does not exist; custom-0, reserved opcodes, and the
  // all-ones word are illegal too.
  expect_illegal(i_type(OP_IMM_32, a0, 2, a1, 0));
  expect_illegal(0x0000000b);  // custom-0
  expect_illegal(0x0000005b);  // custom-2 / rv128
  expect_illegal(0xffffffff);
  expect_illegal(i_type(LOAD, a0, 7, a1, 0));      // no 128-bit load
  expect_illegal(s_type(STORE, 4, a1, a0, 0));     // no SQ
  expect_illegal(b_type(2, a0, a1, 8));            // branch funct3 010
  expect_illegal(i_type(JALR, a0, 1, a1, 0));      // JALR needs funct3 000
}

}  // namespace
}  // namespace orrery::riscv::test
