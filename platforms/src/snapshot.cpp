#include "orrery/platforms/snapshot.hpp"

#include <boost/crc.hpp>
#include <fmt/format.h>

namespace orrery {

namespace {

constexpr const char* kPlatformSection = "platform";

// Two timing configurations with one name (a preset and an edited copy of
// it) are told apart by their numbers.
std::uint32_t timing_fingerprint(const timing::Config& c) {
  StateWriter w;
  w(c.frequency_hz, c.issue_width, c.latency, c.memory_latency, c.page_walk_levels, c.trap_penalty);
  const timing::PredictorConfig& p = c.predictor;
  w(p.kind, p.table_entries, p.history_bits, p.btb_entries, p.btb_ways, p.ras_entries, p.mispredict_penalty,
    p.decode_redirect);
  for (const timing::CacheConfig* cache : {&c.l1i, &c.l1d, &c.l2})
    w(cache->size, cache->ways, cache->line, cache->latency, cache->replacement);
  for (const timing::TlbConfig* tlb : {&c.itlb, &c.dtlb}) w(tlb->entries, tlb->ways);
  boost::crc_32_type crc;
  crc.process_bytes(w.data().data(), w.data().size());
  return crc.checksum();
}

}  // namespace

std::string machine_summary(const RiscvVirtConfig& config) {
  const char* aia = config.aia == VirtAia::None ? "none" : config.aia == VirtAia::Aplic ? "aplic" : "aplic-imsic";
  std::string slots;
  for (const VirtioMmioSlot& s : config.virtio) slots += fmt::format("{}{}", slots.empty() ? "" : ",", s.slot);
  return fmt::format("machine=virt harts={} ram={:#x} h={} aia={} aia-guests={} virtio-slots=[{}] timing={} rtc={}",
                     config.harts, config.ram_size, config.hypervisor ? "on" : "off", aia, config.aia_guests, slots,
                     config.timing ? fmt::format("{} ({:08x})", config.timing->name, timing_fingerprint(*config.timing))
                                   : "none",
                     config.rtc_follows_guest ? "vm" : "host");
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
