#pragma once
// Checkpoints: the whole machine's state in a file (--save-at, --load,
// savevm). docs/checkpoints.md describes the format and what a restored run
// guarantees.
//
// Every stateful object writes its fields with one template,
//   template <class Archive> void state(Archive& ar) { ar(a_, b_, c_); }
// used by both directions, so a field saved is a field loaded. Readers check
// every length against what is left, and vectors keep the size the machine
// was built with: the file configures nothing, it only fills.
#include <array>
#include <cstdint>
#include <cstring>
#include <map>
#include <span>
#include <string>
#include <type_traits>
#include <vector>

#include "orrery/core/types.hpp"

namespace orrery {

// Saved as their bytes: numbers, enums and arrays or structs of them without
// padding (padding would put indeterminate bytes in the file). Structs with
// padding give themselves a state() member. Booleans never: a loaded byte
// other than 0 or 1 would be an invalid bool, so they go one by one.
template <class T>
inline constexpr bool kRaw =
    !std::is_same_v<std::remove_cv_t<std::remove_all_extents_t<T>>, bool> &&
    (std::is_arithmetic_v<std::remove_all_extents_t<T>> || std::is_enum_v<std::remove_all_extents_t<T>> ||
     (std::is_class_v<T> && std::is_trivially_copyable_v<T> && std::has_unique_object_representations_v<T>));

class StateWriter {
 public:
  static constexpr bool kLoading = false;

  template <class... T>
  void operator()(const T&... values) {
    (put(values), ...);
  }
  void bytes(const void* data, std::size_t size) {
    const auto* p = static_cast<const std::uint8_t*>(data);
    data_.insert(data_.end(), p, p + size);
  }
  const std::vector<std::uint8_t>& data() const { return data_; }
  std::vector<std::uint8_t> take() { return std::move(data_); }

 private:
  template <class T>
  void put(const T& v) {
    if constexpr (std::is_same_v<T, bool>) {
      const std::uint8_t b = v ? 1 : 0;
      bytes(&b, 1);
    } else if constexpr (requires(T& t, StateWriter& w) { t.state(w); }) {
      const_cast<T&>(v).state(*this);  // state() serves both directions; writing changes nothing
    } else if constexpr (kRaw<T>) {
      bytes(&v, sizeof v);
    } else {
      put_container(v);
    }
  }
  template <class T>
  void put_container(const std::vector<T>& v) {
    put(static_cast<std::uint64_t>(v.size()));
    for (const auto& e : v) put(static_cast<const T&>(e));
  }
  void put_container(const std::vector<bool>& v) {
    put(static_cast<std::uint64_t>(v.size()));
    for (bool b : v) put(b);
  }
  template <class T, std::size_t N>
  void put_container(const std::array<T, N>& v) {
    for (const auto& e : v) put(e);
  }
  template <class T, std::size_t N>
  void put_container(const T (&v)[N]) {
    for (const auto& e : v) put(e);
  }
  void put_container(const std::string& s) {
    put(static_cast<std::uint64_t>(s.size()));
    bytes(s.data(), s.size());
  }

  std::vector<std::uint8_t> data_;
};

// Reads what a StateWriter wrote. Errors (truncation, a size or value the
// machine cannot take) throw orrery::Error naming `what` (the section).
class StateReader {
 public:
  static constexpr bool kLoading = true;

  StateReader(std::span<const std::uint8_t> data, std::string what) : data_(data), what_(std::move(what)) {}

  template <class... T>
  void operator()(T&... values) {
    (get(values), ...);
  }
  void bytes(void* out, std::size_t size);
  // A string of any length (at most what is left).
  std::string string();
  std::uint64_t u64() {
    std::uint64_t v;
    get(v);
    return v;
  }
  // The section must be used up: a longer one belongs to another layout.
  void expect_end() const;
  [[noreturn]] void fail(const std::string& problem) const;
  // A loaded value the architecture or the device cannot hold.
  void check(bool ok, const char* field) const {
    if (!ok) fail(std::string("invalid value of ") + field);
  }
  std::size_t left() const { return data_.size() - pos_; }

 private:
  template <class T>
  void get(T& v) {
    if constexpr (std::is_same_v<T, bool>) {
      std::uint8_t b;
      bytes(&b, 1);
      if (b > 1) fail("a boolean is neither 0 nor 1");
      v = b != 0;
    } else if constexpr (requires(T& t, StateReader& r) { t.state(r); }) {
      v.state(*this);
    } else if constexpr (kRaw<T>) {
      bytes(&v, sizeof v);
    } else {
      get_container(v);
    }
  }
  void expect_size(std::size_t have);
  template <class T>
  void get_container(std::vector<T>& v) {
    expect_size(v.size());
    for (auto& e : v) get(e);
  }
  void get_container(std::vector<bool>& v);
  template <class T, std::size_t N>
  void get_container(std::array<T, N>& v) {
    for (auto& e : v) get(e);
  }
  template <class T, std::size_t N>
  void get_container(T (&v)[N]) {
    for (auto& e : v) get(e);
  }
  void get_container(std::string& s) { s = string(); }

  std::span<const std::uint8_t> data_;
  std::size_t pos_ = 0;
  std::string what_;
};

// Anything with state beyond what its construction gives it. Objects that
// schedule events cancel and re-schedule them in load_state.
class Stateful {
 public:
  virtual ~Stateful() = default;
  virtual void save_state(StateWriter& out) const = 0;
  virtual void load_state(StateReader& in) = 0;
};

// A Stateful for an object with a state() template (e.g. a cache the harts
// share), for Machine::add_state.
template <class T>
class StateOf final : public Stateful {
 public:
  explicit StateOf(T& object) : object_(object) {}
  void save_state(StateWriter& out) const override { out(object_); }
  void load_state(StateReader& in) override { in(object_); }

 private:
  T& object_;
};

// The file: a header ("ORRERYCK", format version) and named sections, each
// with its length and a CRC-32, then an "end" section. Loading checks every
// CRC before anything is read from a section.
class CheckpointFile {
 public:
  static constexpr std::uint32_t kFormatVersion = 1;

  void add(std::string name, std::vector<std::uint8_t> payload);
  bool has(const std::string& name) const { return sections_.count(name) != 0; }
  // The section's reader; a missing section is an error.
  StateReader reader(const std::string& name) const;
  std::vector<std::string> names() const;

  void write(const std::string& path) const;
  // Throws Error with the path and the problem: not a checkpoint, another
  // format version, truncated, a CRC mismatch, a duplicate section.
  static CheckpointFile read(const std::string& path);

 private:
  std::map<std::string, std::vector<std::uint8_t>> sections_;
  std::vector<std::string> order_;
  std::string path_;
};

// RAM (or ROM) contents: only the 4 KiB pages that hold a non-zero byte.
std::vector<std::uint8_t> save_memory(const std::uint8_t* base, std::uint64_t size);
void load_memory(StateReader& in, std::uint8_t* base, std::uint64_t size);

}  // namespace orrery
