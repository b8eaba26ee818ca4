// Uses the core with no ISA: a machine with RAM, one event, no harts run.
#include <cstdio>

#include "orrery/core/machine.hpp"

int main() {
  orrery::Machine machine;
  machine.bus().add_ram("ram", 0x80000000, 4096);
  int fired = 0;
  machine.events().schedule(10, [&](orrery::Tick) { ++fired; });
  machine.events().run_due(10);
  std::uint64_t v = 0;
  const bool ok = machine.bus().write(0x80000000, 4, 0x1234) && machine.bus().read(0x80000000, 4, v);
  std::printf("core alone: event fired %d, ram %#llx\n", fired, static_cast<unsigned long long>(v));
  return (fired == 1 && ok && v == 0x1234) ? 0 : 1;
}
