#pragma once
#include <functional>

namespace orrery {

// One level-sensitive interrupt wire: the controller calls it with the new
// level whenever it may have changed (repeating a level is harmless).
using IrqLine = std::function<void(bool level)>;

}  // namespace orrery
