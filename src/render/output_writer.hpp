// OutputWriter: where rendered bytes go. The seam for delivery: files today; mail and webhooks
// later implement the same interface.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>

namespace arxiv_digest {

class OutputWriter {
 public:
  virtual ~OutputWriter() = default;
  // Stores `bytes` under `path`. Throws OutputError (naming the path and the system's reason) on
  // failure. Implementations document their own thread-safety and failure guarantees.
  virtual void write(const std::filesystem::path& path, std::string_view bytes) = 0;
};

// Replaces a file atomically: writes a temporary file in the same directory
// (".<name>.tmp-<pid>-<n>"), fsyncs it, renames it over `path`, then fsyncs the directory.
// Readers see either the whole old file or the whole new one, never a mix or a truncation.
//
// - A new file gets mode 0666 minus the umask; an existing file keeps its permission bits.
// - The parent directory must exist (it is not created).
// - On failure (directory missing or not writable, disk full, `path` is a directory, ...) the
//   temporary file is removed, the old file (if any) is left untouched, and OutputError is
//   thrown whose message names `path` and the errno text. A failure of the final directory fsync
//   is ignored: by then the rename has happened and the new content is in place.
// - Thread-safe: concurrent writes to different paths are independent; concurrent writes to the
//   same path each leave one complete version (the last rename wins).
class AtomicFileWriter final : public OutputWriter {
 public:
  void write(const std::filesystem::path& path, std::string_view bytes) override;
};

// The two halves of AtomicFileWriter::write, for publishing several files together or not at
// all: construct one StagedFile per file (each writes and fsyncs its temporary file; nothing is
// visible yet), then commit() each (the rename). A StagedFile destroyed without commit() removes
// its temporary file, so a failure while staging leaves every target as it was.
// The constructor also refuses a target that is an existing directory (OutputError, EISDIR), so
// that the renames that follow cannot fail for that reason. Move-only; not thread-safe.
class StagedFile {
 public:
  // Throws OutputError as AtomicFileWriter::write does; nothing is left behind on a throw.
  StagedFile(const std::filesystem::path& path, std::string_view bytes);
  ~StagedFile();
  StagedFile(StagedFile&& other) noexcept;
  StagedFile& operator=(StagedFile&& other) noexcept;
  StagedFile(const StagedFile&) = delete;
  StagedFile& operator=(const StagedFile&) = delete;

  // Renames the temporary file over the target. Throws OutputError (and removes the temporary
  // file) when the rename fails. At most once.
  void commit();
  const std::filesystem::path& path() const noexcept { return path_; }

 private:
  void discard() noexcept;
  std::filesystem::path path_;
  std::string temp_path_;  // empty once committed or discarded
};

// Removes the temporary files (".<name>.tmp-<pid>-<n>") a writer of `path` left behind when it
// was killed between staging and commit (SIGKILL, power loss: no destructor ran). Only files
// whose <pid> is not a running process are removed (a zombie, killed but not yet reaped, counts
// as not running), so a concurrent writer's staged file stays.
// Returns how many were removed; errors are ignored (a leftover is untidy, never wrong: no
// reader looks at dot-files with that pattern).
std::size_t remove_stale_temporaries(const std::filesystem::path& path) noexcept;

}  // namespace arxiv_digest
