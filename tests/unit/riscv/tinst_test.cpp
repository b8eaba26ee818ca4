// htinst/mtinst transformed instructions (privileged spec, "Hypervisor
// Extension" > "Transformed Instruction or Pseudoinstruction for mtinst or
// htinst"): loads lose imm[11:0], stores imm[11:5] and imm[4:0], and every
// transformable access gets the Addr. Offset in the rs1 field; bit 1 tells
// a 32-bit instruction (1) from a compressed one (0, then the other bits are
// its 32-bit expansion). Everything else transforms to 0.
#include <gtest/gtest.h>

#include "encode.hpp"
#include "orrery/riscv/tinst.hpp"

namespace orrery::riscv::test {
namespace {

using namespace enc;

// HLV/HSV (privileged spec, "Hypervisor Virtual-Machine Load and Store
// Instructions"): SYSTEM, funct3 = 100, funct7 = 0110xxx, rs2 selects HLVX.
constexpr u32 hlv_d(u32 rd, u32 rs1) { return r_type(0x73, rd, 4, rs1, 0, 0b0110110); }
constexpr u32 hsv_w(u32 rs2, u32 rs1) { return r_type(0x73, 0, 4, rs1, rs2, 0b0110101); }
constexpr u32 hfence_vvma(u32 rs1, u32 rs2) { return r_type(0x73, 0, 0, rs1, rs2, 0b0010001); }

TEST(TransformedInstruction, LoadsKeepRdFunct3AndOpcodeOnly) {
  EXPECT_EQ(transformed_instruction(ld(t0, t1, 0), 0), 0x0000'3283u);  // ld t0, 0(t1)
  EXPECT_EQ(transformed_instruction(lw(a0, a1, -12), 0), lw(a0, zero, 0));
  EXPECT_EQ(transformed_instruction(lbu(s1, sp, 2047), 0), lbu(s1, zero, 0));
  EXPECT_EQ(transformed_instruction(fld(10, a2, 16), 0), fld(10, zero, 0));
}

TEST(TransformedInstruction, StoresKeepRs2Funct3AndOpcodeOnly) {
  EXPECT_EQ(transformed_instruction(sd(t0, t1, 0), 0), 0x0050'3023u);  // sd t0, 0(t1)
  EXPECT_EQ(transformed_instruction(sw(a1, a2, -20), 0), sw(a1, zero, 0));
  EXPECT_EQ(transformed_instruction(fsd(8, a0, 8), 0), fsd(8, zero, 0));
}

TEST(TransformedInstruction, AtomicsAndHypervisorAccessesOnlyLoseRs1) {
  EXPECT_EQ(transformed_instruction(amoadd_w(a0, a1, a2, true, false), 0), amoadd_w(a0, a1, zero, true, false));
  EXPECT_EQ(transformed_instruction(lr_d(a0, a3), 0), lr_d(a0, zero));
  EXPECT_EQ(transformed_instruction(hlv_d(a0, a1), 0), hlv_d(a0, zero));
  EXPECT_EQ(transformed_instruction(hsv_w(a0, a1), 0), hsv_w(a0, zero));
}

TEST(TransformedInstruction, TheAddressOffsetGoesInTheRs1Field) {
  // A misaligned access whose later part faulted.
  EXPECT_EQ(transformed_instruction(ld(t0, t1, 5), 3), ld(t0, zero, 0) | (3u << 15));
  EXPECT_EQ(transformed_instruction(sw(a1, a2, 0), 2), sw(a1, zero, 0) | (2u << 15));
}

TEST(TransformedInstruction, CompressedAccessesAreExpandedWithBit1Clear) {
  EXPECT_EQ(transformed_instruction(c_lw(a0, a1, 4), 0), lw(a0, zero, 0) & ~2u);
  EXPECT_EQ(transformed_instruction(c_sd(a2, a3, 8), 0), sd(a2, zero, 0) & ~2u);
  EXPECT_EQ(transformed_instruction(c_ldsp(ra, 24), 0), ld(ra, zero, 0) & ~2u);
}

TEST(TransformedInstruction, EverythingElseIsZero) {
  EXPECT_EQ(transformed_instruction(add(a0, a1, a2), 0), 0u);
  EXPECT_EQ(transformed_instruction(jal(ra, 16), 0), 0u);
  EXPECT_EQ(transformed_instruction(csrrw(a0, 0x140, a1), 0), 0u);
  EXPECT_EQ(transformed_instruction(hfence_vvma(a0, a1), 0), 0u);
  EXPECT_EQ(transformed_instruction(c_addi(a0, 1), 0), 0u);
  EXPECT_EQ(transformed_instruction(0x0000, 0), 0u) << "the all-zero compressed encoding is illegal";
}

}  // namespace
}  // namespace orrery::riscv::test
