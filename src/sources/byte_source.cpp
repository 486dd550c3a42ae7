// ByteSource implementations for files and standard input (see byte_source.hpp).
#include "sources/byte_source.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <utility>

#include "core/error.hpp"
#include "sources/gzip_reader.hpp"

namespace arxiv_digest {
namespace {

// A POSIX file descriptor, owned (move-only; closed in the destructor unless it is stdin).
class FileDescriptor {
 public:
  FileDescriptor() = default;
  FileDescriptor(int fd, bool owned) : fd_(fd), owned_(owned) {}
  ~FileDescriptor() {
    if (fd_ >= 0 && owned_) ::close(fd_);
  }
  FileDescriptor(FileDescriptor&& o) noexcept
      : fd_(std::exchange(o.fd_, -1)), owned_(std::exchange(o.owned_, false)) {}
  FileDescriptor& operator=(FileDescriptor&& o) noexcept {
    if (this != &o) {
      if (fd_ >= 0 && owned_) ::close(fd_);
      fd_ = std::exchange(o.fd_, -1);
      owned_ = std::exchange(o.owned_, false);
    }
    return *this;
  }
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  int get() const noexcept { return fd_; }

 private:
  int fd_ = -1;
  bool owned_ = false;
};

class FileSource final : public ByteSource {
 public:
  FileSource(FileDescriptor fd, std::string source)
      : fd_(std::move(fd)), source_(std::move(source)) {}
  std::size_t read(std::span<char> buffer) override {
    if (buffer.empty()) return 0;
    for (;;) {
      const ssize_t n = ::read(fd_.get(), buffer.data(), buffer.size());
      if (n >= 0) return static_cast<std::size_t>(n);
      if (errno == EINTR) continue;
      const int code = errno;
      if (code == EISDIR)
        throw ParseError(source_, 0, 0, "", fmt::format("{}: is a directory", source_));
      throw ParseError(source_, 0, 0, "",
                       fmt::format("{}: read error ({})", source_, std::strerror(code)));
    }
  }
  const std::string& source() const noexcept override { return source_; }

 private:
  FileDescriptor fd_;
  std::string source_;
};

// Bytes already read (to sniff the format), then the rest of `inner`.
class PrefixedSource final : public ByteSource {
 public:
  PrefixedSource(std::string head, std::unique_ptr<ByteSource> inner)
      : head_(std::move(head)), inner_(std::move(inner)) {}
  std::size_t read(std::span<char> buffer) override {
    if (at_ < head_.size()) {
      const std::size_t n = std::min(buffer.size(), head_.size() - at_);
      std::memcpy(buffer.data(), head_.data() + at_, n);
      at_ += n;
      return n;
    }
    return inner_->read(buffer);
  }
  const std::string& source() const noexcept override { return inner_->source(); }

 private:
  std::string head_;
  std::size_t at_ = 0;
  std::unique_ptr<ByteSource> inner_;
};

class MemorySource final : public ByteSource {
 public:
  MemorySource(std::string_view bytes, std::string source)
      : bytes_(bytes), source_(std::move(source)) {}
  std::size_t read(std::span<char> buffer) override {
    const std::size_t n = std::min(buffer.size(), bytes_.size());
    if (n > 0) std::memcpy(buffer.data(), bytes_.data(), n);
    bytes_.remove_prefix(n);
    return n;
  }
  const std::string& source() const noexcept override { return source_; }

 private:
  std::string_view bytes_;
  std::string source_;
};

}  // namespace

std::unique_ptr<ByteSource> memory_source(std::string_view bytes, std::string source) {
  return std::make_unique<MemorySource>(bytes, std::move(source));
}

std::unique_ptr<ByteSource> open_file(const std::string& path) {
  if (path == "-") return std::make_unique<FileSource>(FileDescriptor(0, false), "<stdin>");
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    const int code = errno;
    throw ParseError(path, 0, 0, "",
                     fmt::format("{}: cannot open the file ({})", path, std::strerror(code)));
  }
  FileDescriptor owned(fd, true);
  struct stat st {};
  if (::fstat(fd, &st) == 0 && S_ISDIR(st.st_mode))
    throw ParseError(path, 0, 0, "", fmt::format("{}: is a directory", path));
  return std::make_unique<FileSource>(std::move(owned), path);
}

std::unique_ptr<ByteSource> open_input(const std::string& path) {
  std::unique_ptr<ByteSource> file = open_file(path);
  std::string head(2, '\0');
  std::size_t got = 0;
  while (got < head.size()) {
    const std::size_t n = file->read(std::span<char>(head.data() + got, head.size() - got));
    if (n == 0) break;
    got += n;
  }
  head.resize(got);
  const bool gzip = got == 2 && static_cast<unsigned char>(head[0]) == 0x1F &&
                    static_cast<unsigned char>(head[1]) == 0x8B;
  auto prefixed = std::make_unique<PrefixedSource>(std::move(head), std::move(file));
  if (gzip) return std::make_unique<GzipReader>(std::move(prefixed));
  return prefixed;
}

}  // namespace arxiv_digest
