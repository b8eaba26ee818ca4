#pragma once
// The threaded engine's store of pre-decoded guest code (design:
// docs/design/threaded-engine.md). ISA-neutral: a block is a run of the
// ISA's op records for straight-line code inside one 4 KiB guest page,
// keyed by the host address of its first instruction (which names the
// physical byte: every RAM/ROM byte has one host address) and the ISA's
// regime word (e.g. privilege and virtualisation mode).
//
// Lifetime rules, which keep op pointers from dangling:
// - a block lives in an arena chunk until the next flush;
// - a write to a page holding blocks (Bus::mark_code / CodeWriteObserver)
//   marks them dead and removes them from the table; lookups skip dead
//   blocks, so only the running block can still be executing one, and the
//   running hart is told to leave it after the current instruction;
// - a full arena is flushed only from the engine's outer loop, between
//   blocks.
#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <ostream>
#include <type_traits>
#include <unordered_map>
#include <vector>

#include "orrery/core/bus.hpp"
#include "orrery/core/hart.hpp"

namespace orrery::threaded {

inline constexpr unsigned kPageBits = Bus::kCodePageBits;
inline constexpr std::uint64_t kPageSize = 1ull << kPageBits;

struct CacheStats {
  std::uint64_t blocks_built = 0, ops_built = 0;
  std::uint64_t entries = 0;       // block entries from the outer loop
  std::uint64_t jump_hits = 0;     // ... found in the direct-mapped jump cache
  std::uint64_t table_hits = 0;    // ... found in the table
  std::uint64_t chained = 0;       // block entries by a chain, skipping lookup
  std::uint64_t stepped = 0;       // instructions the interpreter stepped
  std::uint64_t invalidated_pages = 0, invalidated_blocks = 0;
  std::uint64_t volatile_pages = 0;
  std::uint64_t flushes = 0;
};

// What the engine owns without knowing the ISA's op record type.
class CacheBase : public CodeWriteObserver {
 public:
  ~CacheBase() override = default;
  virtual void print_stats(std::ostream& out) const = 0;
  // The hart inside the engine; told to leave its block when the block's
  // page is written.
  Hart* running = nullptr;
};

// Per-machine engine state handed to Hart::run_threaded. The first hart
// creates the cache for its ISA's op record type.
struct Context {
  std::unique_ptr<CacheBase> cache;
  std::size_t capacity_bytes = std::size_t{64} << 20;
};

template <class Op>
struct Block {
  const std::uint8_t* host = nullptr;  // first instruction
  std::uint32_t regime = 0;
  std::uint32_t n = 0;  // instructions; ops[n] is the end-of-block record
  std::uint32_t bytes = 0;  // guest code bytes from host on
  bool dead = false;
  // Chaining: two successor blocks entered from this block's exits (a
  // conditional branch's two ways) and their first instructions' host
  // addresses: the first one ever linked stays in slot 0, slot 1 holds the
  // latest other one. Validated on use exactly like a jump cache hit, so
  // they never need unlinking.
  const std::uint8_t* next_host[2] = {nullptr, nullptr};
  Block* next[2] = {nullptr, nullptr};
  // The linked successor starting at host, or nullptr.
  Block* successor(const std::uint8_t* host) const {
    if (next_host[0] == host && !next[0]->dead) return next[0];
    if (next_host[1] == host && !next[1]->dead) return next[1];
    return nullptr;
  }
  void link(const std::uint8_t* host, Block* b) {
    const unsigned way = next_host[0] && next_host[0] != host ? 1 : 0;
    next_host[way] = host;
    next[way] = b;
  }
  Op* ops = nullptr;
};

template <class Op>
class BlockCache final : public CacheBase {
  static_assert(std::is_trivially_copyable_v<Op>, "op records are copied into the arena");

 public:
  using BlockT = Block<Op>;
  // A page whose blocks were invalidated this often is stepped by the
  // interpreter from then on: it mixes code with data that keeps changing.
  static constexpr unsigned kVolatileAfter = 8;

  BlockCache(Bus& bus, std::size_t capacity_bytes) : bus_(bus), capacity_(capacity_bytes) {
    bus_.set_code_observer(this);
    jump_.fill({});
  }
  ~BlockCache() override { bus_.set_code_observer(nullptr); }
  BlockCache(const BlockCache&) = delete;
  BlockCache& operator=(const BlockCache&) = delete;

  // The live block starting at host in this regime, or nullptr.
  BlockT* find(const std::uint8_t* host, std::uint32_t regime) {
    ++stats_.entries;
    JumpEntry& j = jump_[jump_index(host)];
    if (j.host == host && j.regime == regime && !j.block->dead) [[likely]] {
      ++stats_.jump_hits;
      return j.block;
    }
    auto it = table_.find(Key{host, regime});
    if (it == table_.end()) return nullptr;
    ++stats_.table_hits;
    j = JumpEntry{host, regime, it->second};
    return it->second;
  }

  // May code at host be built into a block? Not on volatile pages.
  bool buildable(const std::uint8_t* host) const {
    if (volatile_.empty()) return true;
    auto it = volatile_.find(page_of(host));
    return it == volatile_.end() || it->second < kVolatileAfter;
  }

  // Store a block of `ops` (the last one the end-of-block record) starting
  // at host. Marks the page as code. Flushes first if the arena is full;
  // call only between blocks.
  BlockT* insert(const std::uint8_t* host, std::uint32_t regime, std::uint32_t code_bytes, const Op* ops,
                 std::uint32_t count) {
    const std::size_t bytes = sizeof(BlockT) + sizeof(Op) * count;
    if (needs_chunk(bytes) && allocated_ + chunk_size(bytes) > capacity_) flush();
    BlockT* b = new (allocate(bytes)) BlockT{};
    b->host = host;
    b->regime = regime;
    b->n = count - 1;
    b->bytes = code_bytes;
    b->ops = reinterpret_cast<Op*>(reinterpret_cast<std::byte*>(b) + sizeof(BlockT));
    std::memcpy(static_cast<void*>(b->ops), ops, sizeof(Op) * count);
    table_[Key{host, regime}] = b;
    pages_[page_of(host)].push_back(b);
    jump_[jump_index(host)] = JumpEntry{host, regime, b};
    ++stats_.blocks_built;
    stats_.ops_built += count - 1;
    // Last: marking makes the harts watch writes to the page.
    bus_.mark_code(host);
    return b;
  }

  // Bus: [p, p+len) of a page holding blocks is being written. Blocks whose
  // bytes overlap die; the page stays code while others remain (QEMU, too,
  // tracks which bytes of a page hold code, so that data stores next to
  // code do not throw the code away).
  bool code_written(const std::uint8_t* host_page, const std::uint8_t* p, std::uint64_t len) override {
    auto it = pages_.find(reinterpret_cast<std::uintptr_t>(host_page));
    if (it == pages_.end()) return false;
    auto& blocks = it->second;
    std::size_t killed = 0;
    for (std::size_t i = 0; i < blocks.size();) {
      BlockT* b = blocks[i];
      if (p < b->host + b->bytes && b->host < p + len) {
        b->dead = true;
        table_.erase(Key{b->host, b->regime});
        blocks[i] = blocks.back();
        blocks.pop_back();
        ++killed;
      } else {
        ++i;
      }
    }
    if (killed) {
      stats_.invalidated_blocks += killed;
      ++stats_.invalidated_pages;
      if (++volatile_[reinterpret_cast<std::uintptr_t>(host_page)] == kVolatileAfter) ++stats_.volatile_pages;
      if (running) running->request_block_exit();
    }
    if (!blocks.empty()) return true;
    pages_.erase(it);
    return false;
  }

  // Drop every block (arena full).
  void flush() {
    table_.clear();
    pages_.clear();
    jump_.fill({});
    chunks_.clear();
    chunk_left_ = 0;
    used_ = 0;
    allocated_ = 0;
    volatile_.clear();  // a page gets another chance once everything is rebuilt
    ++stats_.flushes;
    // The pages stay marked in the bus until written; that only costs a
    // slow-path store each, and re-marking is idempotent.
  }

  CacheStats& stats() { return stats_; }
  // Changes on every flush: block pointers from before are gone.
  std::uint64_t generation() const { return stats_.flushes; }
  std::size_t bytes_used() const { return used_; }
  std::size_t capacity() const { return capacity_; }

  void print_stats(std::ostream& out) const override;

 private:
  struct Key {
    const std::uint8_t* host;
    std::uint32_t regime;
    bool operator==(const Key&) const = default;
  };
  struct KeyHash {
    std::size_t operator()(const Key& k) const {
      return std::hash<const void*>{}(k.host) ^ (static_cast<std::size_t>(k.regime) * 0x9E3779B97F4A7C15ull);
    }
  };
  struct JumpEntry {
    const std::uint8_t* host = nullptr;
    std::uint32_t regime = 0;
    BlockT* block = nullptr;
  };
  static constexpr unsigned kJumpBits = 12;
  static unsigned jump_index(const std::uint8_t* host) {
    const auto a = reinterpret_cast<std::uintptr_t>(host);
    return static_cast<unsigned>(((a >> 1) ^ (a >> (1 + kJumpBits))) & ((1u << kJumpBits) - 1));
  }
  static std::uintptr_t page_of(const std::uint8_t* host) {
    return reinterpret_cast<std::uintptr_t>(host) & ~(kPageSize - 1);
  }

  static constexpr std::size_t kChunkBytes = std::size_t{1} << 20;
  static std::size_t aligned(std::size_t bytes) {
    return (bytes + alignof(std::max_align_t) - 1) & ~(alignof(std::max_align_t) - 1);
  }
  bool needs_chunk(std::size_t bytes) const { return aligned(bytes) > chunk_left_; }
  // Chunks are 1 MiB, or the capacity if that is smaller, or one block if
  // that is larger; capacity bounds the memory chunks take.
  std::size_t chunk_size(std::size_t bytes) const {
    return std::max(aligned(bytes), std::min(kChunkBytes, capacity_));
  }
  void* allocate(std::size_t bytes) {
    if (needs_chunk(bytes)) {
      const std::size_t size = chunk_size(bytes);
      chunks_.push_back(std::make_unique_for_overwrite<std::byte[]>(size));  // no zero-fill
      chunk_next_ = chunks_.back().get();
      chunk_left_ = size;
      allocated_ += size;
    }
    bytes = aligned(bytes);
    void* p = chunk_next_;
    chunk_next_ += bytes;
    chunk_left_ -= bytes;
    used_ += bytes;
    return p;
  }

  Bus& bus_;
  std::size_t capacity_;
  std::size_t used_ = 0;       // bytes of blocks
  std::size_t allocated_ = 0;  // bytes of chunks (<= capacity_ unless one block is larger)
  std::vector<std::unique_ptr<std::byte[]>> chunks_;
  std::byte* chunk_next_ = nullptr;
  std::size_t chunk_left_ = 0;
  std::unordered_map<Key, BlockT*, KeyHash> table_;
  std::unordered_map<std::uintptr_t, std::vector<BlockT*>> pages_;
  std::unordered_map<std::uintptr_t, std::uint32_t> volatile_;  // invalidations per page
  std::array<JumpEntry, 1u << kJumpBits> jump_;
  CacheStats stats_;
};

// The --stats lines of a cache (core/src/threaded.cpp).
void print_cache_stats(std::ostream& out, const CacheStats& s, std::size_t used, std::size_t capacity);

template <class Op>
void BlockCache<Op>::print_stats(std::ostream& out) const {
  print_cache_stats(out, stats_, allocated_, capacity_);
}

}  // namespace orrery::threaded
