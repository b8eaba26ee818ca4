// The command line: the input, split at NUL bytes, is argv[1..]. Parsing may
// refuse it with orrery::Error (a usage error and exit status 2 in main());
// any other exception would escape main() and abort, so it is a finding.
#include <string>
#include <vector>

#include "orrery/core/types.hpp"
#include "orrery/platforms/cli.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::vector<std::string> args{"orrery"};
  std::string current;
  for (std::size_t i = 0; i < size; ++i) {
    if (data[i] == 0) {
      args.push_back(current);
      current.clear();
    } else {
      current += static_cast<char>(data[i]);
    }
  }
  if (!current.empty()) args.push_back(current);
  std::vector<const char*> argv;
  for (const std::string& a : args) argv.push_back(a.c_str());
  argv.push_back(nullptr);
  try {
    const orrery::CliOptions options = orrery::parse_command_line(static_cast<int>(args.size()), argv.data());
    (void)options;
  } catch (const orrery::Error&) {
    // a usage error, with a message
  }
  return 0;
}
