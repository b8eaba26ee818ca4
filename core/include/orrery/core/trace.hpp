#pragma once
#include <cstdio>
#include <string>
#include <string_view>

namespace orrery {

// Buffered sink for the per-instruction trace (--trace FILE). The ISA formats
// the lines; this only owns the file.
class TraceWriter {
 public:
  // "-" writes to stdout. Throws Error if the file cannot be opened.
  explicit TraceWriter(const std::string& path);
  ~TraceWriter();
  TraceWriter(const TraceWriter&) = delete;
  TraceWriter& operator=(const TraceWriter&) = delete;

  void write(std::string_view text) { std::fwrite(text.data(), 1, text.size(), file_); }
  void flush() { std::fflush(file_); }

 private:
  std::FILE* file_ = nullptr;
  bool owned_ = false;
};

}  // namespace orrery
