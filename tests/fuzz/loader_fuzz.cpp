// Files the user hands to the machine: the input's first byte says which
// option gets the rest as its file (an ELF or raw kernel, which covers a
// Linux Image; a firmware image; an initrd; a device tree blob for -dtb)
// and how much RAM there is. Building the machine may refuse the file with
// orrery::Error, which main() turns into a one-line message; anything else
// escaping (another exception, a crash, a sanitizer report) is a finding.
#include <cstdio>
#include <cstdlib>
#include <exception>

#include "fuzz_support.hpp"
#include "orrery/core/types.hpp"
#include "orrery/core/machine.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  orrery::fuzz::Input in(data, size);
  const std::uint8_t what = in.take<std::uint8_t>();
  const std::string file = orrery::fuzz::write_file("loader_input", in.rest());
  orrery::RiscvVirtConfig config = orrery::fuzz::base_config();
  config.ram_size = (what & 0x10) ? 1ull << 20 : 8ull << 20;  // 1 MiB: images that do not fit
  switch (what & 3) {
    case 0: config.kernel = file; break;
    case 1: config.bios = file; break;
    case 2: config.initrd = file; break;
    case 3: config.dtb = file; break;
  }
  if (what & 0x20) config.append = "console=ttyS0 earlycon";
  try {
    orrery::Machine machine;
    orrery::StringBackend console;
    orrery::build_riscv_virt(machine, config, console);
    // A machine that was built runs: the reset ROM and whatever was loaded.
    machine.run(2000);
  } catch (const orrery::Error&) {
    // a refusal, with a message
  }
  return 0;
}
