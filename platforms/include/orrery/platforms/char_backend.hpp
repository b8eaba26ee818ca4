#pragma once
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <string>
#include <string_view>

namespace orrery {

// Where a serial device's bytes go and come from.
class CharBackend {
 public:
  virtual ~CharBackend() = default;
  virtual void write(std::uint8_t byte) = 0;
  // A received byte, if one is waiting. Never blocks.
  virtual bool read(std::uint8_t& byte) = 0;
  virtual void flush() {}
  // Called periodically in guest time by the machine: gather input that has
  // arrived and push out buffered output. Returns true while the backend
  // wants to be called again (more input may come, or output waits).
  // `wait_ns` > 0 says the guest is idle: the backend may block up to that
  // long for input, so an idle guest at a prompt does not spin the host.
  virtual bool service(std::uint64_t wait_ns = 0) { return (void)wait_ns, false; }
};

// The host's stdin and stdout (or any pair of descriptors), as QEMU's
// -nographic console:
// - When the input is a terminal, it is put in raw mode (no echo, no line
//   editing, no signals from ^C: every key goes to the guest) and restored
//   when the backend is destroyed, at exit, and on SIGINT/SIGTERM/SIGHUP/
//   SIGQUIT. QEMU's escape works: Ctrl-A X quits ("orrery: terminated"),
//   Ctrl-A Ctrl-A sends one Ctrl-A, Ctrl-A H prints the escapes.
// - Otherwise (a pipe or a file) bytes are delivered as they arrive, without
//   escapes; end of file just means no more input.
// Input is read without blocking from service(). Output is buffered and
// flushed at each newline, when full, from service(), and at destruction.
// Put an interactive terminal that a StdioBackend switched to raw mode back
// as it was; async-signal-safe, for signal handlers that end the process.
void restore_terminal_now();

class StdioBackend final : public CharBackend {
 public:
  StdioBackend(int in_fd, int out_fd);
  StdioBackend();  // stdin and stdout
  ~StdioBackend() override;
  StdioBackend(const StdioBackend&) = delete;
  StdioBackend& operator=(const StdioBackend&) = delete;

  void write(std::uint8_t byte) override;
  bool read(std::uint8_t& byte) override;
  void flush() override;
  bool service(std::uint64_t wait_ns = 0) override;

  // What Ctrl-A X does (e.g. print a message and stop the machine). Without
  // a handler the escape is ignored.
  void set_quit_handler(std::function<void()> quit) { quit_ = std::move(quit); }
  // The monitor (Ctrl-A C switches to it and back, as in QEMU): while it is
  // open, typed lines go to it instead of the guest, edited and echoed here.
  bool monitor_open() const { return monitor_open_; }
  bool take_monitor_line(std::string& line);
  void monitor_write(std::string_view text);  // '\n' becomes "\r\n" on the raw terminal
  void close_monitor();
  bool raw_terminal() const { return raw_; }
  bool input_open() const { return input_open_; }
  // Feed received bytes through the escape handling (what service() does
  // with the bytes it reads; public for tests).
  void receive(const std::uint8_t* data, std::size_t n);

  static constexpr std::uint8_t kEscape = 0x01;  // Ctrl-A

 private:
  void poll_input(std::uint64_t wait_ns);

  int in_fd_, out_fd_;
  bool raw_ = false;          // input is a terminal we put in raw mode
  bool input_open_ = true;    // no end of file or error seen yet
  bool escape_seen_ = false;  // the previous byte was Ctrl-A
  void monitor_input(std::uint8_t c);
  void toggle_monitor();
  bool monitor_open_ = false;
  std::string monitor_line_;                // the line being typed
  std::deque<std::string> monitor_lines_;   // lines entered, not yet run
  std::deque<std::uint8_t> rx_;
  std::string tx_;
  std::function<void()> quit_;
};

// Collects output in memory (tests).
class StringBackend final : public CharBackend {
 public:
  void write(std::uint8_t byte) override { out += static_cast<char>(byte); }
  bool read(std::uint8_t& byte) override {
    if (in.empty()) return false;
    byte = static_cast<std::uint8_t>(in.front());
    in.erase(0, 1);
    return true;
  }
  bool service(std::uint64_t = 0) override { return !in.empty(); }
  std::string out;
  std::string in;
};

}  // namespace orrery
