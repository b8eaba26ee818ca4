// The commit trace (--trace and its --trace-* flags) and the hart's -d log
// lines. Expected records follow Spike's --log-commits format (riscv-isa-sim,
// riscv/execute.cc): " mem 0xADDR" for a read, " mem 0xADDR 0xVALUE" for a
// write with VALUE as many hex digits as the access has nibbles, and
// " c<number>_<name> 0x<16 digits>" for a CSR write.
#include <gtest/gtest.h>

#include <cstdio>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "encode.hpp"
#include "hart_fixture.hpp"
#include "orrery/core/trace.hpp"

namespace orrery::riscv::test {
namespace {

using namespace enc;

// Everything written to a tmpfile, as lines.
std::vector<std::string> read_lines(std::FILE* f) {
  std::fflush(f);
  std::rewind(f);
  std::string text;
  char buf[4096];
  for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, f)) > 0;) text.append(buf, n);
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

class TraceTest : public HartTest {
 protected:
  TraceTest() {
    // One PMP entry over all memory (NAPOT, RWX), so that S-mode may run.
    hart_->pmpaddr_[0] = (1ull << 54) - 1;
    hart_->pmpcfg_[0] = (3 << 3) | 7;
    hart_->pmp_changed();
  }
  ~TraceTest() override {
    hart_->set_trace(nullptr);
    hart_->set_log(nullptr, 0);
    writer_.reset();
    log_.reset();
    if (file_) std::fclose(file_);
  }
  // Trace to a fresh tmpfile; by default as Spike prints it (no disassembly).
  void trace(TraceConfig config) {
    file_ = std::tmpfile();
    ASSERT_NE(file_, nullptr);
    writer_ = std::make_unique<TraceWriter>(file_, std::move(config));
    hart_->set_trace(writer_.get());
  }
  static TraceConfig spike(bool mem = true, bool csr = true) {
    TraceConfig c;
    c.mem = mem;
    c.csr = csr;
    c.disasm = false;
    return c;
  }
  void log(unsigned categories) {
    file_ = std::tmpfile();
    ASSERT_NE(file_, nullptr);
    log_ = std::make_unique<DebugLog>(file_, categories);
    hart_->set_log(log_.get(), categories);
  }
  std::vector<std::string> lines() { return read_lines(file_); }
  std::string only_line() {
    const std::vector<std::string> l = lines();
    EXPECT_EQ(l.size(), 1u);
    return l.empty() ? "" : l.back();
  }
  // Run insn at the current pc, expecting it to retire.
  void run(std::uint32_t insn) {
    const std::uint64_t before = hart_->retired();
    exec(insn);
    ASSERT_EQ(hart_->retired(), before + 1) << "the instruction trapped";
  }

  std::FILE* file_ = nullptr;
  std::unique_ptr<TraceWriter> writer_;
  std::unique_ptr<DebugLog> log_;
};

constexpr Addr kData = kRamBase + 0x8000;

TEST_F(TraceTest, DefaultLineIsSpikeLayoutWithDisassembly) {
  trace({});
  run(addi(t0, zero, 5));
  EXPECT_EQ(only_line(), "core   0: 3 0x0000000080000000 (0x00500293) x5  0x0000000000000005 ; addi    t0, zero, 5");
}

TEST_F(TraceTest, NoMemoryOrCsrRecordsUnlessAsked) {
  trace({});
  hart_->set_x(a0, kData);
  run(sd(a0, a0, 0));
  run(csrrw(zero, csr::mscratch, a0));
  for (const std::string& l : lines()) {
    EXPECT_EQ(l.find(" mem "), std::string::npos) << l;
    EXPECT_EQ(l.find(" c832_"), std::string::npos) << l;
  }
}

TEST_F(TraceTest, LoadRecordsTheAddressBeforeTheLoadOverwritesItsBase) {
  trace(spike());
  const std::uint64_t value = 0x1122334455667788;
  put_data(kData + 8, &value, 8);
  hart_->set_x(a0, kData);
  run(ld(a0, a0, 8));
  EXPECT_EQ(only_line(),
            "core   0: 3 0x0000000080000000 (0x00853503) x10 0x1122334455667788 mem 0x0000000080008008");
}

TEST_F(TraceTest, StoreValueHasTheWidthOfTheAccess) {
  trace(spike());
  hart_->set_x(a0, kData);
  hart_->set_x(t0, 0x123456789abcde2a);
  run(sb(t0, a0, 1));
  run(sh(t0, a0, 2));
  run(sw(t0, a0, 4));
  run(sd(t0, a0, 8));
  const std::vector<std::string> l = lines();
  ASSERT_EQ(l.size(), 4u);
  EXPECT_TRUE(l[0].ends_with(") mem 0x0000000080008001 0x2a")) << l[0];
  EXPECT_TRUE(l[1].ends_with(") mem 0x0000000080008002 0xde2a")) << l[1];
  EXPECT_TRUE(l[2].ends_with(") mem 0x0000000080008004 0x9abcde2a")) << l[2];
  EXPECT_TRUE(l[3].ends_with(") mem 0x0000000080008008 0x123456789abcde2a")) << l[3];
}

TEST_F(TraceTest, FloatingPointStoreWritesTheRegisterBits) {
  enable_fp();
  trace(spike());
  hart_->set_x(a0, kData);
  hart_->set_f64(1, 0x400921fb54442d18);  // pi
  run(fsd(1, a0, -16));
  EXPECT_TRUE(only_line().ends_with(") mem 0x0000000080007ff0 0x400921fb54442d18"));
}

TEST_F(TraceTest, CompressedLoadUsesTheExpandedOperands) {
  trace(spike());
  const std::uint32_t value = 0xcafef00d;
  put_data(kData + 4, &value, 4);
  hart_->set_x(s0, kData);
  run(c_lw(a0, s0, 4));
  EXPECT_EQ(only_line(), "core   0: 3 0x0000000080000000 (0x4048) x10 0xffffffffcafef00d mem 0x0000000080008004");
}

TEST_F(TraceTest, AmoIsAReadThenTheWriteOfTheResultEvenWithoutRd) {
  trace(spike());
  const std::uint64_t old = 5;
  put_data(kData, &old, 8);
  hart_->set_x(s0, kData);
  hart_->set_x(a5, 7);
  run(amoadd_d(zero, a5, s0));
  EXPECT_TRUE(only_line().ends_with(") mem 0x0000000080008000 mem 0x0000000080008000 0x000000000000000c"));
  EXPECT_EQ(read_data<std::uint64_t>(kData), 12u);
}

TEST_F(TraceTest, StoreConditionalWritesOnlyWithTheReservation) {
  trace(spike());
  hart_->set_x(s0, kData);
  hart_->set_x(a5, 0x1234);
  run(lr_w(a1, s0));
  run(sc_w(a1, a5, s0));  // holds the reservation: writes, a1 = 0
  run(sc_w(a1, a5, s0));  // the reservation is gone: fails, a1 = 1
  const std::vector<std::string> l = lines();
  ASSERT_EQ(l.size(), 3u);
  EXPECT_TRUE(l[0].ends_with(" x11 0x0000000000000000 mem 0x0000000080008000")) << l[0];
  EXPECT_TRUE(l[1].ends_with(" x11 0x0000000000000000 mem 0x0000000080008000 0x00001234")) << l[1];
  EXPECT_TRUE(l[2].ends_with(" x11 0x0000000000000001")) << l[2];
}

TEST_F(TraceTest, CsrWriteInSpikeSpelling) {
  trace(spike());
  hart_->set_x(t0, 0xabc0);
  run(csrrw(zero, csr::mscratch, t0));
  EXPECT_EQ(only_line(), "core   0: 3 0x0000000080000000 (0x34029073) c832_mscratch 0x000000000000abc0");
}

TEST_F(TraceTest, CsrReadsWithoutWriteHaveNoCsrRecord) {
  trace(spike());
  run(csrrs(a0, csr::mscratch, zero));
  run(csrrci(a0, csr::mscratch, 0));
  for (const std::string& l : lines()) EXPECT_EQ(l.find(" c832_"), std::string::npos) << l;
}

TEST_F(TraceTest, CsrNumberedBelowRdComesFirstAsInSpike) {
  enable_fp();
  trace(spike());
  hart_->set_x(t0, 0x1f);
  run(csrrw(a0, csr::fflags, t0));  // fflags (1) < a0 (10)
  hart_->set_x(t0, 0x55);
  run(csrrw(a0, csr::mscratch, t0));  // mscratch (0x340) > a0
  const std::vector<std::string> l = lines();
  ASSERT_EQ(l.size(), 2u);
  EXPECT_TRUE(l[0].ends_with(") c1_fflags 0x000000000000001f x10 0x0000000000000000")) << l[0];
  EXPECT_TRUE(l[1].ends_with(") x10 0x0000000000000000 c832_mscratch 0x0000000000000055")) << l[1];
}

TEST_F(TraceTest, MretLineShowsThePrivilegeItRanIn) {
  trace(spike());
  hart_->mstatus_ |= Addr{kPrivS} << mstatus::MPP_SHIFT;
  hart_->mepc_ = kRamBase + 0x100;
  run(mret());
  run(addi(t0, zero, 1));
  const std::vector<std::string> l = lines();
  ASSERT_EQ(l.size(), 2u);
  EXPECT_TRUE(l[0].starts_with("core   0: 3 0x0000000080000000 ")) << l[0];
  EXPECT_TRUE(l[1].starts_with("core   0: 1 0x0000000080000100 ")) << l[1];
}

TEST_F(TraceTest, PcRangesSelectInstructions) {
  TraceConfig c = spike();
  c.pcs = {{kRamBase + 4, kRamBase + 8}, {kRamBase + 12, kRamBase + 16}};
  trace(c);
  for (int i = 0; i < 5; ++i) run(addi(t0, t0, 1));
  const std::vector<std::string> l = lines();
  ASSERT_EQ(l.size(), 2u);
  EXPECT_NE(l[0].find(" 0x0000000080000004 "), std::string::npos) << l[0];
  EXPECT_NE(l[1].find(" 0x000000008000000c "), std::string::npos) << l[1];
}

TEST_F(TraceTest, ModeFilterUsesTheModeTheInstructionRanIn) {
  TraceConfig c = spike();
  c.modes = 1u << RiscvHart::kModeS;
  trace(c);
  run(addi(t0, zero, 1));  // M: left out
  hart_->mstatus_ |= Addr{kPrivS} << mstatus::MPP_SHIFT;
  hart_->mepc_ = kRamBase + 0x100;
  run(mret());             // runs in M: left out
  run(addi(t0, zero, 2));  // S
  EXPECT_TRUE(only_line().starts_with("core   0: 1 0x0000000080000100 "));
}

TEST_F(TraceTest, HartFilter) {
  TraceConfig c = spike();
  c.harts = 1u << 1;  // hart 1 only; this machine's hart is 0
  trace(c);
  run(addi(t0, zero, 1));
  EXPECT_TRUE(lines().empty());
}

TEST_F(TraceTest, WindowCountsEveryRetiredInstructionAndThenDetaches) {
  TraceConfig c = spike();
  c.window_begin = 2;
  c.window_end = 4;
  c.modes = 0;  // filtered out or not, every instruction counts
  trace(c);
  for (int i = 0; i < 8; ++i) run(addi(t0, t0, 1));
  EXPECT_TRUE(lines().empty());
  // Indices 0-3 counted and the fifth instruction (index 4) ended the
  // window: the hart stopped tracing there, so nothing counted after it.
  EXPECT_EQ(writer_->next_index(), 5u);
}

TEST_F(TraceTest, WindowSelectsByIndex) {
  TraceConfig c = spike();
  c.window_begin = 2;
  c.window_end = 4;
  trace(c);
  for (int i = 0; i < 6; ++i) run(addi(t0, t0, 1));
  const std::vector<std::string> l = lines();
  ASSERT_EQ(l.size(), 2u);
  EXPECT_NE(l[0].find(" 0x0000000080000008 "), std::string::npos) << l[0];
  EXPECT_NE(l[1].find(" 0x000000008000000c "), std::string::npos) << l[1];
}

TEST_F(TraceTest, TrappedInstructionsAreNotTracedNorCounted) {
  trace(spike());
  hart_->mtvec_ = kRamBase + 0x200;
  exec(0);  // illegal
  EXPECT_TRUE(lines().empty());
  EXPECT_EQ(writer_->next_index(), 0u);
}

TEST_F(TraceTest, ExceptionLogLine) {
  log(log_category::kException);
  hart_->mtvec_ = kRamBase + 0x200;
  exec(0x0000);  // the all-zero 16-bit encoding is reserved: illegal
  EXPECT_EQ(only_line(),
            "exc: hart 0: illegal instruction (cause 2) at epc 0x0000000080000000, tval 0x0000000000000000, "
            "M -> M, handler 0x0000000080000200");
}

TEST_F(TraceTest, NoExceptionLineWhenTheCategoryIsOff) {
  log(log_category::kInterrupt | log_category::kMmu | log_category::kDevice);
  hart_->mtvec_ = kRamBase + 0x200;
  exec(0x0000);
  EXPECT_EQ(hart_->mcause_, kIllegalInsn);
  EXPECT_TRUE(lines().empty());
}

TEST_F(TraceTest, InterruptLogLine) {
  log(log_category::kInterrupt);
  hart_->mtvec_ = (kRamBase + 0x200) | 1;  // vectored: timer at base + 4 * 7
  hart_->mie_ = irq_bit(kIrqMTI);
  hart_->mstatus_ |= mstatus::MIE;
  hart_->set_interrupt_line(kIrqMTI, true);
  exec(addi(t0, zero, 1));
  const std::string l = only_line();
  EXPECT_EQ(l, "int: hart 0: machine timer interrupt (cause 7) at epc 0x0000000080000000, M -> M, handler "
               "0x000000008000021c");
}

TEST_F(TraceTest, PageFaultLogLineNamesTheRegime) {
  log(log_category::kMmu);
  // Sv39 with an all-zero root table: nothing is mapped below M.
  const Addr root = kRamBase + 0x10000;
  hart_->satp_ = (8ull << 60) | (root >> 12);
  hart_->mtvec_ = kRamBase + 0x200;
  hart_->mstatus_ |= Addr{kPrivS} << mstatus::MPP_SHIFT;
  hart_->mepc_ = 0x1000;
  run(mret());
  hart_->interpret(1);  // the fetch at 0x1000 faults
  EXPECT_EQ(hart_->mcause_, kInsnPageFault);
  EXPECT_EQ(only_line(), "mmu: hart 0: fetch page fault at va 0x0000000000001000, sv39 (satp 0x8000000000080010)");
}

}  // namespace
}  // namespace orrery::riscv::test
