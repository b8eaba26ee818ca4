// Virtqueues as a hostile driver builds them: the device is set up the way
// a driver does (virtio 1.2 section 3.1.1, over the MMIO transport of 4.2),
// then the input becomes a 64 KiB window of guest RAM holding the
// descriptor table, the rings and the buffers, and the queue is notified a
// few times. Descriptor addresses and lengths are the input's, so chains
// point anywhere: outside RAM, into MMIO or ROM, across the address space's
// end, into loops. The device must answer with errors, never touch host
// memory it does not own, and a read-only disk must stay unchanged.
//
// Input: device (bit 0: block, else entropy; bit 1: read-only disk), driver
// features (u32 low, u32 high), queue size (u16), avail and used ring
// offsets in the window (u16 each, x4 and x8), notifies (u8), then the window.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "fuzz_support.hpp"
#include "orrery/core/machine.hpp"
#include "orrery/platforms/virtio_blk.hpp"
#include "orrery/platforms/virtio_mmio.hpp"
#include "orrery/platforms/virtio_rng.hpp"

namespace {

namespace virtio = orrery::virtio;
using orrery::Addr;

constexpr Addr kSlot = 0x1000'1000;          // slot 0
constexpr Addr kWindow = 0x8010'0000;        // the input's RAM window
constexpr std::size_t kWindowSize = 64 * 1024;
constexpr std::size_t kDiskSize = 64 * 1024;

std::vector<std::uint8_t> disk_pattern() {
  std::vector<std::uint8_t> bytes(kDiskSize);
  for (std::size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<std::uint8_t>(i * 7 / 512);
  return bytes;
}

std::size_t counting_entropy(std::span<std::uint8_t> buf) {
  for (std::size_t i = 0; i < buf.size(); ++i) buf[i] = static_cast<std::uint8_t>(i);
  return buf.size();
}

std::vector<std::uint8_t> read_file(const std::string& path) {
  std::vector<std::uint8_t> bytes(kDiskSize + 1);
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) std::abort();
  bytes.resize(std::fread(bytes.data(), 1, bytes.size(), f));
  std::fclose(f);
  return bytes;
}

void reg(orrery::Bus& bus, std::uint32_t offset, std::uint32_t value) { bus.write(kSlot + offset, 4, value); }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  orrery::fuzz::Input in(data, size);
  const std::uint8_t device = in.take<std::uint8_t>();
  const bool block = device & 1, readonly = device & 2;
  const std::uint32_t features_lo = in.take<std::uint32_t>(), features_hi = in.take<std::uint32_t>();
  const std::uint16_t queue_size = in.take<std::uint16_t>();
  const Addr avail = kWindow + (in.take<std::uint16_t>() * 4ull) % kWindowSize;
  const Addr used = kWindow + (in.take<std::uint16_t>() * 8ull) % kWindowSize;
  const unsigned notifies = 1 + in.take<std::uint8_t>() % 4;
  const auto window = in.take_bytes(kWindowSize);

  // A fresh image each run: a writable disk's content is the input's doing.
  const std::vector<std::uint8_t> pattern = disk_pattern();
  orrery::DriveConfig drive;
  drive.file = orrery::fuzz::write_file("virtio_disk", pattern);
  drive.readonly = readonly;

  orrery::RiscvVirtConfig config = orrery::fuzz::base_config();
  config.virtio.push_back({0, [&](orrery::Machine& m, orrery::IrqLine irq) -> orrery::Device& {
    std::unique_ptr<orrery::VirtioDevice> dev;
    if (block) {
      dev = std::make_unique<orrery::VirtioBlk>(drive);
    } else {
      dev = std::make_unique<orrery::VirtioRng>(counting_entropy);
    }
    return m.own(std::make_unique<orrery::VirtioMmio>(m.bus(), std::move(dev), std::move(irq)));
  }});
  {
    orrery::Machine machine;
    orrery::StringBackend console;
    orrery::build_riscv_virt(machine, config, console);
    orrery::Bus& bus = machine.bus();
    bus.write_image(kWindow, window, "the fuzz window");

    reg(bus, virtio::kStatus, 0);
    reg(bus, virtio::kStatus, virtio::kStatusAcknowledge | virtio::kStatusDriver);
    reg(bus, virtio::kDriverFeaturesSel, 0);
    reg(bus, virtio::kDriverFeatures, features_lo);
    reg(bus, virtio::kDriverFeaturesSel, 1);
    reg(bus, virtio::kDriverFeatures, features_hi);
    reg(bus, virtio::kStatus, virtio::kStatusAcknowledge | virtio::kStatusDriver | virtio::kStatusFeaturesOk);
    reg(bus, virtio::kQueueSel, 0);
    reg(bus, virtio::kQueueNum, queue_size);
    reg(bus, virtio::kQueueDescLow, static_cast<std::uint32_t>(kWindow));
    reg(bus, virtio::kQueueDescHigh, 0);
    reg(bus, virtio::kQueueDriverLow, static_cast<std::uint32_t>(avail));
    reg(bus, virtio::kQueueDriverHigh, 0);
    reg(bus, virtio::kQueueDeviceLow, static_cast<std::uint32_t>(used));
    reg(bus, virtio::kQueueDeviceHigh, 0);
    reg(bus, virtio::kQueueReady, 1);
    reg(bus, virtio::kStatus,
        virtio::kStatusAcknowledge | virtio::kStatusDriver | virtio::kStatusFeaturesOk | virtio::kStatusDriverOk);
    for (unsigned i = 0; i < notifies; ++i) {
      reg(bus, virtio::kQueueNotify, 0);
      reg(bus, virtio::kInterruptAck, virtio::kInterruptUsedBuffer | virtio::kInterruptConfigChange);
      // The driver's next round: the avail index moves on by the input's
      // own amount (its ring's idx field, re-read by the device).
      std::uint64_t idx = 0;
      bus.read(avail + 2, 2, idx);
      bus.write(avail + 2, 2, (idx + 1 + i) & 0xffff);
    }
  }
  if (block && readonly && read_file(drive.file) != pattern) {
    std::fputs("virtio fuzz: the read-only image changed\n", stderr);
    std::abort();
  }
  return 0;
}
