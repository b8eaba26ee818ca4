#pragma once
#include <cstdint>
#include <memory>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "orrery/core/hart.hpp"
#include "orrery/core/threaded/block_cache.hpp"

namespace orrery {

// An execution engine drives a hart for a budget of instructions. Engines
// are ISA-neutral: the interpreter calls the hart's own reference loop; the
// threaded engine runs pre-decoded op records from a block cache it owns,
// through the dispatch loop the ISA instantiates (core/threaded/).
class Engine {
 public:
  virtual ~Engine() = default;
  virtual std::string_view name() const = 0;
  virtual std::uint64_t run(Hart& hart, std::uint64_t budget) = 0;
  // --stats lines about the engine itself, if it has any.
  virtual void print_stats(std::ostream&) const {}
};

class InterpreterEngine final : public Engine {
 public:
  std::string_view name() const override { return "interp"; }
  std::uint64_t run(Hart& hart, std::uint64_t budget) override { return hart.interpret(budget); }
};

// Pre-decoded blocks with direct-threaded dispatch; architecturally
// identical to the interpreter (--lockstep proves it run by run).
class ThreadedEngine final : public Engine {
 public:
  std::string_view name() const override { return "threaded"; }
  std::uint64_t run(Hart& hart, std::uint64_t budget) override { return hart.run_threaded(context_, budget); }
  void print_stats(std::ostream& out) const override;
  // Bound on decoded code; a full cache is flushed (default 64 MiB).
  void set_cache_capacity(std::size_t bytes) { context_.capacity_bytes = bytes; }

 private:
  threaded::Context context_;
};

// Engines selectable with --engine.
std::vector<std::string> engine_names();
// Throws Error for an unknown name.
std::unique_ptr<Engine> make_engine(std::string_view name);

}  // namespace orrery
