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

// The AIA's default priority order of major interrupts 0-63 (AIA,
// "Defined major interrupts and default priorities"): rank 0 is the
// highest. Used by *topi and by interrupt delivery.
unsigned default_priority_rank(unsigned irq);
// The interrupt of highest default priority in a set (bit n = interrupt
// n); -1 for an empty set.
int highest_priority(std::uint64_t irqs);

}  // namespace orrery::riscv
