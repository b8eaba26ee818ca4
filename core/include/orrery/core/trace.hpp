#pragma once
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "orrery/core/types.hpp"

namespace orrery {

// Which retired instructions --trace writes, and what each line holds (the
// --trace-* flags). Modes are the ISA's own numbering (RISC-V: M, S, U, VS,
// VU as RiscvHart::ModeIndex); the core only tests bits.
struct TraceConfig {
  struct Range {
    Addr lo = 0, hi = 0;  // [lo, hi)
    bool contains(Addr a) const { return a >= lo && a < hi; }
  };
  std::vector<Range> pcs;                 // empty: every pc
  std::uint32_t modes = ~std::uint32_t{0};  // bit i: mode i
  std::uint64_t harts = ~std::uint64_t{0};  // bit i: hart i
  // [window_begin, window_end) of the machine-wide count of retired
  // instructions: the line numbers (from 0) of the unfiltered trace.
  std::uint64_t window_begin = 0, window_end = ~std::uint64_t{0};
  bool mem = false;     // the instruction's memory accesses
  bool csr = false;     // its CSR write
  bool disasm = true;   // " ; disassembly" after the Spike fields

  bool windowed() const { return window_begin != 0 || window_end != ~std::uint64_t{0}; }
  bool hart_selected(unsigned hart) const { return hart < 64 && ((harts >> hart) & 1); }
};

// Buffered sink for the per-instruction trace (--trace FILE). The ISA formats
// the lines and applies the filters; this owns the file, the configuration
// and the machine-wide count the window is measured in.
class TraceWriter {
 public:
  // "-" writes to stdout. Throws Error if the file cannot be opened.
  explicit TraceWriter(const std::string& path, TraceConfig config = {});
  // Writes to an open stream it does not own (tests: a tmpfile).
  explicit TraceWriter(std::FILE* file, TraceConfig config = {});
  ~TraceWriter();
  TraceWriter(const TraceWriter&) = delete;
  TraceWriter& operator=(const TraceWriter&) = delete;

  const TraceConfig& config() const { return config_; }
  // Every traced hart calls this once per retired instruction, selected by
  // the filters or not; the answer is that instruction's index. Harts take
  // turns on one host thread, so the count is the machine's deterministic
  // interleaving.
  std::uint64_t next_index() { return retired_++; }
  // The filters that do not depend on the window.
  bool selects(unsigned hart, unsigned mode, Addr pc) const;

  void write(std::string_view text) { std::fwrite(text.data(), 1, text.size(), file_); }
  void flush() { std::fflush(file_); }

 private:
  std::FILE* file_ = nullptr;
  bool owned_ = false;
  TraceConfig config_;
  std::uint64_t retired_ = 0;
};

// -d categories, as QEMU's -d names its log items. Bit masks, so a hot path
// tests a copy of the mask (Hart::log_mask_, Bus) with one AND.
namespace log_category {
constexpr unsigned kInterrupt = 1u << 0;  // int: interrupts taken
constexpr unsigned kException = 1u << 1;  // exc: exceptions taken
constexpr unsigned kMmu = 1u << 2;        // mmu: translation faults
constexpr unsigned kDevice = 1u << 3;     // dev: MMIO accesses
}  // namespace log_category

// "int,exc" -> the mask. Throws Error naming an unknown or empty item.
unsigned parse_log_categories(std::string_view list);
// What `-d help` prints: every item, one a line.
std::string log_categories_help();

// The sink of the -d log (-D FILE, default stderr): one line per event.
class DebugLog {
 public:
  // An empty path is stderr. Throws Error if the file cannot be opened.
  DebugLog(const std::string& path, unsigned categories);
  DebugLog(std::FILE* file, unsigned categories);  // not owned
  ~DebugLog();
  DebugLog(const DebugLog&) = delete;
  DebugLog& operator=(const DebugLog&) = delete;

  unsigned categories() const { return categories_; }
  // text is one line, without its newline.
  void line(std::string_view text);
  void flush() { std::fflush(file_); }

 private:
  std::FILE* file_ = nullptr;
  bool owned_ = false;
  unsigned categories_ = 0;
};

}  // namespace orrery
