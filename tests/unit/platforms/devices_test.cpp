#include <gtest/gtest.h>

#include "orrery/core/machine.hpp"
#include "orrery/platforms/char_backend.hpp"
#include "orrery/platforms/sifive_test.hpp"
#include "orrery/platforms/uart16550.hpp"

namespace orrery {
namespace {

TEST(Uart16550, TransmitsAndReportsAnEmptyTransmitter) {
  StringBackend out;
  Uart16550 uart(out);
  std::uint64_t v;
  ASSERT_TRUE(uart.read(Uart16550::kLsr, 1, v));
  EXPECT_EQ(v & 0x61, 0x60u) << "THRE and TEMT set, no data ready";
  for (char c : std::string("hi\n")) ASSERT_TRUE(uart.write(Uart16550::kRbrThr, 1, static_cast<std::uint8_t>(c)));
  EXPECT_EQ(out.out, "hi\n");
}

TEST(Uart16550, DivisorLatchHidesDataRegisters) {
  StringBackend out;
  Uart16550 uart(out);
  ASSERT_TRUE(uart.write(Uart16550::kLcr, 1, 0x83));  // DLAB, 8N1
  ASSERT_TRUE(uart.write(Uart16550::kRbrThr, 1, 0x01));
  ASSERT_TRUE(uart.write(Uart16550::kIer, 1, 0x02));
  EXPECT_EQ(out.out, "") << "a DLL write is not transmitted";
  std::uint64_t v;
  ASSERT_TRUE(uart.read(Uart16550::kRbrThr, 1, v));
  EXPECT_EQ(v, 1u);
  ASSERT_TRUE(uart.read(Uart16550::kIer, 1, v));
  EXPECT_EQ(v, 2u);
  ASSERT_TRUE(uart.write(Uart16550::kLcr, 1, 0x03));
  ASSERT_TRUE(uart.read(Uart16550::kIer, 1, v));
  EXPECT_EQ(v, 0u) << "IER untouched by the DLM write";
}

TEST(Uart16550, ReceivesAndIdentifiesInterrupts) {
  StringBackend io;
  io.in = "x";
  Uart16550 uart(io);
  std::uint64_t v;
  ASSERT_TRUE(uart.read(Uart16550::kIirFcr, 1, v));
  EXPECT_EQ(v, 0x01u) << "nothing enabled: no interrupt pending";
  ASSERT_TRUE(uart.write(Uart16550::kIer, 1, Uart16550::kIerRxData | Uart16550::kIerThrEmpty));
  ASSERT_TRUE(uart.read(Uart16550::kIirFcr, 1, v));
  EXPECT_EQ(v, 0x04u) << "received data has priority over THRE";
  ASSERT_TRUE(uart.read(Uart16550::kLsr, 1, v));
  EXPECT_EQ(v & 1, 1u);
  ASSERT_TRUE(uart.read(Uart16550::kRbrThr, 1, v));
  EXPECT_EQ(v, static_cast<std::uint64_t>('x'));
  ASSERT_TRUE(uart.read(Uart16550::kIirFcr, 1, v));
  EXPECT_EQ(v, 0x02u) << "THRE pending after enabling it";
  ASSERT_TRUE(uart.read(Uart16550::kIirFcr, 1, v));
  EXPECT_EQ(v, 0x01u) << "reading IIR cleared THRE";
  ASSERT_TRUE(uart.write(Uart16550::kIirFcr, 1, 0x01));
  ASSERT_TRUE(uart.read(Uart16550::kIirFcr, 1, v));
  EXPECT_EQ(v, 0xc1u) << "FIFOs enabled";
}

class ExitHart : public Hart {
 public:
  ExitHart(Machine& m, SifiveTest& dev, std::uint64_t word) : Hart(0), m_(m), dev_(dev), word_(word) {}
  std::string_view isa_name() const override { return "t"; }
  void reset(Addr) override {}
  Addr pc() const override { return 0; }
  std::uint64_t retired() const override { return n_; }
  std::uint64_t cycles() const override { return n_; }
  void set_interrupt_line(unsigned, bool) override {}
  std::uint64_t interpret(std::uint64_t budget) override {
    std::uint64_t done = 0;
    while (done < budget && !yield_) {
      ++done;
      if (++n_ == 10) dev_.write(0, 4, word_);
    }
    return done;
  }

 private:
  Machine& m_;
  SifiveTest& dev_;
  std::uint64_t word_;
  std::uint64_t n_ = 0;
};

int run_finisher(std::uint64_t word, RunOutcome* out_outcome = nullptr) {
  Machine m;
  auto& dev = m.own(std::make_unique<SifiveTest>(m));
  m.add_hart(std::make_unique<ExitHart>(m, dev, word));
  const RunOutcome out = m.run(1000);
  if (out_outcome) *out_outcome = out;
  return out.reason == StopReason::GuestExit ? out.exit_code : -1;
}

TEST(SifiveTest, PassFailAndIgnoredValues) {
  EXPECT_EQ(run_finisher(0x5555), 0);
  EXPECT_EQ(run_finisher((42u << 16) | 0x3333), 42);
  EXPECT_EQ(run_finisher(0x1234), -1) << "unknown values are ignored";
}

}  // namespace
}  // namespace orrery
