#include "orrery/core/trace.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fmt/format.h>
#include <utility>

namespace orrery {

namespace {

// fopen with the project's error wording; "what" names the file's role.
std::FILE* open_for_writing(const std::string& path, std::string_view what) {
  std::FILE* f = std::fopen(path.c_str(), "w");
  if (!f) throw Error(fmt::format("cannot open {} '{}': {}", what, path, std::strerror(errno)));
  return f;
}

struct CategoryInfo {
  std::string_view name;
  std::string_view alias;  // a longer spelling, or empty
  unsigned bit;
  std::string_view help;
};

constexpr CategoryInfo kCategories[] = {
    {"int", "interrupt", log_category::kInterrupt, "interrupts taken: cause, epc, modes before and after, handler"},
    {"exc", "exception", log_category::kException,
     "exceptions taken: cause, epc, tval, modes before and after, handler"},
    {"mmu", "", log_category::kMmu,
     "translation faults (page, guest-page, page-table access): address, access, translation regime"},
    {"dev", "device", log_category::kDevice, "device (MMIO) accesses: device, offset, size, value, read or write"},
};

std::string category_names() {
  std::string names;
  for (const CategoryInfo& c : kCategories) names += fmt::format("{}{}", names.empty() ? "" : ", ", c.name);
  return names;
}

}  // namespace

TraceWriter::TraceWriter(const std::string& path, TraceConfig config) : config_(std::move(config)) {
  if (path == "-") {
    file_ = stdout;
    return;
  }
  file_ = open_for_writing(path, "trace file");
  owned_ = true;
  std::setvbuf(file_, nullptr, _IOFBF, 1 << 20);
}

TraceWriter::TraceWriter(std::FILE* file, TraceConfig config) : file_(file), config_(std::move(config)) {}

TraceWriter::~TraceWriter() {
  if (owned_) std::fclose(file_);
  else std::fflush(file_);
}

bool TraceWriter::selects(unsigned hart, unsigned mode, Addr pc) const {
  if (!config_.hart_selected(hart) || mode >= 32 || !((config_.modes >> mode) & 1)) return false;
  if (config_.pcs.empty()) return true;
  return std::any_of(config_.pcs.begin(), config_.pcs.end(), [pc](const TraceConfig::Range& r) {
    return r.contains(pc);
  });
}

unsigned parse_log_categories(std::string_view list) {
  unsigned mask = 0;
  while (true) {
    const std::size_t comma = list.find(',');
    const std::string_view item = list.substr(0, comma);
    if (item.empty()) throw Error("-d: empty log item (stray comma?); '-d help' lists them");
    const auto* c = std::find_if(std::begin(kCategories), std::end(kCategories), [item](const CategoryInfo& i) {
      return item == i.name || (!i.alias.empty() && item == i.alias);
    });
    if (c == std::end(kCategories))
      throw Error(fmt::format("-d {}: unknown log item (available: {}; '-d help' explains them)", item,
                              category_names()));
    mask |= c->bit;
    if (comma == std::string_view::npos) return mask;
    list.remove_prefix(comma + 1);
  }
}

std::string log_categories_help() {
  std::string out = "Log items for -d (comma separated; -D FILE writes them to FILE instead of stderr):\n";
  for (const CategoryInfo& c : kCategories) {
    const std::string name = c.alias.empty() ? std::string(c.name) : fmt::format("{}, {}", c.name, c.alias);
    out += fmt::format("{:<16}{}\n", name, c.help);
  }
  return out;
}

DebugLog::DebugLog(const std::string& path, unsigned categories) : categories_(categories) {
  if (path.empty()) {
    file_ = stderr;
    return;
  }
  file_ = open_for_writing(path, "log file");
  owned_ = true;
  std::setvbuf(file_, nullptr, _IOFBF, 1 << 16);
}

DebugLog::DebugLog(std::FILE* file, unsigned categories) : file_(file), categories_(categories) {}

DebugLog::~DebugLog() {
  if (owned_) std::fclose(file_);
  else std::fflush(file_);
}

void DebugLog::line(std::string_view text) {
  std::fwrite(text.data(), 1, text.size(), file_);
  std::fputc('\n', file_);
}

}  // namespace orrery
