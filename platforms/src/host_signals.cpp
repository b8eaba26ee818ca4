#include "orrery/platforms/host_signals.hpp"

#include <array>

#include "orrery/platforms/char_backend.hpp"

namespace orrery {
namespace {

constexpr std::array kSignals = {SIGINT, SIGTERM, SIGHUP};
volatile std::sig_atomic_t g_received = 0;
std::array<struct sigaction, kSignals.size()> g_previous{};

// Only async-signal-safe work here (POSIX.1-2017 section 2.4.3): a store to
// a volatile sig_atomic_t, or restoring the terminal and re-raising.
void on_signal(int sig) {
  if (g_received == 0) {
    g_received = sig;
    return;
  }
  restore_terminal_now();
  std::signal(sig, SIG_DFL);
  std::raise(sig);
}

}  // namespace

StopSignals::StopSignals() {
  g_received = 0;
  struct sigaction sa {};
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  for (std::size_t i = 0; i < kSignals.size(); ++i) sigaction(kSignals[i], &sa, &g_previous[i]);
}

StopSignals::~StopSignals() {
  for (std::size_t i = 0; i < kSignals.size(); ++i) sigaction(kSignals[i], &g_previous[i], nullptr);
}

const volatile std::sig_atomic_t* StopSignals::flag() const { return &g_received; }
int StopSignals::received() const { return g_received; }

}  // namespace orrery
