#include "core/process.hpp"

#include <signal.h>

#include <cerrno>
#include <fstream>
#include <string>

namespace arxiv_digest {

bool process_may_be_running(long pid) {
  if (pid <= 0) return false;
  const auto id = static_cast<pid_t>(pid);
  if (static_cast<long>(id) != pid) return false;
  if (::kill(id, 0) != 0) return errno != ESRCH;
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(stat, line)) return true;  // no /proc: assume it runs
  // "<pid> (<comm>) <state> ...": comm may hold spaces and parentheses, the state follows the
  // last ')'.
  const std::size_t close = line.rfind(')');
  if (close == std::string::npos || close + 2 >= line.size()) return true;
  const char state = line[close + 2];
  return state != 'Z' && state != 'X';
}

}  // namespace arxiv_digest
