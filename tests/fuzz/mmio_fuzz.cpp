// Register-level fuzzing of every device on the virt machine: a sequence of
// reads and writes of any width, at any offset (including misaligned ones
// and a little past each region's end), to any region of the bus, with the
// harts running in between so that timers fire and interrupts are taken.
// RAM is a region too, so virtqueues the devices read can be built.
//
// Each operation is 14 bytes: target (an index into kTargets), offset (u32),
// kind (bits 0-1: size 1/2/4/8; bit 2: write; bits 3-7: instructions to run
// first, x64), value (u64).
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "fuzz_support.hpp"
#include "orrery/core/machine.hpp"
#include "orrery/platforms/virtio_blk.hpp"
#include "orrery/platforms/virtio_mmio.hpp"
#include "orrery/platforms/virtio_rng.hpp"

namespace {

namespace map = orrery::virt_map;

// Where the devices are (the PLIC's place is the APLIC M domain's with
// aia=; the S domain and the IMSICs exist only with it), a virtio slot
// without a device, and RAM. A target the machine lacks is unmapped space.
constexpr orrery::Addr kTargets[] = {
    map::kMrom,  map::kTest,   map::kRtc,  map::kClint, map::kPlic, map::kAplicS, map::kImsicM, map::kImsicS,
    map::kUart0, map::kVirtio, map::kVirtio + 6 * map::kVirtioSize, map::kVirtio + 7 * map::kVirtioSize,
    map::kDram};

// A fixed entropy source: a finding must reproduce.
std::size_t counting_entropy(std::span<std::uint8_t> buf) {
  for (std::size_t i = 0; i < buf.size(); ++i) buf[i] = static_cast<std::uint8_t>(i * 37 + 11);
  return buf.size();
}

const std::string& disk_image() {
  static const std::string path = [] {
    std::vector<std::uint8_t> bytes(64 * 1024);
    for (std::size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<std::uint8_t>(i / 512);
    return orrery::fuzz::write_file("mmio_disk", bytes);
  }();
  return path;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  orrery::fuzz::Input in(data, size);
  orrery::RiscvVirtConfig config = orrery::fuzz::base_config();
  const std::uint8_t shape = in.take<std::uint8_t>();
  config.aia = static_cast<orrery::VirtAia>(shape % 3);
  config.aia_guests = config.aia == orrery::VirtAia::AplicImsic ? (shape >> 2) % 4 : 0;
  config.harts = 1 + ((shape >> 4) & 1);
  orrery::DriveConfig drive;
  drive.file = disk_image();
  drive.readonly = (shape >> 5) & 1;  // writes go to this process's own scratch image
  config.virtio.push_back({7, [drive](orrery::Machine& m, orrery::IrqLine irq) -> orrery::Device& {
    return m.own(std::make_unique<orrery::VirtioMmio>(m.bus(), std::make_unique<orrery::VirtioBlk>(drive),
                                                      std::move(irq)));
  }});
  config.virtio.push_back({6, [](orrery::Machine& m, orrery::IrqLine irq) -> orrery::Device& {
    return m.own(std::make_unique<orrery::VirtioMmio>(
        m.bus(), std::make_unique<orrery::VirtioRng>(counting_entropy), std::move(irq)));
  }});

  orrery::Machine machine;
  orrery::StringBackend console;
  orrery::build_riscv_virt(machine, config, console);
  orrery::Bus& bus = machine.bus();

  while (in.left() > 0) {
    const orrery::Addr target = kTargets[in.take<std::uint8_t>() % std::size(kTargets)];
    const orrery::BusRegion* region = bus.find(target);
    const orrery::Addr base = region ? region->base : target;
    const std::uint64_t span = region ? region->size : 0x1000;
    const std::uint32_t offset = in.take<std::uint32_t>();
    const std::uint8_t kind = in.take<std::uint8_t>();
    const std::uint64_t value = in.take<std::uint64_t>();
    if (const unsigned insns = kind >> 3) {
      const orrery::RunOutcome out = machine.run(64ull * insns);
      if (out.reason != orrery::StopReason::InstructionLimit) break;  // the test finisher was written
    }
    const unsigned width = 1u << (kind & 3);
    const orrery::Addr addr = base + offset % (span + 16);
    if (kind & 4) {
      bus.write(addr, width, value);
    } else {
      std::uint64_t ignored = 0;
      bus.read(addr, width, ignored);
    }
  }
  return 0;
}
