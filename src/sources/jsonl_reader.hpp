// Streaming JSON Lines: LineReader cuts a ByteSource into lines with bounded memory, and
// JsonlRecordParser turns one line into a Paper. Together they read arXiv's metadata snapshot
// (Kaggle's arxiv-metadata-oai-snapshot.json: `authors` and `categories` as strings, `versions`
// and `update_date` for the version and dates; `authors_parsed`, `journal-ref`, ... are ignored)
// and the project's own paper records (`authors` and `categories` as lists, optional integer
// `version`), one object a line.
//
// Memory: LineReader holds at most max_line_bytes + one chunk (256 KiB) whatever the input size; a
// line longer than max_line_bytes is an error for that line only: it is skipped, not buffered,
// and reported as a TextLine marked `too_long` (read_jsonl() throws for it).
// Errors carry source:line: each ParseError's message starts with "<source>:<line>: " and its
// source()/line() say the same. Thread-safety: none; one reader or parser per thread (a
// JsonlRecordParser is reusable across lines and keeps its buffers between them).
#pragma once

#include <cstddef>
#include <cstring>
#include <exception>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/paper.hpp"
#include "sources/byte_source.hpp"

namespace arxiv_digest {

// Longest line LineReader accepts by default (the longest real arXiv record is ~100 KB).
inline constexpr std::size_t kMaxJsonlLineBytes = std::size_t{16} << 20;

// Readable bytes a LineBlock guarantees after its lines (simdjson's SIMDJSON_PADDING), so that
// its lines can be parsed in place (JsonlRecordParser's `padded` arguments).
inline constexpr std::size_t kJsonlPadding = 64;

// One line of input, without its "\n" or "\r\n" (and, on line 1, without a UTF-8 byte-order
// mark). `text` points into the reader's buffer: valid until the next call on that reader.
struct TextLine {
  std::string_view text;   // empty when too_long
  std::size_t number = 0;  // 1-based
  bool too_long = false;   // longer than the reader's max_line_bytes: skipped
};

// The error to report for a line marked too_long: "<source>:<line>: line longer than <max>
// bytes".
ParseError line_too_long(std::string_view source, const TextLine& line, std::size_t max_line_bytes);

// Whole lines read in bulk (LineReader::next_block), for scanning without copying each line:
// bytes [0, size) are lines each ending in "\n" (the input's last one maybe not), numbered from
// first_line, and at least kJsonlPadding initialised bytes follow them in `bytes`. Or, instead of
// lines (size 0), one line longer than the reader's limit, as next_line() reports it.
struct LineBlock {
  std::vector<char> bytes;  // its storage is reused from block to block
  std::size_t size = 0;
  std::size_t first_line = 0;
  std::optional<TextLine> too_long;
};

// Calls `each(TextLine)` for every line of `block` (not for the too_long one) exactly as
// next_line() would return it: without "\n" or "\r\n", the BOM of line 1 removed, a line longer
// than `max_line_bytes` marked too_long. Blank lines included.
template <typename Each>
void for_each_line(const LineBlock& block, std::size_t max_line_bytes, Each&& each);

class LineReader {
 public:
  // Reads `input` (owned) in 256 KiB chunks. `max_line_bytes` > 0.
  explicit LineReader(std::unique_ptr<ByteSource> input,
                      std::size_t max_line_bytes = kMaxJsonlLineBytes);

  const std::string& source() const noexcept { return input_->source(); }
  std::size_t max_line_bytes() const noexcept { return max_line_; }

  // Up to `n` bytes from the current position without consuming them (fewer at the end of the
  // input). Valid until the next call. Throws what the source throws.
  std::string_view peek(std::size_t n);

  // The next line, or nullopt at the end of the input (a last line without "\n" is a line). An
  // over-long line comes back marked too_long, without its text. Throws what the source throws
  // (read errors, corrupt or truncated gzip; an unfinished last line is then not returned); the
  // lines returned before were whole lines, and the reader should not be used further.
  std::optional<TextLine> next_line();

  // The next whole lines, at least `target_bytes` of them when the input has that many (more
  // when a line is longer; up to what the last read brought), into `block` (whose previous contents
  // are dropped and whose storage is reused: no copy of the lines themselves); false at the end of
  // the input. Same lines, numbers and errors as next_line(), which it may be mixed with.
  bool next_block(LineBlock& block, std::size_t target_bytes);

  // Everything not read yet, as one string (whole-document formats such as XML). Throws
  // ParseError "<source>: larger than <limit> bytes" beyond `limit`, and what the source throws.
  std::string read_all(std::size_t limit);

 private:
  bool fill();  // reads one more chunk; false at the end of the input

  std::unique_ptr<ByteSource> input_;
  std::size_t max_line_;
  std::vector<char> buffer_;
  std::size_t begin_ = 0;  // start of the current line in buffer_
  std::size_t scan_ = 0;   // [begin_, scan_) holds no '\n'
  std::size_t end_ = 0;    // bytes read into buffer_
  std::size_t number_ = 0;
  bool eof_ = false;
  bool discarding_ = false;     // inside an over-long line
  std::exception_ptr failure_;  // a read error next_block() reports after the lines before it
};

// Parses JSON lines into Papers with simdjson (validating every line), one line at a time.
//
// Accepted: one JSON object per line with a string "id" that is an arXiv id (new or old style,
// optional version). Read: "title", "abstract", "comments" (whitespace-normalised; null or
// non-string = empty), "authors" (a list of strings, or one string split on ", "),
// "categories" (a list, or one string split on spaces; "subjects" when there is no
// "categories"), "version" (an integer 1..9999: the id's version; other values ignored), and
// the snapshot's dates:
//   "versions": [{"version": "v1", "created": "Mon, 2 Apr 2007 19:18:42 GMT"}, ...], in any
//     order. The paper's version is the highest one listed, unless the record names its own
//     (an explicit version wins: "version", then a version in "id", such as "0704.0001v1" for
//     the record of v1 of a paper that has two); `submitted` = the created time of v1,
//     `updated` = the created time of the paper's version; either is left empty when that
//     version is not listed. Dates in RFC 2822 form (the snapshot's is "Ddd, D Mmm YYYY
//     HH:MM:SS GMT"; any zone parse_rfc822 knows is accepted and converted to UTC).
//   "update_date": "YYYY-MM-DD" (the date the record itself last changed): `updated`, at
//     midnight UTC, when there is no "versions" (the bulk corpus has only this); otherwise
//     checked but unused.
//   Either may be absent or null ("versions" also empty: []): no dates, and no version unless
//   the record names one. Other keys are ignored; a key given twice counts once, its last value.
// Rejected with ParseError (field "id", "versions" or "update_date" for those): malformed JSON
// or invalid UTF-8, a value other than an object, content after the object, a missing or
// invalid id; "versions" that is not a list of objects each with a "version" string "v1" ..
// "v9999" and a "created" string that is a valid date, or that lists a version twice; an
// "update_date" that is not a "YYYY-MM-DD" string naming a real day. A bad date rejects the line
// rather than being dropped: a record stored without its dates would silently sort and filter
// by its id's month (search --since), and `import` reports the line (file:line) and goes on.
class JsonlRecordParser {
 public:
  JsonlRecordParser();
  ~JsonlRecordParser();
  JsonlRecordParser(JsonlRecordParser&&) noexcept;
  JsonlRecordParser& operator=(JsonlRecordParser&&) noexcept;
  JsonlRecordParser(const JsonlRecordParser&) = delete;
  JsonlRecordParser& operator=(const JsonlRecordParser&) = delete;

  // The paper of `line` (line `line_number` of `source`, for errors). Throws ParseError.
  // `padded`: at least kJsonlPadding readable, initialised bytes follow `line` in memory (a
  // LineBlock's lines), so it is parsed in place rather than copied first.
  Paper parse(std::string_view line, std::string_view source, std::size_t line_number,
              bool padded = false);

  // What parse() reads of `line` for matching, without building the Paper: its id (version
  // included, as parse() gives it) and its title and abstract as decoded from the JSON, not
  // whitespace-normalised (views valid until the next call on this parser). Throws exactly
  // when parse() would.
  struct Record {
    ArxivId id;
    std::string_view title;
    std::string_view abstract;
  };
  Record record(std::string_view line, std::string_view source, std::size_t line_number,
                bool padded = false);
  // The Paper of the line the last record() call read, as parse() gives it, without parsing
  // the line again. Only after a record() that returned.
  Paper record_paper() const;

  // Throws exactly when parse() would, without building the Paper (cheaper): checks a line
  // that is not otherwise needed, so that a malformed line is reported whatever is asked of it.
  void check(std::string_view line, std::string_view source, std::size_t line_number,
             bool padded = false);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Reads every record of `input`: blank lines (spaces, tabs, CR) skipped. Strict: the first bad
// line throws its ParseError. For small inputs, tests and fuzzers; `match` streams instead.
std::vector<Paper> read_jsonl(std::unique_ptr<ByteSource> input,
                              std::size_t max_line_bytes = kMaxJsonlLineBytes);

// True when `line` holds only spaces, tabs and CRs (JSONL readers skip such lines).
bool is_blank_line(std::string_view line) noexcept;

template <typename Each>
void for_each_line(const LineBlock& block, std::size_t max_line_bytes, Each&& each) {
  constexpr std::string_view kBom = "\xEF\xBB\xBF";
  const char* const data = block.bytes.data();
  std::size_t at = 0;
  std::size_t number = block.first_line;
  while (at < block.size) {
    const void* nl = std::memchr(data + at, '\n', block.size - at);
    const std::size_t stop =
        nl != nullptr ? static_cast<std::size_t>(static_cast<const char*>(nl) - data) : block.size;
    std::string_view text(data + at, stop - at);
    at = stop + 1;
    if (text.size() > max_line_bytes) {
      each(TextLine{{}, number++, true});
      continue;
    }
    if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
    if (number == 1 && text.starts_with(kBom)) text.remove_prefix(kBom.size());
    each(TextLine{text, number++});
  }
}

}  // namespace arxiv_digest
