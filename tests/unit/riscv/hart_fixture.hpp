#pragma once
// A one-hart machine with 1 MiB of RAM at 0x8000_0000 for instruction-level
// tests: place encoded instructions, set registers, step, inspect.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <memory>

#include "orrery/core/machine.hpp"
#include "orrery/riscv/hart.hpp"

namespace orrery::riscv::test {

constexpr Addr kRamBase = 0x8000'0000;
constexpr std::uint64_t kRamSize = 1 << 20;

class HartTest : public ::testing::Test {
 protected:
  HartTest() {
    ram_ = machine_.bus().add_ram("ram", kRamBase, kRamSize);
    hart_ = static_cast<RiscvHart*>(&machine_.add_hart(std::make_unique<RiscvHart>(0, machine_)));
    hart_->reset(kRamBase);
  }

  // Write a 32-bit (or, with len 2, 16-bit) instruction at addr.
  void put(Addr addr, std::uint32_t insn, unsigned len = 4) { std::memcpy(ram_ + (addr - kRamBase), &insn, len); }
  void put_data(Addr addr, const void* data, std::size_t n) { std::memcpy(ram_ + (addr - kRamBase), data, n); }
  template <class T>
  T read_data(Addr addr) {
    T v;
    std::memcpy(&v, ram_ + (addr - kRamBase), sizeof(T));
    return v;
  }
  // Place insn at the current pc and execute exactly it.
  void exec(std::uint32_t insn) {
    const unsigned len = (insn & 3) == 3 ? 4 : 2;
    put(hart_->pc(), insn, len);
    hart_->clear_yield();  // a machine clears it at every slice (e.g. after a PMU change)
    hart_->interpret(1);
  }
  void enable_fp() { hart_->mstatus_ |= mstatus::FS; }

  Machine machine_;
  RiscvHart* hart_ = nullptr;
  std::uint8_t* ram_ = nullptr;
};

}  // namespace orrery::riscv::test
