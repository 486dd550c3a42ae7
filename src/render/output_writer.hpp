// OutputWriter: where rendered bytes go. The seam for delivery: files today; mail and webhooks
// later implement the same interface.
#pragma once

#include <filesystem>
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

}  // namespace arxiv_digest
