// `arxiv-digest import` (see import_command.hpp).
#include "cli/import_command.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <optional>
#include <stop_token>
#include <thread>
#include <vector>
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

// What the reading thread hands the writing one: up to --batch parsed records of one file, the
// messages of the lines it skipped (printed in order by the writer), and the count of file
// bytes read so far (for the progress line). `failure`: an unexpected error (not bad data)
// that ends the import; the batch is the last.
struct ParsedBatch {
  std::vector<Paper> papers;
  std::vector<std::string> errors;
  std::size_t malformed = 0;
  std::size_t unreadable = 0;
  std::size_t bytes_read = 0;
  std::exception_ptr failure;
};

// A queue of at most two batches between the reader and the writer: the reader stays at most
// two batches ahead, so memory stays bounded whatever the input's size.
class BatchQueue {
 public:
  // Blocks while the queue is full; false when the writer has gone (stop requested).
  bool push(ParsedBatch batch, const std::stop_token& stop) {
    std::unique_lock lock(mutex_);
    if (!space_.wait(lock, stop, [&] { return batches_.size() < kCapacity; })) return false;
    batches_.push_back(std::move(batch));
    ready_.notify_one();
    return true;
  }
  void close() {
    const std::lock_guard lock(mutex_);
    closed_ = true;
    ready_.notify_one();
  }
  // The next batch, or nullopt once the reader closed the queue and it is empty.
  std::optional<ParsedBatch> pop() {
    std::unique_lock lock(mutex_);
    ready_.wait(lock, [&] { return !batches_.empty() || closed_; });
    if (batches_.empty()) return std::nullopt;
    ParsedBatch batch = std::move(batches_.front());
    batches_.pop_front();
    space_.notify_one();
    return batch;
  }

 private:
  static constexpr std::size_t kCapacity = 2;
  std::mutex mutex_;
  std::condition_variable_any space_, ready_;
  std::deque<ParsedBatch> batches_;
  bool closed_ = false;
};

// The reading thread: every file's lines parsed into batches of `batch_size` (a file's last
// batch may be smaller). Bad lines and unreadable files become messages, never exceptions.
void read_batches(const std::vector<std::string>& files, std::size_t batch_size, BatchQueue& queue,
                  const std::stop_token& stop) {
  std::size_t bytes_read = 0;
  ParsedBatch batch;
  auto send = [&] {
    batch.bytes_read = bytes_read;
    const bool sent = queue.push(std::move(batch), stop);
    batch = ParsedBatch{};
    return sent;
  };
  try {
    JsonlRecordParser parser;
    LineBlock block;
    for (const std::string& file : files) {
      try {
        LineReader reader(open_counted(file, bytes_read));
        while (reader.next_block(block, std::size_t{1} << 20)) {
          if (block.too_long) {
            batch.errors.emplace_back(
                line_too_long(file, *block.too_long, reader.max_line_bytes()).what());
            ++batch.malformed;
          }
          bool stopped = false;
          for_each_line(block, reader.max_line_bytes(), [&](const TextLine& line) {
            if (stopped) return;
            if (line.too_long) {
              batch.errors.emplace_back(line_too_long(file, line, reader.max_line_bytes()).what());
              ++batch.malformed;
              return;
            }
            if (is_blank_line(line.text)) return;
            try {
              batch.papers.push_back(parser.parse(line.text, reader.source(), line.number, true));
            } catch (const ParseError& e) {
              batch.errors.emplace_back(e.what());
              ++batch.malformed;
            }
            if (batch.papers.size() >= batch_size && !send()) stopped = true;
          });
          if (stopped) return;
        }
      } catch (const ParseError& e) {
        // An unreadable file or corrupt gzip: the records before the failure are kept.
        batch.errors.emplace_back(e.what());
        ++batch.unreadable;
      }
      if (!send()) return;
    }
  } catch (...) {
    batch.failure = std::current_exception();
    send();
  }
  queue.close();
}

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
      if (file == "-") continue;
      const std::uintmax_t size = std::filesystem::file_size(file, ec);
      if (!ec) totals.bytes_total += size;  // an unreadable file is reported when read
    }
    const std::unique_ptr<Archive> archive = open_archive(location);
    // A low estimate of the records to come (a snapshot line is about 1.5 kB of JSON, gzip
    // makes it about a third of that): the archive builds its search index alongside the load
    // when it holds fewer papers than this (see Archive::begin_bulk_load()).
    const std::unique_ptr<BulkLoad> load = archive->begin_bulk_load(totals.bytes_total / 2048);
    const bool show_progress =
        !options.quiet && (options.progress || isatty(STDERR_FILENO) == 1);
    Progress progress(err, show_progress);
    const auto fetched_at = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());

    // Reading and parsing run on their own thread, a batch ahead of the archive's writes
    // (the two take about the same time); this thread writes, reports and prints.
    BatchQueue queue;
    std::jthread reader([&](const std::stop_token& stop) {
      read_batches(options.files, options.batch, queue, stop);
    });
    while (std::optional<ParsedBatch> batch = queue.pop()) {
      for (const std::string& message : batch->errors) err << kErrorPrefix << message << '\n';
      if (batch->failure) std::rethrow_exception(batch->failure);
      totals.malformed += batch->malformed;
      totals.unreadable += batch->unreadable;
      totals.bytes_read = batch->bytes_read;
      if (!batch->papers.empty()) {
        load->save_papers(batch->papers, fetched_at);
        totals.records += batch->papers.size();
      }
      progress.update(totals);
    }
    progress.update(totals, true);
    // Waits for the search index when it was built alongside (seconds at arXiv's size).
    if (show_progress) err << "import: putting the search index in place" << std::endl;
    load->finish();
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
