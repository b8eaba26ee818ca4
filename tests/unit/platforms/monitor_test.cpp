// The monitor's commands (monitor.hpp) on a two-hart virt machine in M-mode;
// monitor.console drives them on a terminal with paging on.
#include "orrery/platforms/monitor.hpp"

#include <gtest/gtest.h>

#include "orrery/platforms/char_backend.hpp"
#include "temp_image.hpp"

namespace orrery {
namespace {

class MonitorTest : public ::testing::Test {
 protected:
  MonitorTest() {
    // addi a0, a0, 1; then a data word -1; then j .
    config_.bios = "none";
    config_.harts = 2;
    config_.kernel = test::write_words("monitor_kernel", {0x00150513, 0xffffffff, 0x0000006f});
    build_riscv_virt(machine_, config_, console_);
  }
  bool has(std::string_view command, std::string_view text) {
    const std::string out = monitor_.execute(command);
    const bool found = out.find(text) != std::string::npos;
    EXPECT_TRUE(found) << command << " printed:\n" << out;
    return found;
  }

  RiscvVirtConfig config_;
  Machine machine_;
  StringBackend console_;
  Monitor monitor_{machine_, config_, [] { return 1.0; }};
};

TEST_F(MonitorTest, InfoCommands) {
  EXPECT_EQ(monitor_.execute(""), "");
  has("help", "savevm FILE");
  has("info registers", "hart 0 (rv64");
  EXPECT_EQ(monitor_.execute("info registers").find("hart 1"), std::string::npos);
  has("info registers -a", "hart 1 (rv64");
  has("info registers -x", "the only option is -a");
  has("info cpus", "* CPU #0: pc=0x0000000000001000 priv=3");
  has("info mtree", "0000000080000000-0000000087ffffff (ram): riscv_virt_board.ram");
  has("info mtree", "0000000010000000-00000000100000ff (i/o): serial (ns16550a)");
  has("info mem", "M-mode: no translation");
  has("info tlb", "M-mode: no translation");
  has("info frob", "info frob: unknown (available:");
  has("frobnicate", "unknown command: 'frobnicate'");
  has("stats", "instructions retired: 0");
}

TEST_F(MonitorTest, SelectsHarts) {
  has("cpu 2", "cpu: give a hart number from 0 to 1");
  has("cpu x", "cpu: give a hart number");
  EXPECT_EQ(monitor_.execute("cpu 1"), "");
  has("info cpus", "* CPU #1:");
  has("info registers", "hart 1 (rv64");
}

TEST_F(MonitorTest, ExaminesMemory) {
  has("xp/4xb 0x80000000", "0000000080000000: 0x13 0x05 0x15 0x00");
  has("xp /2xw 0x80000000", "0000000080000000: 0x00150513 0xffffffff");
  has("xp/1dw 0x80000004", "0000000080000004: -1");
  has("xp/1uw 0x80000004", "0000000080000004: 4294967295");
  has("xp/1xg 0x80000000", "0000000080000000: 0xffffffff00150513");
  has("xp/2c 0x80000000", "0000000080000000: '.' '.'");
  has("xp/20xb 0x80000000", "\n0000000080000010: 0x00");  // 16 bytes per line
  has("x/2i 0x80000000", "0000000080000000: addi    a0, a0, 1");
  has("x/1i $pc", "0000000000001000: auipc   t0, 0x0");  // the reset ROM, M-mode: physical
  has("xp/1xw 0x10000000", "cannot access memory");        // a device: never read
  has("xp/2xg 0xfffffffffffffff8", "cannot access memory");
  has("x/zz 0x0", "bad format '/zz'");
  has("x/0x 0x0", "bad format");
  has("x", "give an address");
  has("x 0xzz", "give an address");
  has("x $nope", "no register '$nope'");
  has("x/5000xb 0x80000000", "at most 4096 units");
}

TEST_F(MonitorTest, ControlCommands) {
  has("savevm", "savevm: give a file name");
  has("savevm /nonexistent/dir/ck", "savevm: cannot write checkpoint '/nonexistent/dir/ck'");
  EXPECT_FALSE(monitor_.take_resume());
  EXPECT_EQ(monitor_.execute("cont"), "");
  EXPECT_TRUE(monitor_.take_resume());
  EXPECT_FALSE(monitor_.take_resume());
  EXPECT_FALSE(monitor_.quit_requested());
  EXPECT_EQ(monitor_.execute("  quit  "), "");
  EXPECT_TRUE(monitor_.quit_requested());
}

}  // namespace
}  // namespace orrery
