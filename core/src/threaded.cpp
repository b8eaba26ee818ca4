#include <fmt/format.h>

#include "orrery/core/threaded/block_cache.hpp"

namespace orrery::threaded {

namespace {
double percent(std::uint64_t part, std::uint64_t whole) {
  return whole ? 100.0 * static_cast<double>(part) / static_cast<double>(whole) : 0.0;
}
}  // namespace

void print_cache_stats(std::ostream& out, const CacheStats& s, std::size_t used, std::size_t capacity) {
  const std::uint64_t entries = s.entries + s.chained;
  out << fmt::format("orrery: engine threaded: {} blocks, {} ops built; cache {:.1f} of {:.0f} MiB, {} flushes\n",
                     s.blocks_built, s.ops_built, static_cast<double>(used) / (1 << 20),
                     static_cast<double>(capacity) / (1 << 20), s.flushes);
  out << fmt::format("orrery:   block entries {}: chained {:.1f}%, jump cache {:.1f}%, table {:.1f}%, built {:.1f}%\n",
                     entries, percent(s.chained, entries), percent(s.jump_hits, entries),
                     percent(s.table_hits, entries), percent(s.blocks_built, entries));
  out << fmt::format("orrery:   invalidated {} pages / {} blocks; volatile pages {}; stepped instructions {}\n",
                     s.invalidated_pages, s.invalidated_blocks, s.volatile_pages, s.stepped);
}

}  // namespace orrery::threaded
