#pragma once
// SIGINT, SIGTERM and SIGHUP end a run gracefully: the handler only records
// the signal, the machine stops at its next slice boundary (Machine::
// set_stop_flag), and the orrery executable then writes disk images back,
// flushes the console and the trace, and exits with 128 + the signal's
// number. A second signal, for a run that does not stop, ends the process
// at once (the terminal is put back first).
#include <csignal>

namespace orrery {

class StopSignals {
 public:
  StopSignals();   // installs the handlers
  ~StopSignals();  // puts the previous ones back
  StopSignals(const StopSignals&) = delete;
  StopSignals& operator=(const StopSignals&) = delete;

  // Non-zero once a signal arrived: the flag for Machine::set_stop_flag.
  const volatile std::sig_atomic_t* flag() const;
  // The signal that arrived, 0 if none.
  int received() const;
};

}  // namespace orrery
