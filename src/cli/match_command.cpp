// `arxiv-digest match` (see match_command.hpp).
#include "cli/match_command.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <exception>
#include <future>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <thread>
#include <unordered_set>
#include <utility>

#include "core/error.hpp"
#include "core/text.hpp"
#include "match/query_set.hpp"
#include "sources/byte_source.hpp"
#include "sources/jsonl_reader.hpp"
#include "sources/oai_parser.hpp"
#include "sources/parsed_source.hpp"

namespace arxiv_digest {
namespace {

constexpr std::string_view kErrorPrefix = "arxiv-digest: error: ";
// JSON Lines are matched in blocks of about this many bytes (LineReader::next_block), a few
// blocks in flight: small enough to stay in cache and cheap to fault in.
constexpr std::size_t kBatchBytes = std::size_t{256} << 10;

// What an error says, with its source in front when the message does not name it.
std::string describe(const std::exception& e) {
  std::string message = e.what();
  if (const auto* parse = dynamic_cast<const ParseError*>(&e)) {
    if (!parse->source().empty() && message.find(parse->source()) == std::string::npos) {
      std::string where = parse->source();
      if (parse->line() > 0) where += fmt::format(":{}:{}", parse->line(), parse->column());
      message = fmt::format("{}: {}", where, message);
    }
    return message;
  }
  if (dynamic_cast<const Error*>(&e) != nullptr) return message;
  return fmt::format("unexpected failure: {}", message);
}

// The output of one matching paper (empty for --count).
std::string render(const MatchOptions& options, const QuerySet& set, const Paper& p,
                   const std::vector<QuerySet::Hit>& hits, const std::string& source) {
  if (options.count) return {};
  if (options.ids) return p.id.str() + '\n';
  if (!options.json) return fmt::format("{}  {}\n", p.id.str(), p.title);
  nlohmann::ordered_json j;
  j["id"] = p.id.str();
  j["title"] = p.title;
  j["authors"] = p.authors;
  j["categories"] = p.categories;
  j["source"] = source;
  nlohmann::ordered_json matches = nlohmann::ordered_json::array();
  for (const MatchSpan& span : hits.front().spans) {
    nlohmann::ordered_json m;
    m["term"] = set.term_text(0, span.term);
    m["field"] = std::string(to_string(span.field));
    m["text"] = span_text(p, span);
    matches.push_back(std::move(m));
  }
  j["matches"] = std::move(matches);
  return j.dump() + '\n';
}

// A matching paper or a bad line, in input order.
struct Outcome {
  bool error = false;
  std::string key;   // the paper's id key (matches)
  std::string text;  // its output, or the error message
};

// Prints outcomes in input order: each paper once across all files; counts and errors.
class Printer {
 public:
  Printer(const MatchOptions& options, std::ostream& out, std::ostream& err)
      : options_(options), out_(out), err_(err) {}
  void paper(const std::string& key, const std::string& text) {
    if (!seen_.insert(key).second) return;
    ++count_;
    if (!options_.count) out_ << text;
  }
  void error(std::string_view message) {
    ++errors_;
    err_ << kErrorPrefix << message << '\n';
  }
  void emit(std::vector<Outcome>& outcomes) {
    for (Outcome& o : outcomes) o.error ? error(o.text) : paper(o.key, o.text);
  }
  std::size_t count() const { return count_; }
  std::size_t errors() const { return errors_; }

 private:
  const MatchOptions& options_;
  std::ostream& out_;
  std::ostream& err_;
  std::unordered_set<std::string> seen_;  // ids printed (output order is input order)
  std::size_t count_ = 0;
  std::size_t errors_ = 0;
};

// Matches batches of JSON lines on worker threads (each with its own parser and scratch
// space); results come back in submission order. At most 2 x threads batches are in flight, so
// memory stays bounded whatever the input size.
class JsonlMatcher {
 public:
  JsonlMatcher(const QuerySet& set, const MatchOptions& options, std::size_t max_line_bytes)
      : set_(set),
        options_(options),
        max_line_(max_line_bytes),
        decide_((options.count || options.ids) && set.stats().exact) {
    const std::size_t n = std::clamp<std::size_t>(std::thread::hardware_concurrency(), 1, 8);
    for (std::size_t i = 0; i < n; ++i) threads_.emplace_back([this] { work(); });
    limit_ = 2 * n;
  }
  ~JsonlMatcher() {
    {
      std::lock_guard lock(mutex_);
      stop_ = true;
    }
    ready_.notify_all();
    for (auto& t : threads_) t.join();
  }
  JsonlMatcher(const JsonlMatcher&) = delete;
  JsonlMatcher& operator=(const JsonlMatcher&) = delete;

  // A block to read into, reusing the storage of one already matched (no fresh pages per block).
  LineBlock fresh_batch() {
    if (spare_.empty()) return {};
    LineBlock b = std::move(spare_.back());
    spare_.pop_back();
    return b;
  }

  // Queues `batch` of `source`; prints the oldest results first when too many are in flight.
  void submit(LineBlock batch, const std::string& source, Printer& printer) {
    while (pending_.size() >= limit_) drain_one(printer);
    Job job{std::move(batch), source, {}};
    pending_.push_back(job.result.get_future());
    {
      std::lock_guard lock(mutex_);
      queue_.push_back(std::move(job));
    }
    ready_.notify_one();
  }
  // Prints every pending result.
  void finish(Printer& printer) {
    while (!pending_.empty()) drain_one(printer);
  }

 private:
  struct Done {
    std::vector<Outcome> outcomes;
    LineBlock batch;  // given back for reuse
  };
  struct Job {
    LineBlock batch;
    std::string source;
    std::promise<Done> result;
  };

  void drain_one(Printer& printer) {
    std::future<Done> front = std::move(pending_.front());
    pending_.pop_front();
    Done done = front.get();  // rethrows a worker's failure
    printer.emit(done.outcomes);
    spare_.push_back(std::move(done.batch));
  }

  void work() {
    QuerySet::Scratch scratch;
    JsonlRecordParser parser;
    for (;;) {
      Job job;
      {
        std::unique_lock lock(mutex_);
        ready_.wait(lock, [this] { return stop_ || !queue_.empty(); });
        if (queue_.empty()) return;
        job = std::move(queue_.front());
        queue_.pop_front();
      }
      try {
        std::vector<Outcome> outcomes = match_batch(job.batch, job.source, scratch, parser);
        job.result.set_value(Done{std::move(outcomes), std::move(job.batch)});
      } catch (...) {
        job.result.set_exception(std::current_exception());
      }
    }
  }

  std::vector<Outcome> match_batch(const LineBlock& batch, const std::string& source,
                                   QuerySet::Scratch& scratch, JsonlRecordParser& parser) const {
    std::vector<Outcome> outcomes;
    if (batch.too_long)
      outcomes.push_back({true, {}, line_too_long(source, *batch.too_long, max_line_).what()});
    for_each_line(batch, max_line_, [&](const TextLine& line) {
      if (line.too_long) {
        outcomes.push_back({true, {}, line_too_long(source, line, max_line_).what()});
        return;
      }
      if (is_blank_line(line.text)) return;
      match_line(line, source, scratch, parser, outcomes);
    });
    return outcomes;
  }

  // One line of a block: parsed in place (the block is padded).
  void match_line(const TextLine& line, const std::string& source, QuerySet::Scratch& scratch,
                  JsonlRecordParser& parser, std::vector<Outcome>& outcomes) const {
    const std::string_view text = line.text;
    try {
      // The raw line first: most cannot match and need no parsing beyond a check.
      if (!set_.may_match_json(text, scratch)) {
        parser.check(text, source, line.number, true);
        return;
      }
      // --count and --ids need no spans: plain titles and abstracts are decided on their
      // bytes, without tokenising (QuerySet::decide()).
      std::optional<Paper> parsed;
      if (decide_) {
        const JsonlRecordParser::Record record = parser.record(text, source, line.number, true);
        if (const std::optional<bool> matched =
                set_.decide(record.title, record.abstract, scratch)) {
          if (*matched)
            outcomes.push_back(
                {false, record.id.key(), options_.count ? std::string() : record.id.str() + '\n'});
          return;
        }
        parsed = parser.record_paper();
      } else {
        parsed = parser.parse(text, source, line.number, true);
      }
      const Paper& paper = *parsed;
      const auto hits = set_.match(paper, scratch);
      if (!hits.empty())
        outcomes.push_back({false, paper.id.key(), render(options_, set_, paper, hits, source)});
    } catch (const ParseError& e) {
      outcomes.push_back({true, {}, e.what()});
    }
  }

  const QuerySet& set_;
  const MatchOptions& options_;
  std::size_t max_line_;
  bool decide_ = false;  // QuerySet::decide() answers for --count and --ids
  std::size_t limit_ = 2;
  std::deque<std::future<Done>> pending_;  // submission order (caller's thread)
  std::vector<LineBlock> spare_;           // matched blocks, for reuse (caller's thread)
  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<Job> queue_;
  bool stop_ = false;
  std::vector<std::thread> threads_;
};

// Streams the JSON lines of `reader` through `matcher`. A bad line is reported and skipped; a
// failure of the input itself (read error, corrupt gzip) is thrown after everything read
// before it has been printed.
void match_jsonl(LineReader& reader, JsonlMatcher& matcher, Printer& printer) {
  const std::string source = reader.source();
  std::exception_ptr failure;
  try {
    // Whole lines in bulk, read straight into the block a worker scans (no copy per line).
    for (LineBlock block = matcher.fresh_batch(); reader.next_block(block, kBatchBytes);
         block = matcher.fresh_batch())
      matcher.submit(std::move(block), source, printer);
  } catch (const Error&) {
    failure = std::current_exception();
  }
  matcher.finish(printer);
  if (failure) std::rethrow_exception(failure);
}

// A whole document (RSS, API Atom, OAI-PMH, listing page) already read into `text`.
std::vector<Paper> parse_document(const std::string& text, const std::string& source) {
  const std::size_t first = text.find_first_not_of(" \t\r\n\xEF\xBB\xBF");
  if (first == std::string::npos) return {};
  const std::string head = ascii_lower(text.substr(first, 4096));
  if (head.find("<rss") != std::string::npos) return parse_rss(text, source).papers;
  if (head.find("<feed") != std::string::npos) return parse_api_atom(text, source).listing.papers;
  if (head.find("<html") != std::string::npos || head.find("<!doctype html") != std::string::npos)
    return parse_listing_page(text, source).papers;
  if (head.find("<oai-pmh") != std::string::npos) return parse_oai_pmh(text, source).papers;
  throw ParseError(
      source, 0, 0, "",
      fmt::format("{}: not an RSS feed, API Atom, OAI-PMH page, listing page or JSONL", source));
}

// The first byte of the input that is not whitespace or a byte-order mark, without consuming
// anything; nullopt for an input of whitespace only.
std::optional<char> first_significant_byte(LineReader& reader) {
  for (std::size_t n = 4096;; n *= 4) {
    const std::string_view head = reader.peek(n);
    const std::size_t at = head.find_first_not_of(" \t\r\n\xEF\xBB\xBF");
    if (at != std::string_view::npos) return head[at];
    if (head.size() < n || n >= kMaxSourceBytes) return std::nullopt;
  }
}

void match_file(const std::string& file, const QuerySet& set, const MatchOptions& options,
                JsonlMatcher& matcher, Printer& printer) {
  LineReader reader(open_input(file));
  const std::string source = reader.source();
  const std::optional<char> first = first_significant_byte(reader);
  if (!first) return;
  if (*first == '{') return match_jsonl(reader, matcher, printer);
  QuerySet::Scratch scratch;
  for (const Paper& p : parse_document(reader.read_all(kMaxSourceBytes), source)) {
    const auto hits = set.match(p, scratch);
    if (!hits.empty()) printer.paper(p.id.key(), render(options, set, p, hits, source));
  }
}

}  // namespace

CLI::App* add_match_command(CLI::App& app, MatchOptions& options) {
  CLI::App* cmd = app.add_subcommand(
      "match", "Print the papers of arXiv documents matching a topic query (like grep)");
  cmd->add_option("query", options.query, "Topic query (see README \"Topic queries\")")->required();
  cmd->add_option("files", options.files,
                  "RSS feeds, API Atom, OAI-PMH pages, listing pages or JSONL (gzip too); none or "
                  "'-' = stdin");
  CLI::Option* count =
      cmd->add_flag("--count", options.count, "Print only the number of matching papers");
  CLI::Option* json =
      cmd->add_flag("--json", options.json, "One JSON object per matching paper, with its matches");
  CLI::Option* ids = cmd->add_flag("--ids", options.ids, "Print only the ids");
  count->excludes(json)->excludes(ids);
  json->excludes(ids);
  cmd->footer(
      "Exit status, as grep's: 0 if a paper matched, 1 if none did, 2 if there was an error (a\n"
      "malformed query, an unreadable file, a malformed JSONL line). Bad lines are reported as\n"
      "file:line and skipped; everything else is still printed.");
  return cmd;
}

int command_match(const MatchOptions& options, std::ostream& out, std::ostream& err) {
  // Query errors before reading anything. The inputs may be a whole corpus: JSON lines that
  // cannot match are ruled out on their raw bytes, before parsing.
  std::optional<QuerySet> set;
  try {
    set.emplace(
        std::vector<std::string>{options.query},
        QuerySetOptions{
            .prefilter = true, .json_prefilter = true, .exact = options.count || options.ids});
  } catch (const std::exception& e) {
    err << kErrorPrefix << describe(e) << '\n';
    return kMatchError;
  }
  std::vector<std::string> files = options.files;
  if (files.empty()) files.push_back("-");
  Printer printer(options, out, err);
  {
    JsonlMatcher matcher(*set, options, kMaxJsonlLineBytes);
    for (const std::string& file : files) {
      try {
        match_file(file, *set, options, matcher, printer);
      } catch (const std::exception& e) {
        printer.error(describe(e));
      }
    }
  }
  if (options.count) out << printer.count() << '\n';
  if (printer.errors() > 0) return kMatchError;
  return printer.count() > 0 ? kMatchFound : kMatchNone;
}

}  // namespace arxiv_digest
