#include <gtest/gtest.h>
#include <poll.h>
#include <pty.h>
#include <termios.h>
#include <unistd.h>

#include <chrono>
#include <string>

#include "orrery/core/machine.hpp"
#include "orrery/platforms/char_backend.hpp"
#include "orrery/platforms/goldfish_rtc.hpp"
#include "orrery/platforms/uart16550.hpp"

namespace orrery {
namespace {

// ---- UART interrupt output ----

TEST(Uart16550Irq, FollowsIirForReceivedDataAndThre) {
  StringBackend io;
  Uart16550 uart(io);
  bool level = false;
  int edges = 0;
  uart.set_irq([&](bool l) {
    level = l;
    ++edges;
  });
  EXPECT_FALSE(level);
  ASSERT_TRUE(uart.write(Uart16550::kIer, 1, Uart16550::kIerRxData));
  EXPECT_FALSE(level) << "no data yet";
  io.in = "ab";
  uart.poll();
  EXPECT_TRUE(level);
  std::uint64_t v;
  ASSERT_TRUE(uart.read(Uart16550::kRbrThr, 1, v));
  EXPECT_EQ(v, static_cast<std::uint64_t>('a'));
  EXPECT_TRUE(level) << "the next byte moves up: still pending";
  ASSERT_TRUE(uart.read(Uart16550::kRbrThr, 1, v));
  EXPECT_EQ(v, static_cast<std::uint64_t>('b'));
  EXPECT_FALSE(level);
  ASSERT_TRUE(uart.write(Uart16550::kIer, 1, Uart16550::kIerThrEmpty));
  EXPECT_TRUE(level) << "enabling THRE with an empty transmitter interrupts at once";
  ASSERT_TRUE(uart.read(Uart16550::kIirFcr, 1, v));
  EXPECT_EQ(v & 0x0f, 0x02u);
  EXPECT_FALSE(level) << "reading IIR acknowledged THRE";
  ASSERT_TRUE(uart.write(Uart16550::kRbrThr, 1, 'x'));
  EXPECT_TRUE(level) << "transmitted at once: THR empty again";
  ASSERT_TRUE(uart.write(Uart16550::kIer, 1, 0));
  EXPECT_FALSE(level);
}

// ---- console backend ----

TEST(StdioBackend, PipeInputArrivesAsReadAndEndOfFileClosesIt) {
  int in[2], out[2];
  ASSERT_EQ(pipe(in), 0);
  ASSERT_EQ(pipe(out), 0);
  {
    StdioBackend console(in[0], out[1]);
    EXPECT_FALSE(console.raw_terminal());
    std::uint8_t b;
    EXPECT_TRUE(console.service()) << "input may still come";
    EXPECT_FALSE(console.read(b));
    ASSERT_EQ(write(in[1], "a\x01x", 3), 3);
    console.service();
    std::string got;
    while (console.read(b)) got += static_cast<char>(b);
    EXPECT_EQ(got, "a\x01x") << "no escapes on a pipe";
    close(in[1]);
    EXPECT_FALSE(console.service()) << "end of file: nothing more to poll for";
    EXPECT_FALSE(console.input_open());
    console.write('o');
    console.write('k');
    console.flush();
    char buf[4] = {};
    ASSERT_EQ(read(out[0], buf, sizeof buf), 2);
    EXPECT_EQ(std::string(buf), "ok");
  }
  close(in[0]);
  close(out[0]);
  close(out[1]);
}

TEST(StdioBackend, AnIdleGuestMayWaitForInput) {
  int in[2], out[2];
  ASSERT_EQ(pipe(in), 0);
  ASSERT_EQ(pipe(out), 0);
  {
    StdioBackend console(in[0], out[1]);
    using Clock = std::chrono::steady_clock;
    auto t0 = Clock::now();
    console.service(0);
    EXPECT_LT(Clock::now() - t0, std::chrono::milliseconds(20)) << "a busy guest never waits";
    t0 = Clock::now();
    console.service(30'000'000);
    EXPECT_GE(Clock::now() - t0, std::chrono::milliseconds(25)) << "an idle one waits for input";
    ASSERT_EQ(write(in[1], "q", 1), 1);
    t0 = Clock::now();
    console.service(5'000'000'000);
    EXPECT_LT(Clock::now() - t0, std::chrono::seconds(1)) << "input ends the wait";
    std::uint8_t b = 0;
    EXPECT_TRUE(console.read(b));
    EXPECT_EQ(b, 'q');
  }
  for (int fd : {in[0], in[1], out[0], out[1]}) close(fd);
}

TEST(StdioBackend, TerminalIsRawWhileInUseAndEscapesWork) {
  int master = -1, slave = -1;
  if (openpty(&master, &slave, nullptr, nullptr, nullptr) != 0) GTEST_SKIP() << "no pseudo-terminals here";
  termios before{};
  ASSERT_EQ(tcgetattr(slave, &before), 0);
  ASSERT_TRUE(before.c_lflag & ICANON);
  int quits = 0;
  {
    StdioBackend console(slave, slave);
    ASSERT_TRUE(console.raw_terminal());
    termios raw{};
    ASSERT_EQ(tcgetattr(slave, &raw), 0);
    EXPECT_FALSE(raw.c_lflag & (ICANON | ECHO | ISIG)) << "raw: no line editing, echo or signals";
    console.set_quit_handler([&] { ++quits; });
    // Ctrl-A Ctrl-A sends one Ctrl-A; Ctrl-A x quits; ^C is an ordinary byte.
    ASSERT_EQ(write(master, "h\x01\x01i\x03\x01x", 7), 7);
    for (int i = 0; i < 100 && quits == 0; ++i) {
      pollfd p{slave, POLLIN, 0};
      poll(&p, 1, 10);
      console.service();
    }
    std::string got;
    std::uint8_t b;
    while (console.read(b)) got += static_cast<char>(b);
    EXPECT_EQ(got, "h\x01i\x03");
    EXPECT_EQ(quits, 1);
    EXPECT_TRUE(console.service()) << "an interactive console keeps being serviced";
  }
  termios after{};
  ASSERT_EQ(tcgetattr(slave, &after), 0);
  EXPECT_EQ(after.c_lflag, before.c_lflag) << "terminal restored";
  EXPECT_EQ(after.c_iflag, before.c_iflag);
  close(master);
  close(slave);
}

// ---- goldfish RTC ----

struct RtcFixture : ::testing::Test {
  std::uint32_t rd(Addr off) {
    std::uint64_t v = 0;
    EXPECT_TRUE(rtc.read(off, 4, v));
    return static_cast<std::uint32_t>(v);
  }
  void wr(Addr off, std::uint32_t v) { EXPECT_TRUE(rtc.write(off, 4, v)); }
  std::uint64_t host = 0x1'2345'6789ull;
  Machine machine;
  GoldfishRtc rtc{machine, [this] { return host; }};
};

TEST_F(RtcFixture, TimeLowLatchesTheHighHalf) {
  EXPECT_EQ(rd(GoldfishRtc::kTimeLow), 0x2345'6789u);
  host = 0x2'0000'0000ull;  // the clock moves on between the two reads
  EXPECT_EQ(rd(GoldfishRtc::kTimeHigh), 1u) << "the half latched by the TIME_LOW read";
  EXPECT_EQ(rd(GoldfishRtc::kTimeLow), 0u);
  EXPECT_EQ(rd(GoldfishRtc::kTimeHigh), 2u);
  std::uint64_t v;
  EXPECT_FALSE(rtc.read(0, 8, v)) << "32-bit registers";
}

TEST_F(RtcFixture, GuestSetsTheTimeAsLinuxDoes) {
  // rtc-goldfish writes TIME_HIGH, then TIME_LOW.
  wr(GoldfishRtc::kTimeHigh, 0x10);
  wr(GoldfishRtc::kTimeLow, 0x20);
  EXPECT_EQ(rtc.now_ns(), 0x10'0000'0020ull);
  host += 5;
  EXPECT_EQ(rtc.now_ns(), 0x10'0000'0025ull) << "and the clock keeps running";
}

TEST_F(RtcFixture, AlarmRaisesTheInterruptInGuestTime) {
  bool irq = false;
  rtc.set_irq([&](bool l) { irq = l; });
  wr(GoldfishRtc::kIrqEnabled, 1);
  const std::uint64_t at = host + 1000;  // 1 us from now
  wr(GoldfishRtc::kAlarmHigh, static_cast<std::uint32_t>(at >> 32));
  wr(GoldfishRtc::kAlarmLow, static_cast<std::uint32_t>(at));
  EXPECT_EQ(rd(GoldfishRtc::kAlarmStatus), 1u);
  EXPECT_FALSE(irq);
  EXPECT_EQ(machine.events().next_deadline(), 1000u * 1000u) << "1 us of guest time";
  machine.events().run_due(1'000'000);
  EXPECT_TRUE(irq);
  EXPECT_EQ(rd(GoldfishRtc::kAlarmStatus), 0u);
  wr(GoldfishRtc::kClearInterrupt, 1);
  EXPECT_FALSE(irq);
  // An alarm in the past fires at once; CLEAR_ALARM disarms a future one.
  wr(GoldfishRtc::kAlarmLow, 0);
  EXPECT_TRUE(irq);
  wr(GoldfishRtc::kClearInterrupt, 1);
  wr(GoldfishRtc::kAlarmHigh, 0xffff);
  wr(GoldfishRtc::kAlarmLow, 0);
  EXPECT_EQ(rd(GoldfishRtc::kAlarmStatus), 1u);
  wr(GoldfishRtc::kClearAlarm, 1);
  EXPECT_EQ(rd(GoldfishRtc::kAlarmStatus), 0u);
  EXPECT_TRUE(machine.events().empty());
  // Masked: a pending alarm does not interrupt until enabled.
  wr(GoldfishRtc::kIrqEnabled, 0);
  wr(GoldfishRtc::kAlarmHigh, 0);
  wr(GoldfishRtc::kAlarmLow, 0);
  EXPECT_FALSE(irq);
  wr(GoldfishRtc::kIrqEnabled, 1);
  EXPECT_TRUE(irq);
}

}  // namespace
}  // namespace orrery
