// The GDB stub's packets against a virt machine (gdb_server.hpp).
#include "orrery/platforms/gdb_server.hpp"

#include <gtest/gtest.h>

#include "orrery/platforms/riscv_virt.hpp"
#include "temp_image.hpp"

namespace orrery::gdb {
namespace {

// A virt machine without firmware running `words` at 0x8000_0000, a
// debugger's control on it and the packet server.
class GdbFixture : public ::testing::Test {
 protected:
  void build(const char* name, std::initializer_list<std::uint32_t> words, unsigned harts) {
    RiscvVirtConfig config;
    config.bios = "none";
    config.harts = harts;
    config.kernel = test::write_words(name, words);
    build_riscv_virt(machine_, config, console_);
    machine_.set_debug(&debug_);
    machine_.start_run(0);
  }
  std::string ask(std::string_view packet) {
    const auto reply = server_.handle(packet);
    EXPECT_TRUE(reply) << packet;
    return reply.value_or("<resumed>");
  }
  // Resume as the packet says; run until the machine stops; the stop reply.
  std::string resume(std::string_view packet) {
    EXPECT_FALSE(server_.handle(packet)) << packet;
    EXPECT_EQ(server_.take_action(), Server::Action::Resume);
    RunOutcome out;
    while (machine_.run_slice(out)) {
    }
    EXPECT_EQ(out.reason, StopReason::DebugStop);
    const auto stop = debug_.take_stop();
    return stop ? server_.stop_reply(*stop) : "<no stop>";
  }

  Machine machine_;
  StringBackend console_;
  DebugControl debug_;
  Server server_{machine_, debug_};
};

class GdbServerTest : public GdbFixture {
 protected:
  // addi a0, a0, 1 four times, then j . on two harts
  GdbServerTest() { build("gdb_kernel", {0x00150513, 0x00150513, 0x00150513, 0x00150513, 0x0000006f}, 2); }
};

TEST_F(GdbServerTest, QueriesThreadsAndTargetDescription) {
  EXPECT_NE(ask("qSupported:multiprocess+;swbreak+").find("qXfer:features:read+"), std::string::npos);
  EXPECT_EQ(ask("qfThreadInfo"), "m1,2");
  EXPECT_EQ(ask("qsThreadInfo"), "l");
  EXPECT_EQ(ask("qAttached"), "1");
  EXPECT_EQ(ask("T2"), "OK");
  EXPECT_EQ(ask("T3"), "E01");
  const std::string xml = ask("qXfer:features:read:target.xml:0,40");
  EXPECT_EQ(xml.substr(0, 6), "m<?xml");
  EXPECT_EQ(xml.size(), 1u + 0x40) << "offset and length are hex";
  EXPECT_EQ(ask("qXfer:features:read:target.xml:ffffff,40"), "l");
  EXPECT_EQ(ask("qXfer:features:read:nope.xml:0,40"), "E00");
  EXPECT_EQ(ask("qNotAThing"), "");
}

TEST_F(GdbServerTest, RegistersOfTheSelectedHart) {
  const std::string g = ask("g");
  EXPECT_EQ(g.size(), 33u * 16);
  EXPECT_EQ(g.substr(32 * 16), "0010000000000000") << "pc: the reset ROM";
  EXPECT_EQ(ask("p20"), "0010000000000000");
  EXPECT_EQ(ask("Pa=2a00000000000000"), "OK");
  EXPECT_EQ(ask("pa"), "2a00000000000000");
  EXPECT_EQ(ask("Hg2"), "OK");
  EXPECT_EQ(ask("pa"), "0000000000000000") << "hart 1's a0";
  EXPECT_EQ(ask("p341"), "000000000a000000") << "mstatus (65 + 0x300 = 0x341): SXL = UXL = 2 (64-bit)";
  EXPECT_EQ(ask("p9999"), "E01");
}

TEST_F(GdbServerTest, MemoryThroughTheHartRamAndRomOnly) {
  EXPECT_EQ(ask("m80000000,4"), "13051500");
  EXPECT_EQ(ask("M80000010,4:13000000"), "OK");
  EXPECT_EQ(ask("m80000010,4"), "13000000");
  EXPECT_EQ(ask("X80000010,2:}\x03" "}"), "E01") << "binary data ending inside an escape";
  EXPECT_EQ(ask("m10000000,4"), "E14") << "the UART: reading would consume its input";
  EXPECT_EQ(ask("M10000000,1:41"), "E14");
  EXPECT_EQ(ask("m1000,4"), "97020000") << "the reset ROM: auipc t0, 0";
}

TEST_F(GdbServerTest, BreakpointContinueAndStep) {
  EXPECT_EQ(ask("Z0,80000008,4"), "OK");
  EXPECT_EQ(resume("vCont;c"), "T05thread:1;swbreak:;");
  EXPECT_EQ(ask("p20"), "0800008000000000");
  EXPECT_EQ(ask("pa"), "0200000000000000");
  EXPECT_EQ(ask("z0,80000008,4"), "OK");
  EXPECT_EQ(resume("vCont;s:1;c"), "T05thread:1;");
  EXPECT_EQ(ask("p20"), "0c00008000000000");
  EXPECT_EQ(ask("pa"), "0300000000000000");
  EXPECT_EQ(ask("Z5,80000000,4"), "") << "an unknown kind is unsupported";
}

// Watchpoints stop after the instruction whose data access touched the range.
class GdbWatchTest : public GdbFixture {
 protected:
  GdbWatchTest() {
    build("gdb_watch_kernel",
          {
              0x00001297,  // auipc t0, 1: t0 = 0x80001000
              0x00a2a023,  // sw a0, 0(t0)
              0x0042a583,  // lw a1, 4(t0)
              0x0082a603,  // lw a2, 8(t0)
              0x00a2a62f,  // amoadd.w a2, a0, (t0)
              0x0000006f,  // j .
          },
          1);
  }
};

TEST_F(GdbWatchTest, WriteReadAndAccessWatchpoints) {
  EXPECT_EQ(ask("Z2,80001000,4"), "OK");
  EXPECT_EQ(ask("Z3,80001006,1"), "OK") << "one byte inside the lw's word";
  EXPECT_EQ(ask("Z2,80001008,4"), "OK") << "written by nothing: lw a2 reads it";
  EXPECT_EQ(ask("Z0,80000014,4"), "OK");
  EXPECT_EQ(ask("Z2,80001000,0"), "E01") << "a watchpoint needs a length";
  EXPECT_EQ(resume("c"), "T05thread:1;watch:80001000;");
  EXPECT_EQ(ask("p20"), "0800008000000000") << "after the store";
  EXPECT_EQ(resume("c"), "T05thread:1;rwatch:80001006;");
  EXPECT_EQ(ask("p20"), "0c00008000000000") << "after the load";
  EXPECT_EQ(resume("c"), "T05thread:1;watch:80001000;") << "the AMO writes; lw a2 was no write";
  EXPECT_EQ(ask("p20"), "1400008000000000");
  EXPECT_EQ(ask("z2,80001000,4"), "OK");
  EXPECT_EQ(ask("z3,80001006,1"), "OK");
  EXPECT_EQ(ask("z2,80001008,4"), "OK");
  EXPECT_EQ(ask("Z4,80001004,4"), "OK");
  EXPECT_EQ(resume("c"), "T05thread:1;swbreak:;") << "nothing accesses 0x80001004 any more";
  EXPECT_EQ(ask("p20"), "1400008000000000");
}

}  // namespace
}  // namespace orrery::gdb
