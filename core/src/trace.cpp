#include "orrery/core/trace.hpp"

#include <cerrno>
#include <cstring>
#include <fmt/format.h>

#include "orrery/core/types.hpp"

namespace orrery {

TraceWriter::TraceWriter(const std::string& path) {
  if (path == "-") {
    file_ = stdout;
    return;
  }
  file_ = std::fopen(path.c_str(), "w");
  if (!file_) throw Error(fmt::format("cannot open trace file '{}': {}", path, std::strerror(errno)));
  owned_ = true;
  std::setvbuf(file_, nullptr, _IOFBF, 1 << 20);
}

TraceWriter::~TraceWriter() {
  if (owned_) std::fclose(file_);
  else std::fflush(file_);
}

}  // namespace orrery
