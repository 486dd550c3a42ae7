#include "support/smtp_server.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sched.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace arxiv_digest::testing {
namespace {

constexpr const char* kSmtpd = "/usr/sbin/smtpd";

sockaddr_in loopback(int port) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return address;
}

bool accepts_connections(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  const sockaddr_in address = loopback(port);
  const bool ok = ::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0;
  ::close(fd);
  return ok;
}

// Whether this process may make a private mount namespace (probed once, in a throwaway child).
bool can_use_mount_namespace() {
  static const bool result = [] {
    const pid_t pid = ::fork();
    if (pid < 0) return false;
    if (pid == 0) {
      if (::unshare(CLONE_NEWNS) != 0) ::_exit(1);
      if (::mount("none", "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) ::_exit(1);
      ::_exit(0);
    }
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    return WIFEXITED(status) && WEXITSTATUS(status) == 0;
  }();
  return result;
}

std::string slurp(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

void write_text(const std::filesystem::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

}  // namespace

std::optional<std::string> SmtpServer::unavailable_reason() {
  if (::access(kSmtpd, X_OK) != 0)
    return std::string(
        "OpenSMTPD is not installed (/usr/sbin/smtpd): apt-get install opensmtpd "
        "(scripts/setup installs it)");
  if (::geteuid() != 0) return std::string("OpenSMTPD must be started as root");
  return std::nullopt;
}

int SmtpServer::free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) throw std::runtime_error(std::string("socket: ") + std::strerror(errno));
  sockaddr_in address = loopback(0);
  socklen_t length = sizeof address;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    ::close(fd);
    throw std::runtime_error(std::string("bind: ") + std::strerror(errno));
  }
  ::close(fd);
  return ntohs(address.sin_port);
}

SmtpServer::SmtpServer(SmtpServerOptions options) {
  if (const auto reason = unavailable_reason()) throw std::runtime_error(*reason);
  namespace fs = std::filesystem;
  const fs::path root = dir_.path();
  // The mda runs as "nobody": it must reach and write the mail directory.
  fs::permissions(root, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                            fs::perms::others_read | fs::perms::others_exec);
  const fs::path mail = root / "mail";
  fs::create_directories(mail);
  fs::permissions(mail, fs::perms::all | fs::perms::sticky_bit);
  fs::create_directories(root / "spool");
  fs::create_directories(root / "run");

  const bool isolated = can_use_mount_namespace();
  if (!isolated) {
    // Shared spool and control socket: one server at a time on this machine.
    const fs::path lock_path = fs::temp_directory_path() / "arxiv-digest-opensmtpd.lock";
    lock_fd_ = ::open(lock_path.c_str(), O_CREAT | O_RDWR | O_CLOEXEC, 0666);
    if (lock_fd_ < 0 || ::flock(lock_fd_, LOCK_EX) != 0)
      throw std::runtime_error("cannot lock " + lock_path.string());
  }

  port_ = free_port();
  std::string config;
  config += "table vusers file:" + (root / "vusers").string() + "\n";
  write_text(root / "vusers", "@ nobody\n");
  if (!options.refused.empty()) {
    std::string refused;
    for (const std::string& address : options.refused) refused += address + "\n";
    write_text(root / "refused", refused);
    config += "table refused file:" + (root / "refused").string() + "\n";
  }
  config += "listen on 127.0.0.1 port " + std::to_string(port_) + " hostname smtp.test\n";
  // Written under a dot-name, then renamed: a reader never sees half a message.
  const std::string m = mail.string();
  config += "action \"deliver\" mda \"/bin/sh -c 'cat > " + m + "/.incoming.$$ && mv " + m +
            "/.incoming.$$ " + m + "/%{rcpt}.$$'\" virtual <vusers>\n";
  if (!options.refused.empty()) config += "match from any for rcpt-to <refused> reject\n";
  config += "match from any for any action \"deliver\"\n";
  const fs::path config_path = root / "smtpd.conf";
  write_text(config_path, config);

  // Everything the child needs, prepared before fork (no allocation after it).
  const std::string log_path = (root / "smtpd.log").string();
  const std::string spool = (root / "spool").string();
  const std::string run = (root / "run").string();
  std::string arg0 = kSmtpd, arg1 = "-d", arg2 = "-f", arg3 = config_path.string();
  char* const argv[] = {arg0.data(), arg1.data(), arg2.data(), arg3.data(), nullptr};
  const int log_fd = ::open(log_path.c_str(), O_CREAT | O_WRONLY | O_TRUNC | O_CLOEXEC, 0644);
  if (log_fd < 0) throw std::runtime_error("cannot create " + log_path);

  pid_ = ::fork();
  if (pid_ < 0) {
    ::close(log_fd);
    throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
  }
  if (pid_ == 0) {
    ::setpgid(0, 0);  // the destructor signals the whole group: smtpd and its children
    ::dup2(log_fd, 1);
    ::dup2(log_fd, 2);
    const int null_fd = ::open("/dev/null", O_RDONLY);
    if (null_fd >= 0) ::dup2(null_fd, 0);
    if (isolated) {
      if (::unshare(CLONE_NEWNS) != 0) ::_exit(120);
      // Private first, so the binds below never propagate to the rest of the machine.
      if (::mount("none", "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) ::_exit(121);
      if (::mount(spool.c_str(), "/var/spool", nullptr, MS_BIND, nullptr) != 0) ::_exit(122);
      if (::mount(run.c_str(), "/run", nullptr, MS_BIND, nullptr) != 0) ::_exit(123);
    }
    ::execv(argv[0], argv);
    ::_exit(127);
  }
  ::setpgid(pid_, pid_);  // also here: whichever runs first
  ::close(log_fd);

  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (!accepts_connections(port_)) {
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      throw std::runtime_error("smtpd exited while starting (status " + std::to_string(status) +
                               "):\n" + log());
    }
    if (std::chrono::steady_clock::now() > deadline) {
      stop();
      throw std::runtime_error("smtpd did not listen on port " + std::to_string(port_) +
                               " within 5 s:\n" + log());
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

SmtpServer::~SmtpServer() {
  stop();
  if (lock_fd_ >= 0) ::close(lock_fd_);  // releases the flock
}

void SmtpServer::stop() noexcept {
  if (pid_ <= 0) return;
  ::kill(-pid_, SIGTERM);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(3);
  int status = 0;
  while (::waitpid(pid_, &status, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() > deadline) {
      ::kill(-pid_, SIGKILL);
      ::waitpid(pid_, &status, 0);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  // The privilege-separated children notice their parent is gone and exit; make sure of it.
  ::kill(-pid_, SIGKILL);
  pid_ = -1;
}

std::string SmtpServer::url() const { return "smtp://127.0.0.1:" + std::to_string(port_); }

std::string SmtpServer::log() const { return slurp(dir_ / "smtpd.log"); }

std::vector<std::string> SmtpServer::mail_for(const std::string& recipient) const {
  namespace fs = std::filesystem;
  std::vector<std::pair<fs::file_time_type, fs::path>> files;
  const std::string prefix = recipient + ".";
  for (const auto& entry : fs::directory_iterator(dir_ / "mail")) {
    const std::string name = entry.path().filename().string();
    if (name.starts_with(prefix)) files.emplace_back(entry.last_write_time(), entry.path());
  }
  std::sort(files.begin(), files.end());
  std::vector<std::string> messages;
  for (const auto& [time, path] : files) messages.push_back(slurp(path));
  return messages;
}

std::vector<std::string> SmtpServer::wait_for_mail(const std::string& recipient, std::size_t count,
                                                   std::chrono::milliseconds timeout) const {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    std::vector<std::string> messages = mail_for(recipient);
    if (messages.size() >= count || std::chrono::steady_clock::now() > deadline) return messages;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

}  // namespace arxiv_digest::testing
