#pragma once
#include <cstdint>
#include <functional>
#include <limits>
#include <map>
#include <utility>

#include "orrery/core/types.hpp"

namespace orrery {

// Callbacks scheduled at a guest time. Events due at the same time fire in
// the order they were scheduled, so runs are deterministic.
class EventQueue {
 public:
  using Callback = std::function<void(Tick now)>;
  using Id = std::uint64_t;
  static constexpr Tick kNever = std::numeric_limits<Tick>::max();

  Id schedule(Tick when, Callback callback);
  // Told about every newly scheduled deadline (the machine uses it to end a
  // running slice early so the event fires on time).
  void set_schedule_observer(std::function<void(Tick)> observer) { observer_ = std::move(observer); }
  bool cancel(Id id);  // false if it already fired or never existed
  // When event id fires; kNever once it fired or was cancelled (a checkpoint
  // saves the deadlines of what its owners scheduled).
  Tick deadline(Id id) const {
    const auto it = when_.find(id);
    return it == when_.end() ? kNever : it->second;
  }
  Tick next_deadline() const { return events_.empty() ? kNever : events_.begin()->first.first; }
  bool empty() const { return events_.empty(); }
  std::size_t size() const { return events_.size(); }
  // Fire every event due at or before now (including ones scheduled by the
  // callbacks themselves); returns how many fired.
  std::size_t run_due(Tick now);

 private:
  using Key = std::pair<Tick, Id>;
  std::map<Key, Callback> events_;
  std::map<Id, Tick> when_;
  Id next_id_ = 1;
  std::function<void(Tick)> observer_;
};

// A callback an object keeps scheduled at most once at a time (a timer
// compare, an alarm, a poll): arming it again moves it. A checkpoint saves
// its deadline (kNever while it is not armed) and restore() arms it there
// again, so a restored run fires it at the same tick.
class OwnedEvent {
 public:
  OwnedEvent(EventQueue& queue, EventQueue::Callback callback) : queue_(queue), callback_(std::move(callback)) {}
  ~OwnedEvent() { cancel(); }
  OwnedEvent(const OwnedEvent&) = delete;
  OwnedEvent& operator=(const OwnedEvent&) = delete;

  void arm(Tick when) {
    cancel();
    id_ = queue_.schedule(when, [this](Tick now) {
      id_ = 0;
      callback_(now);
    });
  }
  void cancel() {
    if (id_) queue_.cancel(id_);
    id_ = 0;
  }
  Tick deadline() const { return queue_.deadline(id_); }
  void restore(Tick deadline) {
    cancel();
    if (deadline != EventQueue::kNever) arm(deadline);
  }

 private:
  EventQueue& queue_;
  EventQueue::Callback callback_;
  EventQueue::Id id_ = 0;
};

}  // namespace orrery
