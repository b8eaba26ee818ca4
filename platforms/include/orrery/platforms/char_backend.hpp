#pragma once
#include <cstdint>
#include <string>

namespace orrery {

// Where a serial device's bytes go and come from.
class CharBackend {
 public:
  virtual ~CharBackend() = default;
  virtual void write(std::uint8_t byte) = 0;
  // A received byte, if one is waiting.
  virtual bool read(std::uint8_t& byte) = 0;
  virtual void flush() {}
};

// The host's stdout (output only for now: console input arrives with the
// raw-terminal backend of the full-system platform). Output is buffered and
// flushed at each newline, when full, and at exit.
class StdioBackend final : public CharBackend {
 public:
  ~StdioBackend() override { flush(); }
  void write(std::uint8_t byte) override;
  bool read(std::uint8_t&) override { return false; }
  void flush() override;

 private:
  std::string buffer_;
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
  std::string out;
  std::string in;
};

}  // namespace orrery
