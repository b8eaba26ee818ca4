#pragma once
#include "orrery/core/device.hpp"

namespace orrery {

class Machine;

// SiFive "test" finisher: a 32-bit write of 0x5555 ends the run with exit
// status 0, (code << 16) | 0x3333 with status `code`, and 0x7777 resets the
// machine. Other values are ignored, as on QEMU's virt.
class SifiveTest final : public Device {
 public:
  explicit SifiveTest(Machine& machine) : machine_(machine) {}
  std::string_view name() const override { return "sifive,test0"; }
  bool read(Addr offset, unsigned size, std::uint64_t& value) override;
  bool write(Addr offset, unsigned size, std::uint64_t value) override;

  static constexpr std::uint32_t kFail = 0x3333, kPass = 0x5555, kReset = 0x7777;

 private:
  Machine& machine_;
};

}  // namespace orrery
