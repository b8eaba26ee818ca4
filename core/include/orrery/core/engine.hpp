#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "orrery/core/hart.hpp"

namespace orrery {

// An execution engine drives a hart for a budget of instructions. Engines
// are ISA-neutral: the interpreter calls the hart's own reference loop; the
// threaded engine (later) will run pre-decoded op records that the ISA
// supplies through the same Hart object, so ISA code does not change when an
// engine is added.
class Engine {
 public:
  virtual ~Engine() = default;
  virtual std::string_view name() const = 0;
  virtual std::uint64_t run(Hart& hart, std::uint64_t budget) = 0;
};

class InterpreterEngine final : public Engine {
 public:
  std::string_view name() const override { return "interp"; }
  std::uint64_t run(Hart& hart, std::uint64_t budget) override { return hart.interpret(budget); }
};

// Engines selectable with --engine.
std::vector<std::string> engine_names();
// Throws Error for an unknown name.
std::unique_ptr<Engine> make_engine(std::string_view name);

}  // namespace orrery
