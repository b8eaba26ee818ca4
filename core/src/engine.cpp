#include "orrery/core/engine.hpp"

#include <fmt/format.h>

namespace orrery {

std::vector<std::string> engine_names() { return {"interp"}; }

std::unique_ptr<Engine> make_engine(std::string_view name) {
  if (name == "interp") return std::make_unique<InterpreterEngine>();
  throw Error(fmt::format("unknown engine '{}' (available: interp)", name));
}

}  // namespace orrery
