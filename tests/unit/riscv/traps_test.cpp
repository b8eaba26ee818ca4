// Synchronous exceptions and trap entry/return, from the privileged spec
// ("Machine Trap Handling", mcause exception codes, "Machine Trap Value
// Register", "Machine Trap-Vector Base-Address Register", MRET):
//   * trap entry: mepc = the trapping instruction's pc, mcause = the code,
//     mtval = faulting address / instruction bits / 0, MPIE = MIE, MIE = 0,
//     MPP = previous privilege (M), pc = mtvec BASE (exceptions use BASE even
//     in vectored mode);
//   * a trapping instruction does not retire (minstret unchanged) and writes
//     no architectural register;
//   * MRET: pc = mepc, privilege = MPP, MIE = MPIE, MPIE = 1, MPP = the
//     least-privileged supported mode (U on this M/S/U hart);
//   * x0 is hardwired to zero.
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "rv_test.hpp"

namespace orrery::riscv::test {
namespace {

using namespace enc;

class TrapTest : public RvTest {};

// ---------------------------------------------------------------------------
// ECALL, EBREAK, illegal instructions
// ---------------------------------------------------------------------------
TEST_F(TrapTest, EcallFromMachineMode) {
  jump_to(kRamBase + 0x100);
  expect_trap(ecall(), kCauseEcallM, 0);
  EXPECT_EQ(hart_->mepc_, kRamBase + 0x100);
}

TEST_F(TrapTest, Ebreak) {
  jump_to(kRamBase + 0x100);
  const Addr p = pc();
  EXPECT_FALSE(step(ebreak()));
  EXPECT_EQ(hart_->mcause_, kCauseBreakpoint);
  EXPECT_EQ(hart_->mepc_, p);
  EXPECT_EQ(pc(), kTrapVector);
  // mtval is either zero or the address of the EBREAK.
  EXPECT_TRUE(hart_->mtval_ == 0 || hart_->mtval_ == p) << hex(hart_->mtval_);
}

TEST_F(TrapTest, IllegalInstructionReportsItsBits) {
  expect_illegal(fp_op(0b00000, FMT_H, 1, 2, 3, 0));  // fadd.h: no Zfh
  expect_illegal(r_type(OP, a0, 0, a1, a2, 0b1111111));
  // Privileged instructions this M/S/U hart does not have.
  expect_illegal(i_type(SYSTEM, 0, 0, 0, 0x002));  // uret (N extension, removed)
  expect_illegal(r_type(SYSTEM, 0, 0, a0, a1, 0b0010001));  // hfence.vvma: no H
  expect_illegal(r_type(SYSTEM, 0, 0, a0, a1, 0b0110001));  // hfence.gvma: no H
  expect_illegal(r_type(SYSTEM, 0, 0, a0, a1, 0b0001011));  // sinval.vma: no Svinval
  expect_illegal(0x7b20'0073);                      // dret outside debug mode
  expect_illegal(i_type(SYSTEM, 0, 4, 0, 0));       // SYSTEM funct3 100 (hypervisor loads)
  // ECALL/EBREAK/MRET/WFI with nonzero rd or rs1 are not those instructions.
  expect_illegal(ecall() | (a0 << 7));
  expect_illegal(ebreak() | (a0 << 15));
  expect_illegal(mret() | (1u << 7));
  expect_illegal(wfi() | (1u << 15));
  expect_illegal(sret() | (a0 << 15));
  expect_illegal(sret() | (1u << 7));
  expect_illegal(sfence_vma(a0, a1) | (a2 << 7));  // SFENCE.VMA has rd = 0
  expect_illegal(sfence_vma(a0, a1) | (1u << 12));  // and funct3 = 0
}

// ---------------------------------------------------------------------------
// Trap entry state
// ---------------------------------------------------------------------------
TEST_F(TrapTest, TrapEntryStacksMie) {
  set_csr(csrn::mstatus, ms::MIE);
  expect_trap(ecall(), kCauseEcallM, 0);
  u64 s = csr(csrn::mstatus);
  EXPECT_EQ(s & ms::MIE, 0u);
  EXPECT_EQ(s & ms::MPIE, ms::MPIE);
  EXPECT_EQ(s & ms::MPP, ms::MPP);
  // With MIE clear, MPIE becomes 0.
  set_csr(csrn::mstatus, ms::MPIE);
  expect_illegal(0);
  s = csr(csrn::mstatus);
  EXPECT_EQ(s & ms::MIE, 0u);
  EXPECT_EQ(s & ms::MPIE, 0u);
  EXPECT_EQ(s & ms::MPP, ms::MPP);
}

TEST_F(TrapTest, TrapTargetsMtvecBaseInBothModes) {
  set_csr(csrn::mtvec, kRamBase + 0x3000);
  expect_trap(ecall(), kCauseEcallM, 0);
  EXPECT_EQ(pc(), kRamBase + 0x3000);
  // Vectored mode: synchronous exceptions still go to BASE.
  set_csr(csrn::mtvec, kRamBase + 0x4000 + 1);
  jump_to(kRamBase + 0x100);
  EXPECT_FALSE(step(ecall()));
  EXPECT_EQ(pc(), kRamBase + 0x4000);
  jump_to(kRamBase + 0x100);
  EXPECT_FALSE(step(0));  // illegal, cause 2
  EXPECT_EQ(pc(), kRamBase + 0x4000);
  jump_to(kRamBase + 0x100);
  set_x(a1, kUnmapped);
  EXPECT_FALSE(step(ld(a0, a1, 0)));  // cause 5
  EXPECT_EQ(pc(), kRamBase + 0x4000);
}

TEST_F(TrapTest, MretReturnsAndRestoresMie) {
  set_csr(csrn::mepc, kRamBase + 0x2222);
  set_csr(csrn::mstatus, ms::MPIE | ms::MPP);  // return to M
  const u64 before = hart_->retired();
  run_jump(mret(), kRamBase + 0x2222);
  EXPECT_EQ(hart_->retired(), before + 1) << "MRET retires";
  EXPECT_EQ(hart_->priv(), kPrivM);
  u64 s = csr(csrn::mstatus);
  EXPECT_EQ(s & ms::MIE, ms::MIE);
  EXPECT_EQ(s & ms::MPIE, ms::MPIE);
  EXPECT_EQ(s & ms::MPP, 0u) << "MPP becomes U, the least-privileged mode";
  EXPECT_EQ(csr(csrn::mepc), kRamBase + 0x2222) << "MRET leaves mepc alone";
  // MPIE = 0: MIE becomes 0, MPIE becomes 1.
  set_csr(csrn::mstatus, ms::MIE | ms::MPP);
  run_jump(mret(), kRamBase + 0x2222);
  EXPECT_EQ(hart_->priv(), kPrivM);
  s = csr(csrn::mstatus);
  EXPECT_EQ(s & ms::MIE, 0u);
  EXPECT_EQ(s & ms::MPIE, ms::MPIE);
  EXPECT_EQ(s & ms::MPP, 0u);
}

TEST_F(TrapTest, EcallHandlerRoundTrip) {
  // The handler advances mepc past the ECALL and returns with MRET.
  const u32 handler[] = {csrr(t0, csrn::mepc), addi(t0, t0, 4), csrw(csrn::mepc, t0), mret()};
  for (int i = 0; i < 4; ++i) put(kTrapVector + 4 * i, handler[i]);
  set_csr(csrn::mstatus, ms::MIE);
  const Addr p = pc();
  put(p, ecall());
  put(p + 4, addi(a0, zero, 7));
  hart_->interpret(6);  // ecall (trap) + 4 handler instructions + addi
  EXPECT_EQ(x(a0), 7u);
  EXPECT_EQ(pc(), p + 8);
  EXPECT_EQ(hart_->mcause_, kCauseEcallM);
  EXPECT_EQ(csr(csrn::mstatus) & (ms::MIE | ms::MPIE), ms::MIE | ms::MPIE);
}

TEST_F(TrapTest, TrappedInstructionsDoNotRetire) {
  set_csr(csrn::minstret, 100);  // the next instruction reads 100
  set_x(a1, kUnmapped);
  EXPECT_FALSE(step(ecall()));
  EXPECT_FALSE(step(ebreak()));
  EXPECT_FALSE(step(0));                // illegal
  EXPECT_FALSE(step(lw(a0, a1, 0)));    // load access fault
  EXPECT_FALSE(step(sw(a0, a1, 0)));    // store access fault
  set_x(a2, kData + 1);
  EXPECT_FALSE(step(amoadd_w(a0, a0, a2)));  // misaligned AMO
  EXPECT_EQ(csr(csrn::minstret), 100u);
  // Instruction fetch fault.
  set_x(t6, kUnmapped);
  run_jump(jalr(zero, t6, 0), kUnmapped);  // retires: 101
  hart_->interpret(1);
  EXPECT_EQ(hart_->mcause_, kCauseInsnAccess);
  EXPECT_EQ(pc(), kTrapVector);
  // csrr (reads 100, counts: 101) and jalr (102) retired; the fetch fault did not.
  EXPECT_EQ(csr(csrn::minstret), 102u);
}

// ---------------------------------------------------------------------------
// Memory access faults
// ---------------------------------------------------------------------------
TEST_F(TrapTest, LoadAccessFaultReportsTheAddressAndKeepsRd) {
  const u32 loads[] = {lb(a0, a1, 8), lh(a0, a1, 8), lw(a0, a1, 8), ld(a0, a1, 8),
                       lbu(a0, a1, 8), lhu(a0, a1, 8), lwu(a0, a1, 8)};
  for (u32 insn : loads) {
    set_x(a0, 0x5555);
    set_x(a1, kUnmapped);
    expect_trap(insn, kCauseLoadAccess, kUnmapped + 8);
    EXPECT_EQ(x(a0), 0x5555u);
  }
  // Just below RAM and at the end of RAM.
  set_x(a1, kRamBase);
  expect_trap(lb(a0, a1, -1), kCauseLoadAccess, kRamBase - 1);
  set_x(a1, kRamEnd);
  expect_trap(lb(a0, a1, 0), kCauseLoadAccess, kRamEnd);
  // A load with rd = x0 still accesses memory and faults.
  set_x(a1, kUnmapped);
  expect_trap(lw(zero, a1, 0), kCauseLoadAccess, kUnmapped);
}

TEST_F(TrapTest, StoreAccessFaultReportsTheAddress) {
  const u32 stores[] = {sb(a0, a1, -4), sh(a0, a1, -4), sw(a0, a1, -4), sd(a0, a1, -4)};
  for (u32 insn : stores) {
    set_x(a1, kUnmapped);
    expect_trap(insn, kCauseStoreAccess, kUnmapped - 4);
  }
  set_x(a1, kRamEnd);
  expect_trap(sb(a0, a1, 0), kCauseStoreAccess, kRamEnd);
}

TEST_F(TrapTest, RomIsReadableAndExecutableButNotWritable) {
  constexpr Addr kRom = 0x2000'0000;
  std::uint8_t* rom = machine_.bus().add_rom("rom", kRom, 0x1000);
  const u64 v = 0x1122'3344'5566'7788ull;
  std::memcpy(rom + 0x800, &v, 8);
  set_x(a1, kRom + 0x800);
  run(ld(a0, a1, 0));
  EXPECT_EQ(x(a0), v);
  set_x(a0, 1);
  expect_trap(sd(a0, a1, 0), kCauseStoreAccess, kRom + 0x800);
  expect_trap(sb(a0, a1, 3), kCauseStoreAccess, kRom + 0x803);
  EXPECT_EQ(std::memcmp(rom + 0x800, &v, 8), 0);
  expect_trap(amoadd_d(a0, a0, a1), kCauseStoreAccess, kRom + 0x800);
  EXPECT_EQ(std::memcmp(rom + 0x800, &v, 8), 0);
  // Code in ROM executes.
  const u32 code[] = {addi(a2, zero, 5), c_addi(a2, 3)};
  std::memcpy(rom, &code[0], 4);
  std::memcpy(rom + 4, &code[1], 2);
  jump_to(kRom);
  hart_->interpret(2);
  EXPECT_EQ(x(a2), 8u);
  EXPECT_EQ(pc(), kRom + 6);
}

TEST_F(TrapTest, MisalignedAccessInsideRamIsPerformedOrTraps) {
  // Hardware may perform a misaligned access or raise address-misaligned
  // (mtval = the address). Whichever happens, it must be right.
  const std::uint8_t bytes[16] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};
  put_data(kData, bytes, 16);
  set_x(a1, kData + 3);
  if (step(ld(a0, a1, 0))) {
    EXPECT_EQ(x(a0), 0x0A09'0807'0605'0403ull);
  } else {
    EXPECT_EQ(hart_->mcause_, kCauseLoadMisaligned);
    EXPECT_EQ(hart_->mtval_, kData + 3);
  }
  set_x(a2, 0xA1A2'A3A4);
  if (step(sw(a2, a1, 2))) {
    EXPECT_EQ(read_data<u32>(kData + 5), 0xA1A2'A3A4u);
  } else {
    EXPECT_EQ(hart_->mcause_, kCauseStoreMisaligned);
    EXPECT_EQ(hart_->mtval_, kData + 5);
  }
}

TEST_F(TrapTest, MisalignedAccessCrossingTheEndOfRam) {
  // An 8-byte load at RAM end - 4 is misaligned and half outside RAM. The
  // hart may raise load-address-misaligned (mtval = the address), or an
  // access fault. For the access fault the privileged spec ("Machine Trap
  // Value Register") says: "If mtval is written with a nonzero value when a
  // misaligned load or store causes an access-fault or page-fault exception,
  // then mtval will contain the virtual address of the portion of the access
  // that caused the fault" - here the first byte past RAM (or mtval = 0).
  set_x(a0, 0x77);
  set_x(a1, kRamEnd - 4);
  EXPECT_FALSE(step(ld(a0, a1, 0)));
  EXPECT_EQ(x(a0), 0x77u);
  if (hart_->mcause_ == kCauseLoadMisaligned) {
    EXPECT_EQ(hart_->mtval_, kRamEnd - 4);
  } else {
    EXPECT_EQ(hart_->mcause_, kCauseLoadAccess);
    EXPECT_TRUE(hart_->mtval_ == kRamEnd || hart_->mtval_ == 0)
        << "mtval = " << hex(hart_->mtval_) << ", must be the address of the faulting portion, " << hex(kRamEnd);
  }
  set_x(a1, kRamEnd - 2);
  EXPECT_FALSE(step(sw(a0, a1, 0)));
  if (hart_->mcause_ == kCauseStoreMisaligned) {
    EXPECT_EQ(hart_->mtval_, kRamEnd - 2);
  } else {
    EXPECT_EQ(hart_->mcause_, kCauseStoreAccess);
    EXPECT_TRUE(hart_->mtval_ == kRamEnd || hart_->mtval_ == 0)
        << "mtval = " << hex(hart_->mtval_) << ", must be the address of the faulting portion, " << hex(kRamEnd);
  }
}

// ---------------------------------------------------------------------------
// Atomics: natural alignment required (misaligned: address-misaligned;
// LR is a load, SC and AMOs are store/AMO), memory must exist.
// ---------------------------------------------------------------------------
TEST_F(TrapTest, MisalignedAtomics) {
  const u64 guard = 0x0102'0304'0506'0708ull;
  put_data(kData, &guard, 8);
  put_data(kData + 8, &guard, 8);
  struct Case {
    const char* name;
    u32 insn;
    Addr addr;
    u64 cause;
  } cases[] = {
      {"amoadd.w +2", amoadd_w(a0, a2, a1), kData + 2, kCauseStoreMisaligned},
      {"amoswap.w +1", amoswap_w(a0, a2, a1), kData + 1, kCauseStoreMisaligned},
      {"amoor.d +4", amoor_d(a0, a2, a1), kData + 4, kCauseStoreMisaligned},
      {"amomaxu.d +7", amomaxu_d(a0, a2, a1), kData + 7, kCauseStoreMisaligned},
      {"lr.w +2", lr_w(a0, a1), kData + 2, kCauseLoadMisaligned},
      {"lr.d +4", lr_d(a0, a1), kData + 4, kCauseLoadMisaligned},
      {"sc.w +2", sc_w(a0, a2, a1), kData + 2, kCauseStoreMisaligned},
      {"sc.d +4", sc_d(a0, a2, a1), kData + 4, kCauseStoreMisaligned},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    set_x(a0, 0x9999);
    set_x(a1, c.addr);
    set_x(a2, ~0ull);
    expect_trap(c.insn, c.cause, c.addr);
    EXPECT_EQ(x(a0), 0x9999u);
    EXPECT_EQ(read_data<u64>(kData), guard);
    EXPECT_EQ(read_data<u64>(kData + 8), guard);
  }
}

TEST_F(TrapTest, MisalignedScAfterLrStillTraps) {
  set_x(a1, kData);
  run(lr_d(a0, a1));
  set_x(a1, kData + 4);
  expect_trap(sc_d(a0, a2, a1), kCauseStoreMisaligned, kData + 4);
}

TEST_F(TrapTest, AtomicsToUnmappedMemory) {
  set_x(a1, kUnmapped);
  set_x(a0, 0x1234);
  expect_trap(amoadd_w(a0, a2, a1), kCauseStoreAccess, kUnmapped);
  expect_trap(amoswap_d(a0, a2, a1), kCauseStoreAccess, kUnmapped);
  expect_trap(lr_w(a0, a1), kCauseLoadAccess, kUnmapped);
  expect_trap(lr_d(a0, a1), kCauseLoadAccess, kUnmapped);
  EXPECT_EQ(x(a0), 0x1234u);
}

// ---------------------------------------------------------------------------
// Instruction fetch faults
// ---------------------------------------------------------------------------
TEST_F(TrapTest, FetchFromUnmappedAddress) {
  set_x(t6, kUnmapped + 0x40);
  run_jump(jalr(zero, t6, 0), kUnmapped + 0x40);
  const u64 retired = hart_->retired();
  hart_->interpret(1);
  EXPECT_EQ(hart_->mcause_, kCauseInsnAccess);
  EXPECT_EQ(hart_->mtval_, kUnmapped + 0x40);
  EXPECT_EQ(hart_->mepc_, kUnmapped + 0x40);
  EXPECT_EQ(pc(), kTrapVector);
  EXPECT_EQ(hart_->retired(), retired);
}

TEST_F(TrapTest, FetchOfAStraddlingInstructionFaultsOnItsSecondHalf) {
  // The low half of a 32-bit instruction (bits 1:0 = 11) in the last
  // halfword of RAM: the second half is not fetchable. mepc is the
  // instruction's address, mtval the address of the missing half.
  const Addr last = kRamEnd - 2;
  put(last, addi(a0, a0, 1) & 0xffff, 2);
  set_x(t6, last);
  run_jump(jalr(zero, t6, 0), last);
  set_x(a0, 0);
  hart_->interpret(1);
  EXPECT_EQ(hart_->mcause_, kCauseInsnAccess);
  EXPECT_EQ(hart_->mepc_, last);
  EXPECT_EQ(hart_->mtval_, kRamEnd);
  EXPECT_EQ(x(a0), 0u);
}

TEST_F(TrapTest, CompressedInstructionInTheLastHalfwordExecutes) {
  const Addr last = kRamEnd - 2;
  put(last, c_addi(a0, 5), 2);
  set_x(t6, last);
  run_jump(jalr(zero, t6, 0), last);
  set_x(a0, 1);
  hart_->interpret(1);
  EXPECT_EQ(x(a0), 6u);
  EXPECT_EQ(pc(), kRamEnd);
  hart_->interpret(1);  // nothing at kRamEnd
  EXPECT_EQ(hart_->mcause_, kCauseInsnAccess);
  EXPECT_EQ(hart_->mepc_, kRamEnd);
  EXPECT_EQ(hart_->mtval_, kRamEnd);
}

// ---------------------------------------------------------------------------
// x0 stays zero
// ---------------------------------------------------------------------------
TEST_F(TrapTest, X0IsHardwiredToZero) {
  enable_fp();
  const u64 word = 0xdead'beef'cafe'f00dull;
  put_data(kData, &word, 8);
  set_x(a1, kData);
  set_x(a2, 0x1234);
  set_f(1, box(0x3f80'0000));
  struct Case {
    const char* name;
    u32 insn;
  } cases[] = {
      {"lui", lui(zero, 0x12345)},          {"auipc", auipc(zero, 1)},
      {"addi", addi(zero, a2, 1)},          {"slti", slti(zero, zero, 1)},
      {"sltiu", sltiu(zero, a2, -1)},       {"xori", xori(zero, a2, -1)},
      {"ori", ori(zero, a2, 1)},            {"andi", andi(zero, a2, -1)},
      {"slli", slli(zero, a2, 3)},          {"srli", srli(zero, a2, 1)},
      {"srai", srai(zero, a2, 1)},          {"add", add(zero, a1, a2)},
      {"sub", sub(zero, a1, a2)},           {"sll", sll(zero, a2, a2)},
      {"slt", slt(zero, zero, a2)},         {"sltu", sltu(zero, zero, a2)},
      {"xor", xor_(zero, a1, a2)},          {"srl", srl(zero, a1, a2)},
      {"sra", sra(zero, a1, a2)},           {"or", or_(zero, a1, a2)},
      {"and", and_(zero, a1, a2)},          {"addiw", addiw(zero, a2, 1)},
      {"slliw", slliw(zero, a2, 1)},        {"srliw", srliw(zero, a2, 1)},
      {"sraiw", sraiw(zero, a2, 1)},        {"addw", addw(zero, a1, a2)},
      {"subw", subw(zero, a1, a2)},         {"sllw", sllw(zero, a1, a2)},
      {"srlw", srlw(zero, a1, a2)},         {"sraw", sraw(zero, a1, a2)},
      {"lb", lb(zero, a1, 0)},              {"lh", lh(zero, a1, 0)},
      {"lw", lw(zero, a1, 0)},              {"ld", ld(zero, a1, 0)},
      {"lbu", lbu(zero, a1, 0)},            {"lhu", lhu(zero, a1, 0)},
      {"lwu", lwu(zero, a1, 0)},            {"mul", mul(zero, a1, a2)},
      {"mulh", mulh(zero, a1, a2)},         {"mulhsu", mulhsu(zero, a1, a2)},
      {"mulhu", mulhu(zero, a1, a2)},       {"div", div(zero, a1, zero)},
      {"divu", divu(zero, a1, zero)},       {"rem", rem(zero, a1, a2)},
      {"remu", remu(zero, a1, a2)},         {"mulw", mulw(zero, a1, a2)},
      {"divw", divw(zero, a1, zero)},       {"divuw", divuw(zero, a1, zero)},
      {"remw", remw(zero, a1, a2)},         {"remuw", remuw(zero, a1, a2)},
      {"lr.d", lr_d(zero, a1)},             {"sc.d", sc_d(zero, a2, a1)},
      {"lr.w", lr_w(zero, a1)},             {"sc.w", sc_w(zero, a2, a1)},
      {"amoswap.d", amoswap_d(zero, a2, a1)}, {"amoadd.w", amoadd_w(zero, a2, a1)},
      {"csrrs", csrrs(zero, csrn::mscratch, a2)}, {"csrrw", csrrw(zero, csrn::mscratch, a2)},
      {"csrrsi", csrrsi(zero, csrn::minstret, 0)},
      {"fcvt.w.s", fcvt_w_s(zero, 1)},      {"fmv.x.w", fmv_x_w(zero, 1)},
      {"fmv.x.d", fmv_x_d(zero, 1)},        {"feq.s", feq_s(zero, 1, 1)},
      {"fclass.s", fclass_s(zero, 1)},      {"fcvt.lu.d", fcvt_lu_d(zero, 1)},
      {"c.li", c_li(zero, 5)},              {"c.lui", c_lui(zero, 0x1000)},
      {"c.mv", c_mv(zero, a2)},             {"c.add", c_add(zero, a2)},
      {"c.slli", c_slli(zero, 1)},          {"c.addi", c_addi(zero, 1)},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    run(c.insn);
    EXPECT_EQ(x(zero), 0u);
    run(add(t0, zero, zero));  // read x0 architecturally
    EXPECT_EQ(x(t0), 0u);
    run(addi(t1, zero, 0));
    EXPECT_EQ(x(t1), 0u);
  }
  // Side effects of instructions with rd = x0 still happen.
  EXPECT_EQ(read_data<u32>(kData), 0x1234u + 0x1234u) << "sc.d stored 0x1234, amoadd.w added 0x1234";
  EXPECT_EQ(csr(csrn::mscratch), 0x1234u);
  Addr p = pc();
  run_jump(jal(zero, 16), p + 16);
  EXPECT_EQ(x(zero), 0u);
  set_x(a3, kRamBase + 0x800);
  run_jump(jalr(zero, a3, 0), kRamBase + 0x800);
  EXPECT_EQ(x(zero), 0u);
}

}  // namespace
}  // namespace orrery::riscv::test
