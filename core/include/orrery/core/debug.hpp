#pragma once
// What a debugger (the GDB stub, platforms/) needs of a hart, without
// knowing its ISA: registers by the debugger's numbers, the target
// description, and translation of the debugger's addresses.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "orrery/core/types.hpp"

namespace orrery {

class DebugTarget {
 public:
  virtual ~DebugTarget() = default;
  // GDB's name of the architecture, e.g. "riscv:rv64".
  virtual std::string_view gdb_architecture() const = 0;
  // The target description document (GDB manual, "Target Descriptions")
  // for qXfer:features:read; nullopt for an annex that does not exist.
  virtual std::optional<std::string> target_xml(std::string_view annex) const = 0;
  // The registers of a 'g' packet are 0 .. this - 1.
  virtual unsigned g_packet_registers() const = 0;
  // A register's size in bytes; 0 if the hart has no such register.
  virtual unsigned register_bytes(unsigned regno) const = 0;
  // false: no such register (or not readable/writable now).
  virtual bool read_register(unsigned regno, std::uint64_t& value) const = 0;
  virtual bool write_register(unsigned regno, std::uint64_t value) = 0;
  // The physical address a data access to va would reach now, walking the
  // page tables without side effects: no faults, no accessed/dirty
  // updates, no TLB fills, no PMP check. nullopt when va does not
  // translate.
  virtual std::optional<Addr> debug_translate(Addr va) const = 0;
};

}  // namespace orrery
