#pragma once
#include <cstdint>

namespace orrery::riscv {

// htinst/mtinst for a trap caused by an explicit memory access of the
// instruction `raw` (16 or 32 bits as fetched) whose faulting address lies
// `addr_offset` bytes past the address the instruction accesses. 0 when the
// spec defines no transformation for the instruction.
std::uint32_t transformed_instruction(std::uint32_t raw, std::uint64_t addr_offset);

}  // namespace orrery::riscv
