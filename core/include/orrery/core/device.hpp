#pragma once
#include <string>
#include <string_view>

#include "orrery/core/types.hpp"

namespace orrery {

class StateReader;
class StateWriter;

// A memory-mapped device. Offsets are relative to the region the device was
// mapped at; size is 1, 2, 4 or 8 bytes. Returning false reports a bus error,
// which the hart turns into an access fault.
class Device {
 public:
  virtual ~Device() = default;
  virtual std::string_view name() const = 0;
  virtual bool read(Addr offset, unsigned size, std::uint64_t& value) = 0;
  virtual bool write(Addr offset, unsigned size, std::uint64_t value) = 0;
  // Called when the machine resets (e.g. a guest-requested reboot).
  virtual void reset() {}
  // Called when a run ends however it ends (the guest powered off, the
  // instruction limit, a host signal): put what the device holds for the
  // host where it belongs, e.g. a disk image's writes on stable storage.
  // Returns an error message, empty on success.
  virtual std::string sync() { return {}; }
  // Checkpoints (core/checkpoint.hpp): the device's registers and whatever
  // it holds between accesses. The default is a device without state.
  virtual void save_state(StateWriter& out) const;
  virtual void load_state(StateReader& in);
};

}  // namespace orrery
