// DigestSink: where a finished digest goes. Files today (FileSink), a stream (StreamSink, for
// `run --stdout`); e-mail and webhooks implement the same interface. DailyRun renders every
// format once (RenderedSet) and hands the same set to each sink, so a sink never renders and all
// channels carry identical bytes.
//
// Failure contract: publish() either publishes or throws (OutputError for files and streams;
// later channels their own typed errors). DailyRun catches a sink's failure, records it in the
// RunReport under the sink's name, and goes on with the other sinks: one failing channel never
// blocks the others.
#pragma once

#include <chrono>
#include <filesystem>
#include <iosfwd>
#include <string>
#include <vector>

#include "core/topic.hpp"
#include "render/renderer.hpp"
#include "store/archive.hpp"

namespace arxiv_digest {

struct RenderedFile {
  Format format = Format::kText;
  std::string bytes;
  std::string sha256;  // of bytes
  std::chrono::sys_seconds generated_at{};  // the generation time the bytes show
};

// Every format of one digest, rendered once; in the order configured.
struct RenderedSet {
  std::vector<RenderedFile> files;
  // The file of `format`, or nullptr.
  const RenderedFile* find(Format format) const;
};

// What a sink published (for the report and the run summary).
struct Publication {
  std::string sink;    // the sink's name
  std::string target;  // a path, "stdout", a recipient
  Format format = Format::kText;
};

class DigestSink {
 public:
  virtual ~DigestSink() = default;
  // A short name for reports and logs ("files", "stdout"); never a secret.
  virtual std::string name() const = 0;
  // The formats this sink needs; DailyRun renders the union of every sink's formats.
  virtual std::vector<Format> formats() const = 0;
  // Publishes `set` (rendered from `digest`). Throws on failure; see the file comment.
  virtual std::vector<Publication> publish(const Digest& digest, const RenderedSet& set) = 0;
};

// Writes `<dir>/<listing-date>.<ext>` for each of its formats, all together or none:
// every file is first written and fsynced under a temporary name in `dir` (and a target that is
// a directory is refused) and only then are they renamed over their targets; after the last
// rename each file is recorded in the archive (Archive::record_digest). On any failure before
// the renames, no target changes and nothing is recorded; OutputError names the file.
// `dir` is created when missing.
class FileSink final : public DigestSink {
 public:
  // `archive` must outlive the sink.
  FileSink(std::filesystem::path dir, std::vector<Format> formats, Archive& archive);
  std::string name() const override { return "files"; }
  std::vector<Format> formats() const override { return formats_; }
  std::vector<Publication> publish(const Digest& digest, const RenderedSet& set) override;

  // Where `format` of a digest of `listing_date` goes.
  std::filesystem::path path_for(Date listing_date, Format format) const;

 private:
  std::filesystem::path dir_;
  std::vector<Format> formats_;
  Archive& archive_;
};

// Writes one format to a stream (the cli passes std::cout for `run --stdout`). Throws
// OutputError when the stream fails.
class StreamSink final : public DigestSink {
 public:
  StreamSink(std::ostream& out, Format format) : out_(out), format_(format) {}
  std::string name() const override { return "stdout"; }
  std::vector<Format> formats() const override { return {format_}; }
  std::vector<Publication> publish(const Digest& digest, const RenderedSet& set) override;

 private:
  std::ostream& out_;
  Format format_;
};

}  // namespace arxiv_digest
