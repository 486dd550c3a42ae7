#include "pipeline/sink.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <optional>
#include <ostream>
#include <set>
#include <sstream>
#include <system_error>

#include "core/crash_point.hpp"
#include "core/error.hpp"
#include "render/output_writer.hpp"

namespace arxiv_digest {

const RenderedFile* RenderedSet::find(Format format) const {
  for (const RenderedFile& file : files)
    if (file.format == format) return &file;
  return nullptr;
}

namespace {

namespace fs = std::filesystem;

// The bytes of `path`, or nullopt when it cannot be read (missing, a directory, unreadable).
std::optional<std::string> read_bytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream bytes;
  bytes << in.rdbuf();
  if (in.bad()) return std::nullopt;
  return std::move(bytes).str();
}

// A file to stage besides the formats' own: a feed, or a KaTeX file.
struct ExtraFile {
  fs::path path;
  std::string bytes;
  bool published = false;  // a feed (a Publication); KaTeX files are not
};

// One feed per topic, dated and stable-named, and the stable copy of the whole digest's feed.
void add_feeds(const Digest& digest, const AtomOptions& options, const fs::path& dir,
               std::vector<ExtraFile>& out) {
  for (std::size_t topic = 0; topic < digest.topics.size(); ++topic) {
    out.push_back({dir / atom_topic_file_name(digest, topic),
                   render_atom_topic(digest, topic, options), true});
    AtomOptions stable = options;
    stable.self_file = fmt::format("{}.atom", topic_slug(digest.topics[topic].topic.name));
    out.push_back({dir / stable.self_file, render_atom_topic(digest, topic, stable), true});
  }
  AtomOptions stable = options;
  stable.self_file = "digest.atom";
  out.push_back({dir / stable.self_file, render_atom(digest, stable), true});
}

// KaTeX's files whose copy under `<dir>/katex/` is missing or differs. Creates the folders the
// copies need (empty folders are all a later failure can leave behind).
void add_katex(const fs::path& katex_dir, const fs::path& dir, std::vector<ExtraFile>& out) {
  const fs::path target_dir = dir / "katex";
  for (const fs::path& file : FileSink::katex_files(katex_dir)) {
    std::optional<std::string> bytes = read_bytes(katex_dir / file);
    if (!bytes)
      throw OutputError(fmt::format("cannot read KaTeX's {}", (katex_dir / file).string()));
    const fs::path target = target_dir / file;
    if (read_bytes(target) == bytes) continue;  // copied by an earlier run
    std::error_code ec;
    fs::create_directories(target.parent_path(), ec);
    if (ec)
      throw OutputError(fmt::format("cannot create the folder {}: {}",
                                    target.parent_path().string(), ec.message()));
    out.push_back({target, std::move(*bytes), false});
  }
}

}  // namespace

FileSink::FileSink(std::filesystem::path dir, std::vector<Format> formats, Archive& archive,
                   FileSinkOptions options)
    : dir_(std::move(dir)),
      formats_(std::move(formats)),
      archive_(archive),
      options_(std::move(options)) {}

std::filesystem::path FileSink::path_for(Date listing_date, Format format) const {
  return dir_ / fmt::format("{}.{}", format_date(listing_date), file_extension(format));
}

std::vector<std::filesystem::path> FileSink::katex_files(const std::filesystem::path& katex_dir) {
  std::vector<fs::path> files = {"katex.min.css", "katex.min.js",
                                 fs::path("contrib") / "auto-render.min.js"};
  const auto missing = [&](const fs::path& file) {
    return OutputError(fmt::format(
        "KaTeX: no {} in {} (install KaTeX with `npm ci` in the source folder, or configure no "
        "KaTeX folder to show TeX as written)",
        file.string(), katex_dir.string()));
  };
  std::error_code ec;
  for (const fs::path& file : files)
    if (!fs::is_regular_file(katex_dir / file, ec)) throw missing(file);
  // Every font: the stylesheet names woff2, woff and ttf, and a browser picks the first it
  // supports, so which ones a reader needs is not ours to decide.
  std::vector<fs::path> fonts;
  for (fs::directory_iterator it(katex_dir / "fonts", ec), end; !ec && it != end; it.increment(ec))
    if (it->is_regular_file(ec)) fonts.push_back(fs::path("fonts") / it->path().filename());
  if (fonts.empty()) throw missing("fonts/");
  std::sort(fonts.begin(), fonts.end());
  files.insert(files.end(), fonts.begin(), fonts.end());
  return files;
}

std::vector<Publication> FileSink::publish(const Digest& digest, const RenderedSet& set) {
  std::error_code ec;
  std::filesystem::create_directories(dir_, ec);
  if (ec)
    throw OutputError(
        fmt::format("cannot create the output folder {}: {}", dir_.string(), ec.message()));

  // Phase 1: every file under a temporary name. A throw here removes the staged files.
  std::vector<const RenderedFile*> files;
  for (Format format : formats_) {
    const RenderedFile* file = set.find(format);
    if (file == nullptr)
      throw OutputError(fmt::format("files: the {} format was not rendered", to_string(format)));
    files.push_back(file);
  }
  const auto has = [&](Format f) {
    return std::find(formats_.begin(), formats_.end(), f) != formats_.end();
  };
  std::vector<ExtraFile> extras;
  if (has(Format::kAtom)) add_feeds(digest, options_.atom, dir_, extras);
  if (has(Format::kHtml) && !options_.katex_dir.empty())
    add_katex(options_.katex_dir, dir_, extras);
  // Two files for one path would leave only the last: refuse before anything is written.
  std::set<fs::path> targets;
  for (const RenderedFile* file : files)
    targets.insert(path_for(digest.listing_date, file->format));
  for (const ExtraFile& extra : extras)
    if (!targets.insert(extra.path).second)
      throw OutputError(fmt::format(
          "files: two feeds would be written to {}: topic names must differ in more than case "
          "and punctuation, and no topic may be named \"digest\"",
          extra.path.string()));

  // A run killed after staging left its temporary files beside the targets: tidy them first.
  for (const fs::path& target : targets) remove_stale_temporaries(target);
  std::vector<StagedFile> staged;
  staged.reserve(files.size() + extras.size());
  for (const RenderedFile* file : files) {
    staged.emplace_back(path_for(digest.listing_date, file->format), file->bytes);
    crash_point("publish");
  }
  for (const ExtraFile& extra : extras) {
    staged.emplace_back(extra.path, extra.bytes);
    crash_point("publish");
  }
  // Phase 2: the renames, then the record.
  std::vector<Publication> published;
  for (StagedFile& file : staged) {
    file.commit();
    crash_point("publish");
  }
  for (std::size_t i = 0; i < files.size(); ++i) {
    const RenderedFile& file = *files[i];
    DigestRecord record;
    record.listing_date = digest.listing_date;
    record.format = std::string(to_string(file.format));
    record.path = staged[i].path().string();
    record.sha256 = file.sha256;
    record.paper_count = digest.papers.size();
    record.generated_at = file.generated_at;
    archive_.record_digest(record);
    published.push_back({name(), record.path, file.format});
  }
  for (const ExtraFile& extra : extras)
    if (extra.published) published.push_back({name(), extra.path.string(), Format::kAtom});
  return published;
}

std::vector<Publication> StreamSink::publish(const Digest&, const RenderedSet& set) {
  const RenderedFile* file = set.find(format_);
  if (file == nullptr)
    throw OutputError(
        fmt::format("{}: the {} format was not rendered", name(), to_string(format_)));
  out_ << file->bytes;
  out_.flush();
  if (!out_) throw OutputError(fmt::format("cannot write the digest to {}", name()));
  return {Publication{name(), "stdout", format_}};
}

}  // namespace arxiv_digest
