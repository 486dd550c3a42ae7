#include "render/output_writer.hpp"

#include <fcntl.h>
#include <signal.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <charconv>
#include <csignal>
#include <cerrno>
#include <string>
#include <system_error>
#include <utility>

#include "core/error.hpp"
#include "core/process.hpp"

namespace arxiv_digest {

namespace {

// Move-only owner of a POSIX file descriptor.
class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) noexcept : fd_(fd) {}
  UniqueFd(UniqueFd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  UniqueFd& operator=(UniqueFd&& other) noexcept {
    if (this != &other) {
      reset();
      fd_ = std::exchange(other.fd_, -1);
    }
    return *this;
  }
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  ~UniqueFd() { reset(); }

  int get() const noexcept { return fd_; }
  // Closes now and reports close()'s errno (0 on success): a write error can surface here.
  int close() noexcept {
    const int fd = std::exchange(fd_, -1);
    if (fd < 0) return 0;
    return ::close(fd) == 0 ? 0 : errno;
  }
  void reset() noexcept {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_ = -1;
};

// Removes the temporary file unless disarmed (after the successful rename).
class TempFileGuard {
 public:
  TempFileGuard() = default;
  TempFileGuard(const TempFileGuard&) = delete;
  TempFileGuard& operator=(const TempFileGuard&) = delete;
  ~TempFileGuard() {
    if (!path_.empty()) ::unlink(path_.c_str());
  }
  void arm(std::string path) { path_ = std::move(path); }
  void disarm() noexcept { path_.clear(); }

 private:
  std::string path_;
};

[[noreturn]] void fail(const std::filesystem::path& path, std::string_view action, int error) {
  throw OutputError(fmt::format("cannot write '{}': {} failed: {}", path.string(), action,
                                std::generic_category().message(error)));
}

std::atomic<unsigned> temp_counter{0};

}  // namespace

StagedFile::StagedFile(const std::filesystem::path& path, std::string_view bytes) : path_(path) {
  if (path.filename().empty()) fail(path, "naming the file", EISDIR);
  const std::filesystem::path directory =
      path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");

  // An existing file keeps its permission bits; an existing directory is refused now, before
  // anything is renamed (rename() would only refuse it at commit time).
  mode_t mode = 0666;
  bool keep_mode = false;
  struct stat existing {};
  if (::stat(path.c_str(), &existing) == 0) {
    if (S_ISDIR(existing.st_mode)) fail(path, "checking the target", EISDIR);
    if (S_ISREG(existing.st_mode)) {
      mode = existing.st_mode & 07777;
      keep_mode = true;
    }
  }

  TempFileGuard guard;
  UniqueFd fd;
  std::string temp_path;
  for (int attempt = 0; attempt < 100; ++attempt) {
    temp_path = (directory / fmt::format(".{}.tmp-{}-{}", path.filename().string(), ::getpid(),
                                         temp_counter.fetch_add(1)))
                    .string();
    fd = UniqueFd(::open(temp_path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666));
    if (fd.get() >= 0 || errno != EEXIST) break;
  }
  if (fd.get() < 0) {
    const int error = errno;
    fail(path, fmt::format("creating '{}'", temp_path), error);
  }
  guard.arm(temp_path);

  std::size_t written = 0;
  while (written < bytes.size()) {
    const ssize_t n = ::write(fd.get(), bytes.data() + written, bytes.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      fail(path, "write", errno);
    }
    written += static_cast<std::size_t>(n);
  }
  if (keep_mode && ::fchmod(fd.get(), mode) != 0) fail(path, "fchmod", errno);
  if (::fsync(fd.get()) != 0) fail(path, "fsync", errno);
  if (const int error = fd.close(); error != 0) fail(path, "close", error);
  guard.disarm();
  temp_path_ = std::move(temp_path);
}

StagedFile::~StagedFile() { discard(); }

StagedFile::StagedFile(StagedFile&& other) noexcept
    : path_(std::move(other.path_)), temp_path_(std::exchange(other.temp_path_, {})) {}

StagedFile& StagedFile::operator=(StagedFile&& other) noexcept {
  if (this != &other) {
    discard();
    path_ = std::move(other.path_);
    temp_path_ = std::exchange(other.temp_path_, {});
  }
  return *this;
}

void StagedFile::discard() noexcept {
  if (!temp_path_.empty()) ::unlink(temp_path_.c_str());
  temp_path_.clear();
}

void StagedFile::commit() {
  if (temp_path_.empty()) fail(path_, "committing (nothing staged)", EINVAL);
  if (::rename(temp_path_.c_str(), path_.c_str()) != 0) {
    const int error = errno;
    discard();
    fail(path_, "rename", error);
  }
  temp_path_.clear();
  // Make the rename durable; best effort (see header).
  const std::filesystem::path directory =
      path_.has_parent_path() ? path_.parent_path() : std::filesystem::path(".");
  const UniqueFd dir_fd(::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (dir_fd.get() >= 0) ::fsync(dir_fd.get());
}

std::size_t remove_stale_temporaries(const std::filesystem::path& path) noexcept {
  std::size_t removed = 0;
  try {
    const std::filesystem::path directory =
        path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
    const std::string prefix = fmt::format(".{}.tmp-", path.filename().string());
    std::error_code ec;
    for (std::filesystem::directory_iterator it(directory, ec), end; !ec && it != end;
         it.increment(ec)) {
      const std::string name = it->path().filename().string();
      if (!name.starts_with(prefix)) continue;
      // <pid>-<n>: the writer's process id, then its counter.
      const std::string_view rest = std::string_view(name).substr(prefix.size());
      long pid = 0;
      const auto [end_pid, parse_error] = std::from_chars(rest.data(), rest.data() + rest.size(), pid);
      if (parse_error != std::errc() || end_pid == rest.data() + rest.size() || *end_pid != '-' ||
          pid <= 0)
        continue;
      if (pid == ::getpid()) continue;
      if (process_may_be_running(pid)) continue;
      std::error_code remove_error;
      if (std::filesystem::remove(it->path(), remove_error)) ++removed;
    }
  } catch (...) {
    // Best effort (see the header): a name that cannot be converted, an allocation failure.
  }
  return removed;
}

void AtomicFileWriter::write(const std::filesystem::path& path, std::string_view bytes) {
  StagedFile(path, bytes).commit();
}

}  // namespace arxiv_digest
