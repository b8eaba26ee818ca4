// --lockstep's comparator: two machines built alike stay identical, and a
// difference in registers or in memory is reported, registers within one
// chunk of where it arises.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>

#include "orrery/core/machine.hpp"
#include "orrery/platforms/lockstep.hpp"
#include "orrery/platforms/riscv_virt.hpp"
#include "temp_image.hpp"

namespace orrery {
namespace {

constexpr std::uint32_t kAddiA0By1 = 0x00150513;  // addi a0, a0, 1
constexpr std::uint32_t kAddiA0By2 = 0x00250513;  // addi a0, a0, 2
constexpr std::uint32_t kJumpBack4 = 0xffdff06f;  // jal zero, -4

std::string write_counter_kernel() { return test::write_words("lockstep", {kAddiA0By1, kJumpBack4}); }

struct Pair {
  Machine a, b;
  StringBackend console_a, console_b;
  Pair() {
    RiscvVirtConfig config;
    config.bios = "none";
    config.kernel = write_counter_kernel();
    config.rtc_base_ns = 0;
    config.rtc_follows_guest = true;
    a.set_engine(make_engine("threaded"));
    b.set_engine(make_engine("interp"));
    build_riscv_virt(a, config, console_a);
    build_riscv_virt(b, config, console_b);
  }
  LockstepResult run(std::uint64_t max_insns, std::string& report) {
    std::ostringstream out, err;
    const LockstepResult r = run_lockstep(a, console_a, b, console_b, max_insns, out, err);
    report = err.str();
    return r;
  }
};

TEST(Lockstep, IdenticalMachinesStayIdentical) {
  Pair p;
  std::string report;
  const LockstepResult r = p.run(50'000, report);
  EXPECT_FALSE(r.diverged) << report;
  EXPECT_TRUE(r.instruction_limit);
  EXPECT_EQ(r.executed, 50'000u);
  EXPECT_GT(r.slices, 1u);
}

TEST(Lockstep, ARegisterDifferenceIsReportedWithinOneChunk) {
  Pair p;
  std::uint64_t insn = kAddiA0By2;
  ASSERT_TRUE(p.b.bus().write(virt_map::kDram, 4, insn));  // only the reference counts by 2
  std::string report;
  const LockstepResult r = p.run(50'000, report);
  ASSERT_TRUE(r.diverged);
  EXPECT_NE(report.find("divergence in slice 1"), std::string::npos) << report;
  EXPECT_NE(report.find("a0"), std::string::npos) << report;
  // "hart 0 (instret N under interp)": N is where the reference was.
  const std::size_t at = report.find("(instret ");
  ASSERT_NE(at, std::string::npos) << report;
  const std::uint64_t instret = std::stoull(report.substr(at + 9));
  EXPECT_LE(instret, kResetRomInstructions + kLockstepChunk) << "found in the first chunk";
}

TEST(Lockstep, AMemoryDifferenceIsReported) {
  Pair p;
  std::uint64_t junk = 0x5a;
  ASSERT_TRUE(p.b.bus().write(virt_map::kDram + 0x100000, 1, junk));  // never read by the guest
  std::string report;
  const LockstepResult r = p.run(20'000, report);
  ASSERT_TRUE(r.diverged);
  EXPECT_NE(report.find("memory 0x80100000"), std::string::npos) << report;
}

}  // namespace
}  // namespace orrery

namespace orrery {
namespace {

// Running a slice in chunks (what --lockstep does) never changes what the
// guest sees: same instructions, same guest time, on every hart.
TEST(Lockstep, ChunkedSlicesRunLikeWholeOnes) {
  RiscvVirtConfig config;
  config.bios = "none";
  config.kernel = write_counter_kernel();
  config.harts = 3;
  config.rtc_base_ns = 0;
  config.rtc_follows_guest = true;
  Machine whole, chunked;
  StringBackend c1, c2;
  build_riscv_virt(whole, config, c1);
  build_riscv_virt(chunked, config, c2);
  const RunOutcome w = whole.run(100'003);
  chunked.start_run(100'003);
  RunOutcome c;
  std::uint64_t steps = 0;
  while (chunked.begin_slice(c)) {
    while (!chunked.step_slice(7)) ++steps;
    if (!chunked.end_slice(c)) break;
  }
  EXPECT_GT(steps, 1000u);
  EXPECT_EQ(c.executed, w.executed);
  EXPECT_EQ(chunked.now(), whole.now());
  EXPECT_EQ(chunked.slices(), whole.slices());
  for (std::size_t i = 0; i < whole.harts().size(); ++i) {
    EXPECT_EQ(chunked.harts()[i]->retired(), whole.harts()[i]->retired()) << "hart " << i;
    EXPECT_EQ(chunked.harts()[i]->state_fingerprint(), whole.harts()[i]->state_fingerprint()) << "hart " << i;
  }
}

}  // namespace
}  // namespace orrery

namespace orrery {
namespace {

TEST(Lockstep, MachinesWithDifferentMemoryMapsAreRefused) {
  RiscvVirtConfig small;
  small.bios = "none";
  small.kernel = write_counter_kernel();
  RiscvVirtConfig large = small;
  large.ram_size = 256ull << 20;
  Machine a, b;
  StringBackend ca, cb;
  build_riscv_virt(a, small, ca);
  build_riscv_virt(b, large, cb);
  std::ostringstream out, err;
  EXPECT_THROW(run_lockstep(a, ca, b, cb, 1000, out, err), Error);
}

}  // namespace
}  // namespace orrery
