#pragma once
// Basic vocabulary shared by every layer of Orrery.
#include <bit>
#include <cstdint>
#include <stdexcept>
#include <string>

namespace orrery {

static_assert(std::endian::native == std::endian::little,
              "Orrery stores guest memory in host byte order and assumes a little-endian host");

using Addr = std::uint64_t;   // guest physical or virtual address
using Tick = std::uint64_t;   // guest time in picoseconds

constexpr Tick kTicksPerSecond = 1'000'000'000'000ull;

// Errors the user can fix (bad files, flags, configurations). The executable
// prints the message and exits non-zero; nothing in the emulator aborts.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace orrery
