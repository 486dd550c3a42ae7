// `arxiv-digest import` (see import_command.hpp).
#include "cli/import_command.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>

#include "cli/app.hpp"
#include "cli/config.hpp"
#include "core/error.hpp"
#include "sources/byte_source.hpp"
#include "sources/gzip_reader.hpp"
#include "sources/jsonl_reader.hpp"
#include "store/open_archive.hpp"

namespace arxiv_digest {
namespace {

using Clock = std::chrono::steady_clock;
constexpr std::string_view kErrorPrefix = "arxiv-digest: error: ";

// Counts the bytes read from the file itself (compressed ones for gzip), for progress and ETA.
class CountingSource final : public ByteSource {
 public:
  CountingSource(std::unique_ptr<ByteSource> inner, std::size_t& count)
      : inner_(std::move(inner)), count_(count) {}
  std::size_t read(std::span<char> buffer) override {
    const std::size_t n = inner_->read(buffer);
    count_ += n;
    return n;
  }
  const std::string& source() const noexcept override { return inner_->source(); }

 private:
  std::unique_ptr<ByteSource> inner_;
  std::size_t& count_;
};

// open_input() with the file's own bytes counted: gzip (magic 1f 8b) is decoded.
std::unique_ptr<ByteSource> open_counted(const std::string& path, std::size_t& count) {
  if (path == "-") return open_input(path);
  bool gzip = false;
  {
    std::ifstream probe(path, std::ios::binary);
    char magic[2] = {};
    gzip = probe.read(magic, 2) && static_cast<unsigned char>(magic[0]) == 0x1f &&
           static_cast<unsigned char>(magic[1]) == 0x8b;
  }
  auto file = std::make_unique<CountingSource>(open_file(path), count);
  if (!gzip) return file;
  return std::make_unique<GzipReader>(std::move(file));
}

struct Totals {
  std::size_t records = 0;
  std::size_t malformed = 0;
  std::size_t unreadable = 0;
  std::size_t bytes_read = 0;   // file bytes (compressed for gzip)
  std::size_t bytes_total = 0;  // sizes of all the files
};

class Progress {
 public:
  Progress(std::ostream& err, bool enabled) : err_(err), enabled_(enabled) {}
  void update(const Totals& t, bool final = false) {
    if (!enabled_) return;
    const auto now = Clock::now();
    if (!final && now - last_ < std::chrono::milliseconds(500)) return;
    last_ = now;
    const double seconds = std::chrono::duration<double>(now - start_).count();
    const double rate = seconds > 0 ? static_cast<double>(t.records) / seconds : 0;
    const double mbps = seconds > 0 ? static_cast<double>(t.bytes_read) / seconds / 1e6 : 0;
    std::string eta = "?";
    if (t.bytes_read > 0 && t.bytes_total > t.bytes_read && mbps > 0) {
      eta = fmt::format("{:.0f}s", static_cast<double>(t.bytes_total - t.bytes_read) / 1e6 / mbps);
    } else if (t.bytes_total <= t.bytes_read) {
      eta = "0s";
    }
    err_ << fmt::format("\rimport: {} records, {:.0f} records/s, {:.1f} MB/s, ETA {}   ",
                        t.records, rate, mbps, eta)
         << (final ? "\n" : "") << std::flush;
  }
  double seconds() const { return std::chrono::duration<double>(Clock::now() - start_).count(); }

 private:
  std::ostream& err_;
  bool enabled_;
  Clock::time_point start_ = Clock::now();
  Clock::time_point last_{};
};

}  // namespace

CLI::App* add_import_command(CLI::App& app, ImportOptions& options) {
  CLI::App* cmd = app.add_subcommand(
      "import", "Import arXiv's metadata snapshot (JSON Lines, plain or gzip) into the archive");
  cmd->add_option("files", options.files, "Snapshot files (- = standard input)")->required();
  cmd->add_option("--archive", options.archive_path, "Archive file (default: [store] path)");
  cmd->add_option("-c,--config", options.config_path, "Configuration file (for its [store] path)");
  cmd->add_option("--batch", options.batch, "Records per transaction (default 10000)")
      ->check(CLI::Range(1, 1000000));
  cmd->add_flag("-q,--quiet", options.quiet, "No progress or summary; only errors");
  cmd->add_flag("--progress", options.progress, "Show progress even when not on a terminal");
  return cmd;
}

int command_import(const ImportOptions& options, std::ostream& err) {
  try {
    ArchiveLocation location;
    std::string backend = "sqlite";
    if (!options.archive_path.empty()) {
      location.path = options.archive_path;
    } else {
      const Config config = load_config_or_default(options.config_path);
      backend = config.store.backend;
      location.backend = backend;
      location.path = config.store.path;
    }
    Totals totals;
    for (const std::string& file : options.files) {
      std::error_code ec;
      if (file != "-") totals.bytes_total += std::filesystem::file_size(file, ec);
    }
    const std::unique_ptr<Archive> archive = open_archive(location);
    Progress progress(err, !options.quiet && (options.progress || isatty(STDERR_FILENO) == 1));
    const auto fetched_at = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());

    std::vector<Paper> batch;
    batch.reserve(options.batch);
    auto flush = [&] {
      if (batch.empty()) return;
      archive->save_papers(batch, fetched_at);
      totals.records += batch.size();
      batch.clear();
      progress.update(totals);
    };
    JsonlRecordParser parser;
    LineBlock block;
    for (const std::string& file : options.files) {
      try {
        LineReader reader(open_counted(file, totals.bytes_read));
        while (reader.next_block(block, std::size_t{1} << 20)) {
          if (block.too_long) {
            err << kErrorPrefix << line_too_long(file, *block.too_long, reader.max_line_bytes()).what()
                << '\n';
            ++totals.malformed;
          }
          for_each_line(block, reader.max_line_bytes(), [&](const TextLine& line) {
            if (line.too_long) {
              err << kErrorPrefix << line_too_long(file, line, reader.max_line_bytes()).what()
                  << '\n';
              ++totals.malformed;
              return;
            }
            if (is_blank_line(line.text)) return;
            try {
              batch.push_back(parser.parse(line.text, reader.source(), line.number, true));
            } catch (const ParseError& e) {
              err << kErrorPrefix << e.what() << '\n';
              ++totals.malformed;
            }
            if (batch.size() >= options.batch) flush();
          });
        }
      } catch (const ParseError& e) {
        // An unreadable file or corrupt gzip: the records before the failure are kept.
        err << kErrorPrefix << e.what() << '\n';
        ++totals.unreadable;
      }
      flush();
    }
    flush();
    progress.update(totals, true);
    if (!options.quiet) {
      err << fmt::format("import: {} records from {} file(s) in {:.1f} s; {} malformed line(s) "
                         "skipped{}\n",
                         totals.records, options.files.size(), progress.seconds(),
                         totals.malformed,
                         totals.unreadable > 0
                             ? fmt::format(", {} file(s) unreadable", totals.unreadable)
                             : std::string());
    }
    return totals.malformed > 0 || totals.unreadable > 0 ? kExitBadData : kExitOk;
  } catch (...) {
    return exit_code_for(std::current_exception(), err);
  }
}

}  // namespace arxiv_digest
