// Streaming JSON Lines (see jsonl_reader.hpp).
#include "sources/jsonl_reader.hpp"

#include <fmt/format.h>
#include <simdjson.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <utility>

#include "core/error.hpp"
#include "core/text.hpp"
#include "sources/parse_util.hpp"

namespace arxiv_digest {
namespace {

// Small enough that the few buffers in use (the reader's, the blocks in flight: see next_block)
// stay cheap to fault in and warm in cache, large enough that a read is no per-line cost.
constexpr std::size_t kChunkBytes = std::size_t{256} << 10;
constexpr std::string_view kBom = "\xEF\xBB\xBF";

}  // namespace

bool is_blank_line(std::string_view line) noexcept {
  return line.find_first_not_of(" \t\r") == std::string_view::npos;
}

// ---------------------------------------------------------------------------------------------
// LineReader

ParseError line_too_long(std::string_view source, const TextLine& line,
                         std::size_t max_line_bytes) {
  return ParseError(
      std::string(source), line.number, 0, "",
      fmt::format("{}:{}: line longer than {} bytes", source, line.number, max_line_bytes));
}

LineReader::LineReader(std::unique_ptr<ByteSource> input, std::size_t max_line_bytes)
    : input_(std::move(input)), max_line_(std::max<std::size_t>(max_line_bytes, 1)) {}

bool LineReader::fill() {
  if (eof_) return false;
  // Keep only the unfinished line, at the front.
  if (begin_ > 0) {
    std::memmove(buffer_.data(), buffer_.data() + begin_, end_ - begin_);
    scan_ -= begin_;
    end_ -= begin_;
    begin_ = 0;
  }
  // kJsonlPadding more: the buffer becomes a LineBlock's (next_block()), whose lines are parsed
  // in place.
  // Twice a chunk from the start: an unfinished line plus a chunk fits without regrowing.
  if (buffer_.size() < end_ + kChunkBytes + kJsonlPadding)
    buffer_.resize(std::max(end_ + kChunkBytes, 2 * kChunkBytes) + kJsonlPadding);
  const std::size_t n = input_->read(std::span<char>(buffer_.data() + end_, kChunkBytes));
  if (n == 0) {
    eof_ = true;
    return false;
  }
  end_ += n;
  return true;
}

std::string_view LineReader::peek(std::size_t n) {
  while (end_ - begin_ < n && fill()) {
  }
  return {buffer_.data() + begin_, std::min(n, end_ - begin_)};
}

std::optional<TextLine> LineReader::next_line() {
  for (;;) {
    const void* nl =
        scan_ < end_ ? std::memchr(buffer_.data() + scan_, '\n', end_ - scan_) : nullptr;
    std::size_t stop = 0;
    bool complete = false;
    if (nl != nullptr) {
      stop = static_cast<std::size_t>(static_cast<const char*>(nl) - buffer_.data());
      complete = true;
    } else {
      scan_ = end_;
      if (end_ - begin_ > max_line_) {
        discarding_ = true;  // drop what we have of it; keep counting to its end
        begin_ = scan_ = end_;
      }
      if (fill()) continue;
      if (begin_ == end_ && !discarding_) return std::nullopt;
      stop = end_;  // a last line without '\n'
    }
    std::string_view text(buffer_.data() + begin_, stop - begin_);  // fill() may move buffer_
    begin_ = scan_ = complete ? stop + 1 : stop;
    ++number_;
    if (discarding_ || text.size() > max_line_) {
      discarding_ = false;
      return TextLine{{}, number_, true};
    }
    if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
    if (number_ == 1 && text.starts_with(kBom)) text.remove_prefix(kBom.size());
    return TextLine{text, number_};
  }
}

bool LineReader::next_block(LineBlock& block, std::size_t target_bytes) {
  block.size = 0;
  block.too_long.reset();
  if (failure_) std::rethrow_exception(std::exchange(failure_, nullptr));
  if (!discarding_) {
    try {
      while (end_ - begin_ < target_bytes && fill()) {
      }
    } catch (const Error&) {
      // The whole lines read before the failure come first, as from next_line().
      const char* data = buffer_.data();
      if (end_ == begin_ || ::memrchr(data + begin_, '\n', end_ - begin_) == nullptr) throw;
      failure_ = std::current_exception();
      eof_ = true;  // no more reads: cut at the last '\n'
    }
  }
  // The last '\n' read; when there is none yet, more (a long line) up to the line limit.
  std::size_t cut = 0;
  scan_ = std::max(scan_, begin_);  // [begin_, scan_) holds no '\n': searched once only
  for (;;) {
    const char* data = buffer_.data();
    const void* nl =
        discarding_ || end_ == scan_ ? nullptr : ::memrchr(data + scan_, '\n', end_ - scan_);
    if (nl != nullptr) {
      cut = static_cast<std::size_t>(static_cast<const char*>(nl) - data) + 1;
      break;
    }
    scan_ = end_;
    if (discarding_ || end_ - begin_ > max_line_) {
      // next_line() skips an over-long line without buffering it.
      block.too_long = next_line();
      block.first_line = block.too_long ? block.too_long->number : number_ + 1;
      return block.too_long.has_value();
    }
    if (failure_ || !fill()) {
      if (begin_ == end_) return false;
      cut = end_;  // a last line without '\n'
      break;
    }
  }
  // The lines change hands: the block takes the buffer, the reader keeps the block's old storage
  // with the unfinished line copied to its front.
  // Lines, the last one without '\n' included. memchr: lines are long, and it is vectorised
  // where std::count is not.
  std::size_t lines = 0;
  for (const char* p = buffer_.data() + begin_; p != buffer_.data() + cut; ++lines) {
    const void* nl = std::memchr(p, '\n', static_cast<std::size_t>(buffer_.data() + cut - p));
    p = nl != nullptr ? static_cast<const char*>(nl) + 1 : buffer_.data() + cut;
  }
  if (begin_ > 0) {
    std::memmove(buffer_.data(), buffer_.data() + begin_, end_ - begin_);
    cut -= begin_;
    end_ -= begin_;
    begin_ = 0;
  }
  const std::size_t rest = end_ - cut;
  std::swap(buffer_, block.bytes);
  if (buffer_.size() < rest + kChunkBytes + kJsonlPadding)
    buffer_.resize(std::max(rest + kChunkBytes, 2 * kChunkBytes) + kJsonlPadding);
  std::memcpy(buffer_.data(), block.bytes.data() + cut, rest);
  begin_ = scan_ = 0;
  end_ = rest;
  block.size = cut;
  block.first_line = number_ + 1;
  number_ += lines;
  return true;
}

std::string LineReader::read_all(std::size_t limit) {
  std::string out(buffer_.data() + begin_, end_ - begin_);
  begin_ = scan_ = end_;
  std::vector<char> chunk(kChunkBytes);
  while (!eof_) {
    const std::size_t n = input_->read(chunk);
    if (n == 0) break;
    if (out.size() + n > limit)
      throw ParseError(source(), 0, 0, "",
                       fmt::format("{}: larger than {} bytes", source(), limit));
    out.append(chunk.data(), n);
  }
  eof_ = true;
  if (out.size() > limit)
    throw ParseError(source(), 0, 0, "", fmt::format("{}: larger than {} bytes", source(), limit));
  return out;
}

// ---------------------------------------------------------------------------------------------
// JsonlRecordParser

namespace {

// Readers of the one form arXiv's snapshot writes each date in. Malformed dates reject a line,
// so they are read on check()'s path too, for every version of every snapshot line: these cost
// a fraction of the general parsers (parse_rfc822(), parse_date()) and give their result for
// what they accept; anything else goes to the general parser.

// The value of the decimal digits of `text`, or -1 when one is not a digit.
int digits_value(std::string_view text) {
  int n = 0;
  for (const char c : text) {
    const unsigned d = static_cast<unsigned>(c) - '0';
    if (d > 9) return -1;
    n = n * 10 + static_cast<int>(d);
  }
  return n;
}

// Three letters as one number, to look names up among kWeekdays and kMonths.
constexpr std::uint32_t three(const char* p) {
  return static_cast<std::uint32_t>(static_cast<unsigned char>(p[0])) << 16 |
         static_cast<std::uint32_t>(static_cast<unsigned char>(p[1])) << 8 |
         static_cast<std::uint32_t>(static_cast<unsigned char>(p[2]));
}
constexpr std::array<std::uint32_t, 7> kWeekdays = {three("Mon"), three("Tue"), three("Wed"),
                                                    three("Thu"), three("Fri"), three("Sat"),
                                                    three("Sun")};
constexpr std::array<std::uint32_t, 12> kMonths = {
    three("Jan"), three("Feb"), three("Mar"), three("Apr"), three("May"), three("Jun"),
    three("Jul"), three("Aug"), three("Sep"), three("Oct"), three("Nov"), three("Dec")};

// `date` at `hh`:`mm`:`ss` UTC, or nullopt when the date does not exist or the time is out of
// range (a leap second, :60, allowed as parse_rfc822 allows it).
std::optional<std::chrono::sys_seconds> instant(int year, int month, int day, int hh, int mm,
                                                int ss) {
  if (month < 1 || day < 1 || hh < 0 || hh > 23 || mm < 0 || mm > 59 || ss < 0 || ss > 60)
    return std::nullopt;
  const std::chrono::year_month_day date{std::chrono::year{year},
                                         std::chrono::month{static_cast<unsigned>(month)},
                                         std::chrono::day{static_cast<unsigned>(day)}};
  if (year < 0 || !date.ok()) return std::nullopt;
  return std::chrono::sys_days{date} + std::chrono::hours{hh} + std::chrono::minutes{mm} +
         std::chrono::seconds{ss};
}

// A `created` date as arXiv writes them, "Mon, 2 Apr 2007 19:18:42 GMT" (a day of one or two
// digits); nullopt for any other text, which then goes to parse_rfc822().
std::optional<std::chrono::sys_seconds> snapshot_created(std::string_view t) {
  if (t.size() != 28 && t.size() != 29) return std::nullopt;
  const std::size_t d = t.size() - 28;  // every offset after the day moves by its extra digit
  const char* p = t.data();
  if (p[3] != ',' || p[4] != ' ' || p[6 + d] != ' ' || p[10 + d] != ' ' || p[15 + d] != ' ' ||
      p[18 + d] != ':' || p[21 + d] != ':' || p[24 + d] != ' ' || p[25 + d] != 'G' ||
      p[26 + d] != 'M' || p[27 + d] != 'T')
    return std::nullopt;
  if (std::find(kWeekdays.begin(), kWeekdays.end(), three(p)) == kWeekdays.end())
    return std::nullopt;
  const auto month = std::find(kMonths.begin(), kMonths.end(), three(p + 7 + d));
  if (month == kMonths.end()) return std::nullopt;
  return instant(
      digits_value(std::string_view(p + 11 + d, 4)), static_cast<int>(month - kMonths.begin()) + 1,
      digits_value(std::string_view(p + 5, 1 + d)), digits_value(std::string_view(p + 16 + d, 2)),
      digits_value(std::string_view(p + 19 + d, 2)), digits_value(std::string_view(p + 22 + d, 2)));
}

// An `update_date`, "2008-11-13" (exactly as parse_date() reads it), at midnight UTC.
std::optional<std::chrono::sys_seconds> snapshot_day(std::string_view t) {
  if (t.size() != 10 || t[4] != '-' || t[7] != '-') return std::nullopt;
  const char* p = t.data();
  return instant(digits_value(std::string_view(p + 0, 4)), digits_value(std::string_view(p + 5, 2)),
                 digits_value(std::string_view(p + 8, 2)), 0, 0, 0);
}

}  // namespace

// simdjson's DOM API: runtime-dispatched SIMD kernels (AVX2, AVX-512, NEON) whatever the
// compiler flags (its On-Demand API would be the scalar fallback without -march), and it
// validates the whole line, so check() and parse() reject the same lines.
namespace dom = simdjson::dom;
static_assert(kJsonlPadding >= simdjson::SIMDJSON_PADDING);

struct JsonlRecordParser::Impl {
  dom::parser parser;
  std::vector<char> padded;  // the line, then SIMDJSON_PADDING bytes

  // The fields of one record, as views into the parser's document (valid until the next line).
  struct Fields {
    std::string_view id;
    std::string_view title, abstract, comments;
    std::optional<std::int64_t> version;
    // A string to split, or the strings of a list.
    struct List {
      bool present = false;
      bool is_string = false;
      std::string_view text;
      std::vector<std::string_view> items;
    };
    List authors, categories, subjects;
    // Decoded once all keys are read: only the last value of a key given twice counts, and
    // the dates to keep depend on "id" and "version", which may come after them.
    std::optional<dom::element> versions;
    std::optional<dom::element> update_date;
  };
  Fields fields;

  // What read() resolved: the id (version included) and its dates.
  ArxivId id;
  std::optional<std::chrono::sys_seconds> submitted, updated;

  // The entries of "versions": version number and "created" instant (storage reused).
  struct Listed {
    int version = 0;
    std::chrono::sys_seconds created{};
  };
  std::vector<Listed> listed;

  [[noreturn]] static void fail(std::string_view source, std::size_t line, std::string_view field,
                                const std::string& what) {
    throw ParseError(std::string(source), line, 1, std::string(field),
                     fmt::format("{}:{}: {}", source, line, what));
  }

  static std::string_view string_or_empty(dom::element value) {
    std::string_view s;
    if (value.get_string().get(s)) return {};
    return s;
  }

  static void read_list(dom::element value, Fields::List& list) {
    list = Fields::List{};
    list.present = true;
    if (value.is_string()) {
      list.is_string = true;
      list.text = string_or_empty(value);
      return;
    }
    dom::array array;
    if (value.get_array().get(array)) return;
    for (dom::element item : array)
      if (item.is_string()) list.items.push_back(string_or_empty(item));
  }

  // "v1" .. "v9999" (the versions an id may carry); 0 for anything else.
  static int version_number(std::string_view text) {
    if (text.size() < 2 || text.size() > 5 || text[0] != 'v' || text[1] == '0') return 0;
    int n = 0;
    for (const char c : text.substr(1)) {
      if (c < '0' || c > '9') return 0;
      n = n * 10 + (c - '0');
    }
    return n;
  }

  // `listed` from "versions": a list of {"version": "vN", "created": RFC 2822 date}, each
  // version once. Throws ParseError (field "versions") for anything else.
  void read_versions(dom::element value, std::string_view source, std::size_t number) {
    listed.clear();
    if (value.is_null()) return;
    dom::array array;
    if (value.get_array().get(array)) fail(source, number, "versions", "bad versions: not a list");
    std::size_t entry = 0;
    for (const dom::element item : array) {
      ++entry;
      dom::object object;
      if (item.get_object().get(object))
        fail(source, number, "versions",
             fmt::format("bad versions: entry {} is not an object", entry));
      // Its "version" and "created" strings (a key given twice: its last value, as above).
      std::optional<std::string_view> version, created;
      for (const dom::key_value_pair member : object) {
        if (member.key == "version") {
          version.reset();
          if (std::string_view text; !member.value.get_string().get(text)) version = text;
        } else if (member.key == "created") {
          created.reset();
          if (std::string_view text; !member.value.get_string().get(text)) created = text;
        }
      }
      if (!version)
        fail(source, number, "versions",
             fmt::format("bad versions: entry {} has no \"version\" string", entry));
      const int n = version_number(*version);
      if (n == 0)
        fail(source, number, "versions",
             fmt::format("bad versions: entry {}: bad version '{}' (expected v1, v2, ...)", entry,
                         excerpt(*version, 40)));
      if (!created)
        fail(source, number, "versions",
             fmt::format("bad versions: {} has no \"created\" date string", *version));
      std::optional<std::chrono::sys_seconds> when = snapshot_created(*created);
      if (!when) {
        if (const auto other = parse_detail::parse_rfc822(*created)) when = other->instant;
      }
      if (!when)
        fail(source, number, "versions",
             fmt::format("bad versions: {}: bad created date '{}' (expected RFC 2822, e.g. "
                         "\"Mon, 2 Apr 2007 19:18:42 GMT\")",
                         *version, excerpt(*created, 40)));
      listed.push_back({n, *when});
    }
    // arXiv lists them in order; sorted, a version given twice is a neighbour of itself.
    const auto by_version = [](const Listed& a, const Listed& b) { return a.version < b.version; };
    if (!std::is_sorted(listed.begin(), listed.end(), by_version))
      std::stable_sort(listed.begin(), listed.end(), by_version);
    const auto twice =
        std::adjacent_find(listed.begin(), listed.end(),
                           [](const Listed& a, const Listed& b) { return a.version == b.version; });
    if (twice != listed.end())
      fail(source, number, "versions",
           fmt::format("bad versions: v{} listed twice", twice->version));
  }

  // The created instant of `version` in `listed`, when listed.
  std::optional<std::chrono::sys_seconds> created(int version) const {
    const auto it = std::lower_bound(listed.begin(), listed.end(), version,
                                     [](const Listed& entry, int v) { return entry.version < v; });
    if (it == listed.end() || it->version != version) return std::nullopt;
    return it->created;
  }

  // Reads `line` into `fields`, `id`, `submitted` and `updated`; throws ParseError for what
  // parse() rejects.
  // `in_place`: kJsonlPadding readable bytes follow `line` (their content does not matter to
  // simdjson), so it need not be copied.
  void read(std::string_view line, std::string_view source, std::size_t number, bool in_place) {
    fields = Fields{};
    const char* json = line.data();
    if (!in_place) {
      if (padded.size() < line.size() + simdjson::SIMDJSON_PADDING)
        padded.resize(line.size() + simdjson::SIMDJSON_PADDING);  // zeroed once
      std::memcpy(padded.data(), line.data(), line.size());
      json = padded.data();
    }
    dom::element doc;
    if (auto e = parser.parse(json, line.size(), false).get(doc))
      fail(source, number, "", fmt::format("not JSON ({})", simdjson::error_message(e)));
    dom::object object;
    if (doc.get_object().get(object)) fail(source, number, "", "not a JSON object");
    for (const dom::key_value_pair member : object) {
      const std::string_view key = member.key;
      const dom::element value = member.value;
      if (key == "id") {
        fields.id = string_or_empty(value);
      } else if (key == "title") {
        fields.title = string_or_empty(value);
      } else if (key == "abstract") {
        fields.abstract = string_or_empty(value);
      } else if (key == "comments") {
        fields.comments = string_or_empty(value);
      } else if (key == "authors") {
        read_list(value, fields.authors);
      } else if (key == "categories") {
        read_list(value, fields.categories);
      } else if (key == "subjects") {
        read_list(value, fields.subjects);
      } else if (key == "version") {
        std::int64_t v = 0;
        fields.version.reset();
        if (value.is_int64() && !value.get_int64().get(v)) fields.version = v;
      } else if (key == "versions") {
        fields.versions = value;
      } else if (key == "update_date") {
        fields.update_date = value;
      }
    }
    if (!ArxivId::try_parse(fields.id, id))
      fail(source, number, "id", fmt::format("bad or missing arXiv id '{}'", fields.id));
    // An explicit version wins: "version" (the project's records), then the id's own.
    if (fields.version && *fields.version >= 1 && *fields.version <= 9999)
      id = id.with_version(static_cast<int>(*fields.version));

    listed.clear();
    if (fields.versions) read_versions(*fields.versions, source, number);
    std::optional<std::chrono::sys_seconds> update_date;
    if (fields.update_date && !fields.update_date->is_null()) {
      std::string_view text;
      if (fields.update_date->get_string().get(text) || !(update_date = snapshot_day(text)))
        fail(source, number, "update_date",
             fmt::format(
                 "bad update_date '{}' (expected YYYY-MM-DD)",
                 excerpt(text.empty() ? simdjson::minify(*fields.update_date) : std::string(text),
                         40)));
    }
    submitted.reset();
    updated.reset();
    if (!listed.empty()) {
      if (!id.has_version()) id = id.with_version(listed.back().version);
      submitted = created(1);
      updated = created(id.version());
    } else {
      updated = update_date;
    }
  }
};

namespace {

// normalize_whitespace(), a run of bytes at a time rather than a byte (the same result: runs of
// ASCII whitespace become one space, none at either end): it is on the hot path of `match`.
std::string normalized(std::string_view text) {
  // Most values need nothing: no control whitespace (bytes below 0x0E, tested eight at a time),
  // no double space, no space at either end.
  bool plain = text.empty() || (text.front() != ' ' && text.back() != ' ');
  std::size_t k = 0;
  constexpr std::uint64_t kOnes = 0x0101010101010101ull;
  for (; plain && k + 8 <= text.size(); k += 8) {
    std::uint64_t word = 0;
    std::memcpy(&word, text.data() + k, 8);
    plain = ((word - kOnes * 0x0E) & ~word & (kOnes * 0x80)) == 0;
  }
  for (; plain && k < text.size(); ++k) plain = static_cast<unsigned char>(text[k]) >= 0x0E;
  if (plain && text.find("  ") == std::string_view::npos) return std::string(text);
  auto space = [](char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
  };
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  const std::size_t n = text.size();
  while (i < n && space(text[i])) ++i;
  while (i < n) {
    std::size_t j = i;
    while (j < n && !space(text[j])) ++j;
    out.append(text.data() + i, j - i);
    i = j;
    while (i < n && space(text[i])) ++i;
    if (i < n) out.push_back(' ');
  }
  return out;
}

void split_into(const std::string_view text, std::string_view separator,
                std::vector<std::string>& out) {
  std::size_t from = 0;
  while (from <= text.size()) {
    std::size_t at = text.find(separator, from);
    if (at == std::string_view::npos) at = text.size();
    std::string part = normalized(text.substr(from, at - from));
    if (!part.empty()) out.push_back(std::move(part));
    from = at + separator.size();
  }
}

template <typename List>
std::vector<std::string> list_values(const List& list, std::string_view separator) {
  std::vector<std::string> out;
  if (list.is_string) {
    split_into(list.text, separator, out);
  } else {
    for (std::string_view item : list.items) out.emplace_back(item);
  }
  return out;
}

}  // namespace

JsonlRecordParser::JsonlRecordParser() : impl_(std::make_unique<Impl>()) {}
JsonlRecordParser::~JsonlRecordParser() = default;
JsonlRecordParser::JsonlRecordParser(JsonlRecordParser&&) noexcept = default;
JsonlRecordParser& JsonlRecordParser::operator=(JsonlRecordParser&&) noexcept = default;

void JsonlRecordParser::check(std::string_view line, std::string_view source,
                              std::size_t line_number, bool padded) {
  impl_->read(line, source, line_number, padded);
}

JsonlRecordParser::Record JsonlRecordParser::record(std::string_view line, std::string_view source,
                                                    std::size_t line_number, bool padded) {
  impl_->read(line, source, line_number, padded);
  return {impl_->id, impl_->fields.title, impl_->fields.abstract};
}

Paper JsonlRecordParser::parse(std::string_view line, std::string_view source,
                               std::size_t line_number, bool padded) {
  impl_->read(line, source, line_number, padded);
  return record_paper();
}

Paper JsonlRecordParser::record_paper() const {
  const Impl::Fields& f = impl_->fields;
  Paper p;
  p.id = impl_->id;
  p.submitted = impl_->submitted;
  p.updated = impl_->updated;
  p.title = normalized(f.title);
  p.abstract = normalized(f.abstract);
  p.comments = normalized(f.comments);
  if (f.authors.present) p.authors = list_values(f.authors, ", ");
  const auto& cats = f.categories.present ? f.categories : f.subjects;
  if (cats.present)
    for (const std::string& c : list_values(cats, " ")) p.add_category(c);
  if (!p.categories.empty()) p.primary_category = p.categories.front();
  return p;
}

std::vector<Paper> read_jsonl(std::unique_ptr<ByteSource> input, std::size_t max_line_bytes) {
  LineReader reader(std::move(input), max_line_bytes);
  JsonlRecordParser parser;
  std::vector<Paper> papers;
  const std::string source = reader.source();
  while (auto line = reader.next_line()) {
    if (line->too_long) throw line_too_long(source, *line, reader.max_line_bytes());
    if (is_blank_line(line->text)) continue;
    papers.push_back(parser.parse(line->text, source, line->number));
  }
  return papers;
}

}  // namespace arxiv_digest
