#include "orrery/platforms/char_backend.hpp"

#include <poll.h>
#include <termios.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdlib>

namespace orrery {
namespace {

// The terminal state to put back. Kept in globals so that the signal and
// atexit handlers, which cannot reach the backend, can restore it; only
// async-signal-safe calls touch it there (tcsetattr is one, POSIX.1-2017
// section 2.4.3).
int g_tty_fd = -1;
termios g_saved_tty{};
volatile std::sig_atomic_t g_tty_raw = 0;


void restore_and_reraise(int sig) {
  restore_terminal_now();
  std::signal(sig, SIG_DFL);
  std::raise(sig);
}

void install_restore_handlers() {
  static bool installed = false;
  if (installed) return;
  installed = true;
  std::atexit(restore_terminal_now);
  struct sigaction sa {};
  sa.sa_handler = restore_and_reraise;
  sigemptyset(&sa.sa_mask);
  for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGQUIT}) sigaction(sig, &sa, nullptr);
}

// Raw mode as a serial console needs it: bytes pass unchanged and at once,
// ^C/^Z/^\ are ordinary characters for the guest, no echo. Output
// post-processing (OPOST: \n -> \r\n) stays on, as QEMU leaves it.
bool enter_raw_mode(int fd) {
  if (!isatty(fd)) return false;
  // A background job must not take over the terminal (tcsetattr would stop
  // it with SIGTTOU). tcgetpgrp fails when fd is not our controlling
  // terminal, which is no obstacle.
  const pid_t fg = tcgetpgrp(fd);
  if (fg != -1 && fg != getpgrp()) return false;
  termios tty{};
  if (tcgetattr(fd, &tty) != 0) return false;
  g_saved_tty = tty;
  g_tty_fd = fd;
  tty.c_iflag &= ~static_cast<tcflag_t>(IGNBRK | BRKINT | PARMRK | ISTRIP | INLCR | IGNCR | ICRNL | IXON);
  tty.c_oflag |= OPOST;
  tty.c_lflag &= ~static_cast<tcflag_t>(ECHO | ECHONL | ICANON | ISIG | IEXTEN);
  tty.c_cflag &= ~static_cast<tcflag_t>(CSIZE | PARENB);
  tty.c_cflag |= CS8;
  tty.c_cc[VMIN] = 1;
  tty.c_cc[VTIME] = 0;
  install_restore_handlers();
  if (tcsetattr(fd, TCSANOW, &tty) != 0) return false;
  g_tty_raw = 1;
  return true;
}

}  // namespace

void restore_terminal_now() {
  if (g_tty_raw) {
    tcsetattr(g_tty_fd, TCSANOW, &g_saved_tty);
    g_tty_raw = 0;
  }
}

StdioBackend::StdioBackend() : StdioBackend(STDIN_FILENO, STDOUT_FILENO) {}

StdioBackend::StdioBackend(int in_fd, int out_fd) : in_fd_(in_fd), out_fd_(out_fd) {
  raw_ = enter_raw_mode(in_fd_);
  if (!raw_ && isatty(in_fd_)) input_open_ = false;  // a background job's terminal: reading would stop us
}

StdioBackend::~StdioBackend() {
  flush();
  if (raw_) restore_terminal_now();
}

void StdioBackend::write(std::uint8_t byte) {
  tx_ += static_cast<char>(byte);
  if (byte == '\n' || tx_.size() >= 4096) flush();
}

void StdioBackend::flush() {
  std::size_t done = 0;
  while (done < tx_.size()) {
    const ssize_t n = ::write(out_fd_, tx_.data() + done, tx_.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;  // output closed: drop output rather than fail the guest
    done += static_cast<std::size_t>(n);
  }
  tx_.clear();
}

bool StdioBackend::read(std::uint8_t& byte) {
  if (rx_.empty()) return false;
  byte = rx_.front();
  rx_.pop_front();
  return true;
}

void StdioBackend::receive(const std::uint8_t* data, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint8_t c = data[i];
    if (!raw_) {  // escapes belong to the interactive console only
      rx_.push_back(c);
      continue;
    }
    if (!escape_seen_) {
      if (c == kEscape) {
        escape_seen_ = true;
      } else if (monitor_open_) {
        monitor_input(c);
      } else {
        rx_.push_back(c);
      }
      continue;
    }
    escape_seen_ = false;
    switch (c) {
      case kEscape:
        if (!monitor_open_) rx_.push_back(kEscape);
        break;
      case 'c':
      case 'C': toggle_monitor(); break;
      case 'x':
      case 'X':
        close_monitor();  // main holds the guest while it is open
        if (quit_) quit_();
        break;
      case 'h':
      case 'H': {
        static const char help[] =
            "\nC-a h    print this help\nC-a x    exit emulator\nC-a c    switch between console and monitor\n"
            "C-a C-a  send C-a\n";
        flush();
        [[maybe_unused]] const ssize_t ignored = ::write(STDERR_FILENO, help, sizeof help - 1);
        break;
      }
      default: break;  // unknown escapes are dropped, as QEMU's multiplexer does
    }
  }
}

void StdioBackend::toggle_monitor() {
  if (monitor_open_) {
    close_monitor();
    return;
  }
  monitor_open_ = true;
  monitor_line_.clear();
  monitor_write("\norrery monitor - type 'help' for more information; Ctrl-A C returns to the guest\n(orrery) ");
}

void StdioBackend::close_monitor() {
  if (!monitor_open_) return;
  monitor_open_ = false;
  monitor_lines_.clear();
  monitor_write("\n");
}

// A line editor as small as a terminal's cooked mode: printable bytes,
// backspace, Enter.
void StdioBackend::monitor_input(std::uint8_t c) {
  if (c == '\r' || c == '\n') {
    monitor_write("\n");
    monitor_lines_.push_back(std::move(monitor_line_));
    monitor_line_.clear();
  } else if (c == 0x7f || c == '\b') {
    if (!monitor_line_.empty()) {
      monitor_line_.pop_back();
      monitor_write("\b \b");
    }
  } else if (c >= 0x20 && c < 0x7f && monitor_line_.size() < 1024) {
    monitor_line_ += static_cast<char>(c);
    monitor_write(std::string_view(&monitor_line_.back(), 1));
  }
}

bool StdioBackend::take_monitor_line(std::string& line) {
  if (monitor_lines_.empty()) return false;
  line = std::move(monitor_lines_.front());
  monitor_lines_.pop_front();
  return true;
}

void StdioBackend::monitor_write(std::string_view text) {
  for (const char c : text) {
    if (c == '\n' && raw_) tx_ += '\r';
    tx_ += c;
  }
  flush();
}

void StdioBackend::poll_input(std::uint64_t wait_ns) {
  // Take no more while the guest has a backlog: a large file or paste is
  // read as the guest consumes it.
  while (input_open_ && rx_.size() < 4096) {
    pollfd p{in_fd_, POLLIN, 0};
    // Wait only before the first read, and only when nothing is queued.
    const timespec wait{0, static_cast<long>(rx_.empty() ? std::min<std::uint64_t>(wait_ns, 999'999'999) : 0)};
    wait_ns = 0;
    const int ready = ::ppoll(&p, 1, &wait, nullptr);
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0 || !(p.revents & (POLLIN | POLLHUP | POLLERR | POLLNVAL))) return;
    if (p.revents & POLLNVAL) {
      input_open_ = false;
      return;
    }
    std::uint8_t buf[512];
    const ssize_t n = ::read(in_fd_, buf, sizeof buf);
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) return;
    if (n <= 0) {  // end of file (or an error): no more input, never an error for the guest
      input_open_ = false;
      return;
    }
    receive(buf, static_cast<std::size_t>(n));
  }
}

bool StdioBackend::service(std::uint64_t wait_ns) {
  flush();  // show output before waiting for the answer to it
  poll_input(wait_ns);
  flush();
  return input_open_ || !rx_.empty() || raw_;
}

}  // namespace orrery
