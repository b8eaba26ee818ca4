#include "orrery/platforms/sifive_test.hpp"

#include "orrery/core/machine.hpp"

namespace orrery {

bool SifiveTest::read(Addr, unsigned, std::uint64_t& value) {
  value = 0;
  return true;
}

bool SifiveTest::write(Addr offset, unsigned size, std::uint64_t value) {
  if (offset != 0 || size < 4) return true;  // only the 32-bit status register acts
  const std::uint32_t word = static_cast<std::uint32_t>(value);
  switch (word & 0xffff) {
    case kPass: machine_.request_exit(0); break;
    case kFail: machine_.request_exit(static_cast<int>(word >> 16)); break;
    case kReset: machine_.request_reset(); break;
    default: break;
  }
  return true;
}

}  // namespace orrery
