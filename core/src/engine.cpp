#include "orrery/core/engine.hpp"

#include <fmt/format.h>

namespace orrery {

std::vector<std::string> engine_names() { return {"interp", "threaded"}; }

std::unique_ptr<Engine> make_engine(std::string_view name) {
  if (name == "interp") return std::make_unique<InterpreterEngine>();
  if (name == "threaded") return std::make_unique<ThreadedEngine>();
  throw Error(fmt::format("unknown engine '{}' (available: interp, threaded)", name));
}

void ThreadedEngine::print_stats(std::ostream& out) const {
  if (context_.cache) context_.cache->print_stats(out);
  else out << "orrery: engine threaded: no blocks built\n";
}

}  // namespace orrery
