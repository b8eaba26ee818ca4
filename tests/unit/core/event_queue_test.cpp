#include <gtest/gtest.h>

#include <vector>

#include "orrery/core/event_queue.hpp"

namespace orrery {
namespace {

TEST(EventQueue, FiresInTimeOrderThenScheduleOrder) {
  EventQueue q;
  std::vector<int> order;
  q.schedule(20, [&](Tick) { order.push_back(3); });
  q.schedule(10, [&](Tick) { order.push_back(1); });
  q.schedule(10, [&](Tick) { order.push_back(2); });
  EXPECT_EQ(q.next_deadline(), 10u);
  EXPECT_EQ(q.run_due(9), 0u);
  EXPECT_EQ(q.run_due(15), 2u);
  EXPECT_EQ(q.run_due(20), 1u);
  EXPECT_EQ(order, (std::vector<int>{1, 2, 3}));
  EXPECT_TRUE(q.empty());
  EXPECT_EQ(q.next_deadline(), EventQueue::kNever);
}

TEST(EventQueue, CancelRemovesOnlyThatEvent) {
  EventQueue q;
  int fired = 0;
  auto a = q.schedule(5, [&](Tick) { fired += 1; });
  q.schedule(5, [&](Tick) { fired += 10; });
  EXPECT_TRUE(q.cancel(a));
  EXPECT_FALSE(q.cancel(a));
  q.run_due(5);
  EXPECT_EQ(fired, 10);
}

TEST(EventQueue, CallbacksMayScheduleMoreEventsThatAreAlreadyDue) {
  EventQueue q;
  std::vector<Tick> seen;
  q.schedule(1, [&](Tick now) {
    seen.push_back(now);
    q.schedule(2, [&](Tick t) { seen.push_back(t + 100); });
    q.schedule(50, [&](Tick t) { seen.push_back(t + 1000); });
  });
  EXPECT_EQ(q.run_due(10), 2u);
  EXPECT_EQ(seen, (std::vector<Tick>{10, 110}));
  EXPECT_EQ(q.size(), 1u);
}

TEST(OwnedEvent, ArmsOnceMovesRestoresAndCancelsOnDestruction) {
  EventQueue q;
  std::vector<Tick> fired;
  {
    OwnedEvent e(q, [&](Tick now) { fired.push_back(now); });
    EXPECT_EQ(e.deadline(), EventQueue::kNever);
    e.arm(10);
    e.arm(20);  // moves it: one event, at 20
    EXPECT_EQ(q.size(), 1u);
    EXPECT_EQ(e.deadline(), 20u);
    q.run_due(15);
    EXPECT_TRUE(fired.empty());
    q.run_due(25);
    EXPECT_EQ(fired, (std::vector<Tick>{25}));
    EXPECT_EQ(e.deadline(), EventQueue::kNever) << "fired: no longer armed";
    e.restore(40);
    EXPECT_EQ(e.deadline(), 40u);
    e.restore(EventQueue::kNever);
    EXPECT_TRUE(q.empty()) << "restoring no deadline cancels";
    e.arm(50);
  }
  EXPECT_TRUE(q.empty()) << "destroyed: its event is cancelled";
}

}  // namespace
}  // namespace orrery
