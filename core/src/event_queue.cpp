#include "orrery/core/event_queue.hpp"

namespace orrery {

EventQueue::Id EventQueue::schedule(Tick when, Callback callback) {
  const Id id = next_id_++;
  events_.emplace(Key{when, id}, std::move(callback));
  when_.emplace(id, when);
  if (observer_) observer_(when);
  return id;
}

bool EventQueue::cancel(Id id) {
  auto it = when_.find(id);
  if (it == when_.end()) return false;
  events_.erase(Key{it->second, id});
  when_.erase(it);
  return true;
}

std::size_t EventQueue::run_due(Tick now) {
  std::size_t fired = 0;
  while (!events_.empty() && events_.begin()->first.first <= now) {
    auto node = events_.extract(events_.begin());
    when_.erase(node.key().second);
    node.mapped()(now);
    ++fired;
  }
  return fired;
}

}  // namespace orrery
