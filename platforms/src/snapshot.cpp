#include "orrery/platforms/snapshot.hpp"

#include <fmt/format.h>

namespace orrery {

namespace {
constexpr const char* kPlatformSection = "platform";
}

std::string machine_summary(const RiscvVirtConfig& config) {
  const char* aia = config.aia == VirtAia::None ? "none" : config.aia == VirtAia::Aplic ? "aplic" : "aplic-imsic";
  std::string slots;
  for (const VirtioMmioSlot& s : config.virtio) slots += fmt::format("{}{}", slots.empty() ? "" : ",", s.slot);
  return fmt::format("machine=virt harts={} ram={:#x} h={} aia={} aia-guests={} virtio-slots=[{}] timing={} rtc={}",
                     config.harts, config.ram_size, config.hypervisor ? "on" : "off", aia, config.aia_guests, slots,
                     config.timing ? config.timing->name : "none", config.rtc_follows_guest ? "vm" : "host");
}

void save_snapshot(const Machine& machine, const RiscvVirtConfig& config, const std::string& path) {
  CheckpointFile file = machine.save_checkpoint();
  StateWriter out;
  out(std::string(ORRERY_VERSION), machine_summary(config));
  file.add(kPlatformSection, out.take());
  file.write(path);
}

void load_snapshot(Machine& machine, const RiscvVirtConfig& config, const std::string& path) {
  const CheckpointFile file = CheckpointFile::read(path);
  StateReader in = file.reader(kPlatformSection);
  const std::string version = in.string(), summary = in.string();
  if (summary != machine_summary(config))
    throw Error(fmt::format("checkpoint '{}' was saved for another machine; give the options it was saved with:\n"
                            "  saved: {}\n  now:   {}",
                            path, summary, machine_summary(config)));
  try {
    machine.load_checkpoint(file);
  } catch (const Error& e) {
    throw Error(fmt::format("checkpoint '{}' (saved by orrery {}): {}", path, version, e.what()));
  }
}

}  // namespace orrery
