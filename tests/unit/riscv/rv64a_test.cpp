// "A" extension: LR/SC and AMOs, with expectations from the unprivileged
// spec ("A" chapter):
//   * LR.W and AMO*.W sign-extend the 32-bit value loaded into rd;
//   * AMO*.W use only rs2[31:0]; MIN/MAX compare signed, MINU/MAXU unsigned;
//   * SC writes 0 to rd on success, 1 ("unspecified failure") otherwise, and
//     does not write memory when it fails; every SC invalidates the
//     reservation; an SC to an address outside the reservation set fails;
//   * aq/rl only add ordering constraints and do not change results.
// Misaligned and faulting atomics are covered in traps_test.cpp.
#include <gtest/gtest.h>

#include <cstdint>

#include "rv_test.hpp"

namespace orrery::riscv::test {
namespace {

using namespace enc;

class Rv64aTest : public RvTest {
 protected:
  void SetUp() override {
    const u64 guard = 0xA5A5'A5A5'A5A5'A5A5ull;
    for (int i = -1; i <= 2; ++i) put_data(kData + 8 * i, &guard, 8);
    set_x(a1, kData);
  }
};

using AmoEnc = u32 (*)(u32, u32, u32, bool, bool);

struct AmoCase {
  const char* name;
  AmoEnc enc;
  u64 mem, src;      // memory before, rs2
  u64 mem_after;     // memory after (the operand width only)
};

// .W: memory is a 32-bit word; rd = sign-extended old word; rs2 upper bits
// are garbage that must be ignored.
TEST_F(Rv64aTest, WordAmos) {
  const u64 junk = 0xDEAD'BEEF'0000'0000ull;
  const AmoCase cases[] = {
      {"amoswap.w", amoswap_w, 0x8000'0001, junk | 0x1234'5678, 0x1234'5678},
      {"amoadd.w", amoadd_w, 0x7FFF'FFFF, junk | 1, 0x8000'0000},
      {"amoadd.w wrap", amoadd_w, 0xFFFF'FFFF, junk | 2, 0x0000'0001},
      {"amoxor.w", amoxor_w, 0xFF00'FF00, junk | 0x0FF0'0FF0, 0xF0F0'F0F0},
      {"amoand.w", amoand_w, 0xFF00'FF00, junk | 0x0FF0'0FF0, 0x0F00'0F00},
      {"amoor.w", amoor_w, 0xFF00'FF00, junk | 0x0FF0'0FF0, 0xFFF0'FFF0},
      {"amomin.w", amomin_w, 0xFFFF'FFFF, junk | 1, 0xFFFF'FFFF},   // -1 < 1
      {"amomin.w b", amomin_w, 5, junk | 0x8000'0000, 0x8000'0000},  // INT_MIN < 5
      {"amomax.w", amomax_w, 0xFFFF'FFFF, junk | 1, 1},
      {"amomax.w b", amomax_w, 0x8000'0000, junk | 0x7FFF'FFFF, 0x7FFF'FFFF},
      {"amominu.w", amominu_w, 0xFFFF'FFFF, junk | 1, 1},
      {"amominu.w b", amominu_w, 0x8000'0000, 0x1'7FFF'FFFFull, 0x7FFF'FFFF},
      {"amomaxu.w", amomaxu_w, 0xFFFF'FFFF, junk | 1, 0xFFFF'FFFF},
      {"amomaxu.w b", amomaxu_w, 1, 0xFFFF'FFFF'0000'0000ull, 1},  // rs2 low word is 0
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    SetUp();
    const u32 old = static_cast<u32>(c.mem);
    put_data(kData, &old, 4);
    set_x(a2, c.src);
    run(c.enc(a0, a2, a1, false, false));
    EXPECT_EQ(x(a0), static_cast<u64>(static_cast<i64>(static_cast<i32>(old))));
    EXPECT_EQ(read_data<u32>(kData), static_cast<u32>(c.mem_after));
    EXPECT_EQ(read_data<u32>(kData + 4), 0xA5A5'A5A5u) << "the next word must not change";
    EXPECT_EQ(read_data<u64>(kData - 8), 0xA5A5'A5A5'A5A5'A5A5ull);
    EXPECT_EQ(x(a2), c.src) << "rs2 is not modified";
  }
}

TEST_F(Rv64aTest, DoublewordAmos) {
  const u64 m1 = ~0ull, min = 1ull << 63;
  const AmoCase cases[] = {
      {"amoswap.d", amoswap_d, 0x8000'0000'0000'0001ull, 0x1234'5678'9ABC'DEF0ull, 0x1234'5678'9ABC'DEF0ull},
      {"amoadd.d", amoadd_d, 0x7FFF'FFFF'FFFF'FFFFull, 1, min},
      {"amoadd.d carry", amoadd_d, 0xFFFF'FFFF, 1, 0x1'0000'0000ull},
      {"amoxor.d", amoxor_d, 0xFF00'FF00'FF00'FF00ull, 0x0FF0'0FF0'0FF0'0FF0ull, 0xF0F0'F0F0'F0F0'F0F0ull},
      {"amoand.d", amoand_d, 0xFF00'FF00'FF00'FF00ull, 0x0FF0'0FF0'0FF0'0FF0ull, 0x0F00'0F00'0F00'0F00ull},
      {"amoor.d", amoor_d, 0xFF00'FF00'FF00'FF00ull, 0x0FF0'0FF0'0FF0'0FF0ull, 0xFFF0'FFF0'FFF0'FFF0ull},
      {"amomin.d", amomin_d, m1, 1, m1},
      {"amomin.d b", amomin_d, 0xFFFF'FFFF, min, min},  // 2^32-1 is positive in 64 bits
      {"amomax.d", amomax_d, m1, 1, 1},
      {"amomax.d b", amomax_d, 0xFFFF'FFFF, 1, 0xFFFF'FFFF},
      {"amominu.d", amominu_d, m1, 1, 1},
      {"amominu.d b", amominu_d, min, min - 1, min - 1},
      {"amomaxu.d", amomaxu_d, m1, 1, m1},
      {"amomaxu.d b", amomaxu_d, 0xFFFF'FFFF, min, min},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    SetUp();
    put_data(kData, &c.mem, 8);
    set_x(a2, c.src);
    run(c.enc(a0, a2, a1, false, false));
    EXPECT_EQ(x(a0), c.mem);
    EXPECT_EQ(read_data<u64>(kData), c.mem_after);
    EXPECT_EQ(read_data<u64>(kData + 8), 0xA5A5'A5A5'A5A5'A5A5ull);
    EXPECT_EQ(read_data<u64>(kData - 8), 0xA5A5'A5A5'A5A5'A5A5ull);
  }
}

TEST_F(Rv64aTest, OrderingBitsDoNotChangeResults) {
  for (int bits = 0; bits < 4; ++bits) {
    const bool aq = bits & 2, rl = bits & 1;
    SCOPED_TRACE("aq=" + std::to_string(aq) + " rl=" + std::to_string(rl));
    const u64 v = 10;
    put_data(kData, &v, 8);
    set_x(a2, 5);
    run(amoadd_d(a0, a2, a1, aq, rl));
    EXPECT_EQ(x(a0), 10u);
    EXPECT_EQ(read_data<u64>(kData), 15u);
    run(amoadd_w(a0, a2, a1, aq, rl));
    EXPECT_EQ(x(a0), 15u);
    EXPECT_EQ(read_data<u64>(kData), 20u);
    run(lr_d(a3, a1, aq, rl));
    EXPECT_EQ(x(a3), 20u);
    set_x(a4, 77);
    run(sc_d(a5, a4, a1, aq, rl));
    EXPECT_EQ(x(a5), 0u);
    EXPECT_EQ(read_data<u64>(kData), 77u);
    run(lr_w(a3, a1, aq, rl));
    EXPECT_EQ(x(a3), 77u);
    set_x(a4, 0xFFFF'FFFF'8888'8888ull);
    run(sc_w(a5, a4, a1, aq, rl));
    EXPECT_EQ(x(a5), 0u);
    EXPECT_EQ(read_data<u64>(kData), 0x8888'8888u);
  }
}

TEST_F(Rv64aTest, AmoDestinationAliasesSource) {
  // amoswap.d a2, a2, (a1): rd gets the old memory, memory gets the old a2.
  const u64 v = 111;
  put_data(kData, &v, 8);
  set_x(a2, 222);
  run(amoswap_d(a2, a2, a1));
  EXPECT_EQ(x(a2), 111u);
  EXPECT_EQ(read_data<u64>(kData), 222u);
  // rd == rs1: the address is read before rd is written.
  run(amoadd_d(a1, a2, a1));
  EXPECT_EQ(x(a1), 222u);
  EXPECT_EQ(read_data<u64>(kData), 333u);
}

TEST_F(Rv64aTest, AmoWithX0DestinationStillUpdatesMemory) {
  const u32 v = 40;
  put_data(kData, &v, 4);
  set_x(a2, 2);
  run(amoadd_w(zero, a2, a1));
  EXPECT_EQ(x(zero), 0u);
  EXPECT_EQ(read_data<u32>(kData), 42u);
}

TEST_F(Rv64aTest, LrWSignExtendsAndScWStoresLowWord) {
  const u32 v = 0x8000'0000;
  put_data(kData, &v, 4);
  run(lr_w(a0, a1));
  EXPECT_EQ(x(a0), 0xFFFF'FFFF'8000'0000ull);
  set_x(a2, 0x1111'1111'2222'2222ull);
  run(sc_w(a3, a2, a1));
  EXPECT_EQ(x(a3), 0u);
  EXPECT_EQ(read_data<u32>(kData), 0x2222'2222u);
  EXPECT_EQ(read_data<u32>(kData + 4), 0xA5A5'A5A5u);
}

TEST_F(Rv64aTest, LrDScD) {
  const u64 v = 0x8765'4321'0FED'CBA9ull;
  put_data(kData, &v, 8);
  run(lr_d(a0, a1));
  EXPECT_EQ(x(a0), v);
  set_x(a2, 0x0123'4567'89AB'CDEFull);
  run(sc_d(a3, a2, a1));
  EXPECT_EQ(x(a3), 0u);
  EXPECT_EQ(read_data<u64>(kData), 0x0123'4567'89AB'CDEFull);
}

TEST_F(Rv64aTest, ScWithoutReservationFails) {
  const u64 v = 5;
  put_data(kData, &v, 8);
  set_x(a2, 9);
  run(sc_d(a3, a2, a1));
  EXPECT_EQ(x(a3), 1u);
  EXPECT_EQ(read_data<u64>(kData), 5u);
  run(sc_w(a3, a2, a1));
  EXPECT_EQ(x(a3), 1u);
  EXPECT_EQ(read_data<u64>(kData), 5u);
}

TEST_F(Rv64aTest, ScInvalidatesTheReservation) {
  const u64 v = 5;
  put_data(kData, &v, 8);
  run(lr_d(a0, a1));
  set_x(a2, 6);
  run(sc_d(a3, a2, a1));
  EXPECT_EQ(x(a3), 0u);
  set_x(a2, 7);
  run(sc_d(a3, a2, a1));  // the first SC consumed the reservation
  EXPECT_EQ(x(a3), 1u);
  EXPECT_EQ(read_data<u64>(kData), 6u);
}

TEST_F(Rv64aTest, FailedScAlsoInvalidatesTheReservation) {
  const Addr far = kData + 0x20000;  // not in any reasonable reservation set of kData
  const u64 v = 5;
  put_data(kData, &v, 8);
  put_data(far, &v, 8);
  run(lr_d(a0, a1));
  set_x(a4, far);
  set_x(a2, 6);
  run(sc_d(a3, a2, a4));  // different address: must fail
  EXPECT_EQ(x(a3), 1u);
  EXPECT_EQ(read_data<u64>(far), 5u);
  run(sc_d(a3, a2, a1));  // the failed SC invalidated the reservation
  EXPECT_EQ(x(a3), 1u);
  EXPECT_EQ(read_data<u64>(kData), 5u);
}

TEST_F(Rv64aTest, LrToX0StillReserves) {
  const u64 v = 5;
  put_data(kData, &v, 8);
  run(lr_d(zero, a1));
  EXPECT_EQ(x(zero), 0u);
  set_x(a2, 8);
  run(sc_d(zero, a2, a1));
  EXPECT_EQ(read_data<u64>(kData), 8u);
  EXPECT_EQ(x(zero), 0u);
}

TEST_F(Rv64aTest, LrWithNonzeroRs2IsReserved) {
  // LR's rs2 field must be 00000.
  expect_illegal(amo_type(LR, kW, a0, a1, a2, false, false));
  expect_illegal(amo_type(LR, kD, a0, a1, 1, true, true));
}

TEST_F(Rv64aTest, UndefinedAtomicEncodingsAreIllegal) {
  expect_illegal(amo_type(0b00101, kW, a0, a1, a2, false, false));  // no such funct5
  expect_illegal(amo_type(AMOADD, 0, a0, a1, a2, false, false));    // .B is Zabha, not implemented
  expect_illegal(amo_type(AMOADD, 4, a0, a1, a2, false, false));    // .Q does not exist on RV64
}

// Scheduling, not architecture: an atomic write asks the machine not to
// switch harts for a few instructions (core Hart::preemption_grace).
TEST_F(Rv64aTest, AtomicWritesAskForAPreemptionGraceAndFailedScDoesNot) {
  EXPECT_EQ(hart_->preemption_grace(), 0u);
  set_x(a2, 9);
  run(sc_d(a3, a2, a1));  // no reservation: fails, writes nothing
  EXPECT_EQ(hart_->preemption_grace(), 0u);
  run(lr_d(a0, a1));
  EXPECT_EQ(hart_->preemption_grace(), 0u) << "LR only reads";
  run(sc_d(a3, a2, a1));
  const u64 grace = hart_->preemption_grace();
  EXPECT_GT(grace, 0u);
  run(addi(a4, a4, 1));
  EXPECT_EQ(hart_->preemption_grace(), grace - 1) << "the grace counts down per retired instruction";
  run(amoadd_w(zero, a2, a1));
  EXPECT_EQ(hart_->preemption_grace(), grace) << "an AMO restarts it";
}

}  // namespace
}  // namespace orrery::riscv::test
