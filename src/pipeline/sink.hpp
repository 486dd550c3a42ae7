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

// A short message instead of a digest: "arXiv made no announcement for 2026-06-20" (a weekend,
// a holiday, an empty feed), for readers who asked to be told rather than hear nothing.
struct Notice {
  Date listing_date{};
  std::string title;  // one line: an email's subject, a chat message's heading
  std::string text;   // plain text, a few lines
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
  // Sends `notice` (channels that reach people: email, webhooks). Throws like publish(). The
  // default sends nothing and returns no publication: outputs (files, stdout) have no notices.
  virtual std::vector<Publication> publish_notice(const Notice& /*notice*/) { return {}; }
};

// What a FileSink writes besides `<dir>/<listing-date>.<ext>`.
struct FileSinkOptions {
  // KaTeX's dist folder (as npm installs it: node_modules/katex/dist), holding katex.min.css,
  // katex.min.js, contrib/auto-render.min.js and fonts/. Set, and the sink's formats include
  // Format::kHtml: those files are copied to `<dir>/katex/` so a page rendered with
  // HtmlOptions::katex_base = "katex" renders math from the folder alone, offline. Empty (the
  // default): nothing is copied.
  std::filesystem::path katex_dir;
  // For the feeds the sink renders itself (one per topic, and the stable-named copies; see
  // FileSink). Give it the same base_url and tool_version as RenderOptions::atom, so that these
  // feeds match `<listing-date>.atom`, which DailyRun renders.
  AtomOptions atom;
};

// Writes `<dir>/<listing-date>.<ext>` for each of its formats, all together or none:
// every file is first written and fsynced under a temporary name in `dir` (and a target that is
// a directory is refused) and only then are they renamed over their targets; after the last
// rename each `<listing-date>.<ext>` file is recorded in the archive (Archive::record_digest).
// On any failure before the renames, no target changes and nothing is recorded; OutputError
// names the file. `dir` is created when missing. Temporary files a killed run left beside the
// targets are removed first (remove_stale_temporaries, render/output_writer.hpp).
//
// With Format::kAtom, the same staging also writes, for a feed reader to subscribe to:
//   <listing-date>.<topic-slug>.atom   one feed per topic (render_atom_topic), every topic even
//                                      when it selected nothing (an empty feed is news too)
//   <topic-slug>.atom, digest.atom     the latest day's feeds under names that never change
//                                      (self links point at these names)
// These are rendered here (a pure function of the digest and FileSinkOptions::atom), returned as
// Publications, and not recorded: the archive keeps one record per format and day. Two topics
// whose names have the same slug would write one file; publish() refuses that (OutputError)
// before staging anything.
//
// With Format::kHtml and FileSinkOptions::katex_dir set, KaTeX's files are staged into
// `<dir>/katex/` with the rest (a file already there with the same bytes is left alone, so
// re-runs rewrite nothing); a missing source file is an OutputError before anything is staged.
// They are not returned as Publications. A failure may leave `katex/` and its subfolders
// created, empty of new files.
//
// Not thread-safe: one publish() at a time per sink.
class FileSink final : public DigestSink {
 public:
  // `archive` must outlive the sink.
  FileSink(std::filesystem::path dir, std::vector<Format> formats, Archive& archive,
           FileSinkOptions options = {});
  std::string name() const override { return "files"; }
  std::vector<Format> formats() const override { return formats_; }
  std::vector<Publication> publish(const Digest& digest, const RenderedSet& set) override;

  // Where `format` of a digest of `listing_date` goes.
  std::filesystem::path path_for(Date listing_date, Format format) const;

  // The files of KaTeX the page needs, relative to FileSinkOptions::katex_dir (and to
  // `<dir>/katex/`): katex.min.css, katex.min.js, contrib/auto-render.min.js, then every file of
  // fonts/ in name order. Throws OutputError naming the first one missing.
  static std::vector<std::filesystem::path> katex_files(const std::filesystem::path& katex_dir);

 private:
  std::filesystem::path dir_;
  std::vector<Format> formats_;
  Archive& archive_;
  FileSinkOptions options_;
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
