#pragma once
// The AIA as the hart's CSRs see it (RISC-V Advanced Interrupt Architecture
// 1.0, "Smaia/Ssaia"): an IMSIC interrupt file reached through the
// *iselect/*ireg window (iselect 0x70-0xFF) and the *topei CSR. The platform
// adapts its IMSIC model to this interface, so isa/riscv needs no device code.
#include <cstdint>

namespace orrery::riscv {

class InterruptFile {
 public:
  virtual ~InterruptFile() = default;
  // false: not a register of the file (the CSR access raises an exception).
  virtual bool read_indirect(unsigned iselect, std::uint64_t& value) const = 0;
  virtual bool write_indirect(unsigned iselect, std::uint64_t value) = 0;
  // The *topei value (identity in bits 26:16 and 10:0), and a *topei write:
  // clears the top identity's pending bit and returns the value before.
  virtual std::uint32_t topei() const = 0;
  virtual std::uint32_t claim() = 0;
};

}  // namespace orrery::riscv
