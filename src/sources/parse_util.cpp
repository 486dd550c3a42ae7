#include "sources/parse_util.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>

#include "core/text.hpp"
#include "sources/parsed_source.hpp"

namespace arxiv_digest::parse_detail {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_lower(char c) { return c >= 'a' && c <= 'z'; }
bool is_alpha(char c) { return is_lower(c) || (c >= 'A' && c <= 'Z'); }

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

bool istarts_with(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() && iequals(text.substr(0, prefix.size()), prefix);
}

// A tiny cursor over date text.
class Scanner {
 public:
  explicit Scanner(std::string_view text) : text_(text) {}
  bool done() const { return pos_ >= text_.size(); }
  void skip_spaces() {
    while (!done() && is_space(text_[pos_])) ++pos_;
  }
  bool accept(char c) {
    if (!done() && text_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  // Exactly `min..max` digits.
  std::optional<int> number(std::size_t min_digits, std::size_t max_digits) {
    std::size_t start = pos_;
    int value = 0;
    while (!done() && is_digit(text_[pos_]) && pos_ - start < max_digits) {
      value = value * 10 + (text_[pos_] - '0');
      ++pos_;
    }
    if (pos_ - start < min_digits) return std::nullopt;
    return value;
  }
  std::string_view word() {
    std::size_t start = pos_;
    while (!done() && is_alpha(text_[pos_])) ++pos_;
    return text_.substr(start, pos_ - start);
  }
  std::string_view rest() const { return text_.substr(pos_); }

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
};

constexpr std::array<std::string_view, 12> kMonths = {
    "january", "february", "march",     "april",   "may",      "june",
    "july",    "august",   "september", "october", "november", "december"};
constexpr std::array<std::string_view, 7> kWeekdays = {
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"};

// 1..12 for a full or three-letter English month name.
std::optional<unsigned> month_from_name(std::string_view name) {
  for (std::size_t i = 0; i < kMonths.size(); ++i) {
    if (iequals(name, kMonths[i]) || (name.size() == 3 && iequals(name, kMonths[i].substr(0, 3))))
      return static_cast<unsigned>(i + 1);
  }
  return std::nullopt;
}

bool is_weekday_name(std::string_view name) {
  for (auto day : kWeekdays) {
    if (iequals(name, day) || (name.size() == 3 && iequals(name, day.substr(0, 3)))) return true;
  }
  return false;
}

std::optional<Date> make_date(int y, unsigned m, int d) {
  if (d < 1 || d > 31) return std::nullopt;
  Date date{std::chrono::year{y}, std::chrono::month{m},
            std::chrono::day{static_cast<unsigned>(d)}};
  if (!date.ok()) return std::nullopt;
  return date;
}

std::optional<DateTime> make_date_time(Date date, int hh, int mm, int ss,
                                       std::chrono::seconds offset) {
  if (hh > 23 || mm > 59 || ss > 60) return std::nullopt;
  DateTime out;
  out.local_date = date;
  out.instant = std::chrono::sys_days{date} + std::chrono::hours{hh} + std::chrono::minutes{mm} +
                std::chrono::seconds{ss} - offset;
  return out;
}

// "+hhmm" / "-hhmm" / "+hh:mm" (colon optional).
std::optional<std::chrono::seconds> numeric_offset(Scanner& s) {
  int sign = 0;
  if (s.accept('+'))
    sign = 1;
  else if (s.accept('-'))
    sign = -1;
  else
    return std::nullopt;
  auto hh = s.number(2, 2);
  if (!hh) return std::nullopt;
  s.accept(':');
  auto mm = s.number(2, 2);
  if (!mm || *hh > 23 || *mm > 59) return std::nullopt;
  return std::chrono::seconds{sign * (*hh * 3600 + *mm * 60)};
}

}  // namespace

IncompleteFetchError incomplete_at(std::string_view source, std::string_view body,
                                   std::size_t offset, const std::string& message) {
  TextPosition pos = position_of(body, offset);
  return IncompleteFetchError(fmt::format("{}:{}:{}: {}", source, pos.line, pos.column, message));
}

void check_body(std::string_view body, std::string_view source, std::string_view what) {
  if (body.size() > kMaxSourceBytes) {
    throw ParseError(std::string(source), 0, 0, "",
                     fmt::format("{}: the {} is {} bytes, more than the {}-byte limit", source,
                                 what, body.size(), kMaxSourceBytes));
  }
  if (trim(body).empty()) {
    throw ParseError(std::string(source), 1, 1, "",
                     fmt::format("{}: the {} is empty (0 bytes of content)", source, what));
  }
  std::size_t bad = 0;
  if (!is_valid_utf8(body, &bad)) {
    throw error_at(source, body, bad, open_element_at(body, bad),
                   fmt::format("the {} is not valid UTF-8: byte 0x{:02X} at offset {}", what,
                               static_cast<unsigned char>(body[bad]), bad));
  }
}

std::string open_element_at(std::string_view body, std::size_t offset) {
  static constexpr std::array<std::string_view, 14> kVoid = {
      "area",  "base", "br",   "col",    "embed", "hr",  "img",
      "input", "link", "meta", "source", "track", "wbr", "param"};
  if (offset > body.size()) offset = body.size();
  std::vector<std::string> stack;
  std::size_t i = 0;
  auto skip_past = [&](std::string_view end) {
    auto at = body.find(end, i);
    i = (at == std::string_view::npos) ? body.size() : at + end.size();
  };
  while (i < offset) {
    if (body[i] != '<') {
      ++i;
      continue;
    }
    std::string_view rest = body.substr(i);
    if (rest.substr(0, 4) == "<!--") {
      skip_past("-->");
    } else if (rest.substr(0, 9) == "<![CDATA[") {
      skip_past("]]>");
    } else if (rest.substr(0, 2) == "<?") {
      skip_past("?>");
    } else if (rest.substr(0, 2) == "<!") {
      skip_past(">");
    } else {
      bool closing = rest.size() > 1 && rest[1] == '/';
      std::size_t name_start = i + (closing ? 2 : 1);
      std::size_t j = name_start;
      while (j < body.size() && !is_space(body[j]) && body[j] != '>' && body[j] != '/') ++j;
      std::string name(body.substr(name_start, j - name_start));
      // Find the end of the tag, honouring quoted attribute values.
      char quote = 0;
      while (j < body.size() && (quote != 0 || body[j] != '>')) {
        if (quote != 0 && body[j] == quote)
          quote = 0;
        else if (quote == 0 && (body[j] == '"' || body[j] == '\''))
          quote = body[j];
        ++j;
      }
      if (j >= offset) {
        // Inside this tag: an end tag reports the element it (tries to) close.
        if (closing && !stack.empty()) return stack.back();
        return name;
      }
      bool self_closing = j > 0 && body[j - 1] == '/';
      i = j + 1;
      if (closing) {
        for (std::size_t k = stack.size(); k-- > 0;) {
          if (stack[k] == name) {
            stack.resize(k);
            break;
          }
        }
      } else if (!self_closing && !name.empty()) {
        std::string lname = ascii_lower(name);
        if (std::find(kVoid.begin(), kVoid.end(), lname) != kVoid.end()) continue;
        stack.push_back(name);
        if (lname == "script" || lname == "style") {
          auto end = ascii_lower(body.substr(i)).find("</" + lname);
          if (end == std::string::npos || i + end >= offset) return name;
          i += end;
        }
      }
    }
  }
  return stack.empty() ? std::string() : stack.back();
}

bool looks_like_html(std::string_view body) {
  std::string_view s = body;
  if (s.substr(0, 3) == "\xEF\xBB\xBF") s.remove_prefix(3);
  for (;;) {
    s = trim(s);
    if (s.substr(0, 4) == "<!--") {
      auto end = s.find("-->");
      if (end == std::string_view::npos) return false;
      s.remove_prefix(end + 3);
      continue;
    }
    break;
  }
  return istarts_with(s, "<!doctype html") || istarts_with(s, "<html") ||
         istarts_with(s, "<head") || istarts_with(s, "<body");
}

// Reads "[Weekday,] D Month YYYY" and the spaces after it. `comma_required`: RFC 822 wants the
// comma after a weekday; arXiv's listing heading ("Thursday, 18 June 2026") is read leniently.
struct DayMonthYear {
  int day;
  unsigned month;
  int year;
};
std::optional<DayMonthYear> read_day_month_year(Scanner& s, bool comma_required) {
  s.skip_spaces();
  {
    Scanner probe = s;
    std::string_view w = probe.word();
    if (!w.empty() && is_weekday_name(w)) {
      probe.skip_spaces();
      if (!probe.accept(',') && comma_required) return std::nullopt;
      s = probe;
    }
  }
  s.skip_spaces();
  auto day = s.number(1, 2);
  if (!day) return std::nullopt;
  s.skip_spaces();
  auto month = month_from_name(s.word());
  if (!month) return std::nullopt;
  s.skip_spaces();
  auto year = s.number(4, 4);
  if (!year) return std::nullopt;
  s.skip_spaces();
  return DayMonthYear{*day, *month, *year};
}

std::optional<DateTime> parse_rfc822(std::string_view text) {
  Scanner s(trim(text));
  const auto dmy = read_day_month_year(s, /*comma_required=*/true);
  if (!dmy) return std::nullopt;
  auto hh = s.number(2, 2);
  if (!hh || !s.accept(':')) return std::nullopt;
  auto mm = s.number(2, 2);
  if (!mm) return std::nullopt;
  int ss = 0;
  if (s.accept(':')) {
    auto sec = s.number(2, 2);
    if (!sec) return std::nullopt;
    ss = *sec;
  }
  s.skip_spaces();
  std::chrono::seconds offset{0};
  if (auto numeric = numeric_offset(s)) {
    offset = *numeric;
  } else {
    std::string_view zone = s.word();
    struct Zone {
      std::string_view name;
      int hours;
    };
    static constexpr std::array<Zone, 11> kZones = {{{"GMT", 0},
                                                     {"UT", 0},
                                                     {"UTC", 0},
                                                     {"Z", 0},
                                                     {"EST", -5},
                                                     {"EDT", -4},
                                                     {"CST", -6},
                                                     {"CDT", -5},
                                                     {"MST", -7},
                                                     {"PST", -8},
                                                     {"PDT", -7}}};
    bool found = false;
    for (const auto& z : kZones) {
      if (iequals(zone, z.name)) {
        offset = std::chrono::hours{z.hours};
        found = true;
      }
    }
    if (!found) return std::nullopt;
  }
  s.skip_spaces();
  if (!s.done()) return std::nullopt;
  auto date = make_date(dmy->year, dmy->month, dmy->day);
  if (!date) return std::nullopt;
  return make_date_time(*date, *hh, *mm, ss, offset);
}

std::optional<DateTime> parse_rfc3339(std::string_view text) {
  Scanner s(trim(text));
  auto year = s.number(4, 4);
  if (!year || !s.accept('-')) return std::nullopt;
  auto month = s.number(2, 2);
  if (!month || !s.accept('-')) return std::nullopt;
  auto day = s.number(2, 2);
  if (!day) return std::nullopt;
  if (!s.accept('T') && !s.accept('t') && !s.accept(' ')) return std::nullopt;
  auto hh = s.number(2, 2);
  if (!hh || !s.accept(':')) return std::nullopt;
  auto mm = s.number(2, 2);
  if (!mm || !s.accept(':')) return std::nullopt;
  auto ss = s.number(2, 2);
  if (!ss) return std::nullopt;
  if (s.accept('.')) {
    if (!s.number(1, 9)) return std::nullopt;
    while (s.number(1, 9)) {
    }
  }
  std::chrono::seconds offset{0};
  if (!s.accept('Z') && !s.accept('z')) {
    auto numeric = numeric_offset(s);
    if (!numeric) return std::nullopt;
    offset = *numeric;
  }
  if (!s.done()) return std::nullopt;
  if (*month < 1 || *month > 12) return std::nullopt;
  auto date = make_date(*year, static_cast<unsigned>(*month), *day);
  if (!date) return std::nullopt;
  return make_date_time(*date, *hh, *mm, *ss, offset);
}

std::optional<Date> parse_long_date(std::string_view text) {
  Scanner s(trim(text));
  const auto dmy = read_day_month_year(s, /*comma_required=*/false);
  if (!dmy || !s.done()) return std::nullopt;
  return make_date(dmy->year, dmy->month, dmy->day);
}

bool is_arxiv_category(std::string_view term) {
  auto dot = term.find('.');
  std::string_view archive = term.substr(0, dot);
  if (archive.empty() || !is_lower(archive.front())) return false;
  for (char c : archive) {
    if (!is_lower(c) && c != '-') return false;
  }
  if (dot == std::string_view::npos) return true;
  std::string_view subject = term.substr(dot + 1);
  if (subject.empty() || !is_alpha(subject.front())) return false;
  for (char c : subject) {
    if (!is_alpha(c) && c != '-') return false;
  }
  return true;
}

std::vector<std::string> split_authors(std::string_view line) {
  // First split on commas outside parentheses.
  std::vector<std::string_view> parts;
  int depth = 0;
  std::size_t start = 0;
  for (std::size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (c == '(')
      ++depth;
    else if (c == ')' && depth > 0)
      --depth;
    else if (c == ',' && depth == 0) {
      parts.push_back(line.substr(start, i - start));
      start = i + 1;
    }
  }
  parts.push_back(line.substr(start));

  std::vector<std::string> names;
  auto add = [&](std::string_view name) {
    name = trim(name);
    // Drop a trailing "(affiliation)" group.
    if (!name.empty() && name.back() == ')') {
      int d = 0;
      for (std::size_t i = name.size(); i-- > 0;) {
        if (name[i] == ')')
          ++d;
        else if (name[i] == '(' && --d == 0) {
          if (i > 0) name = trim(name.substr(0, i));
          break;
        }
      }
    }
    std::string normalized = normalize_whitespace(name);
    if (!normalized.empty()) names.push_back(std::move(normalized));
  };
  for (std::string_view part : parts) {
    part = trim(part);
    if (istarts_with(part, "and ")) part.remove_prefix(4);
    // "B. Two and C. Three": split on " and " outside parentheses.
    depth = 0;
    std::size_t from = 0;
    for (std::size_t i = 0; i < part.size(); ++i) {
      char c = part[i];
      if (c == '(')
        ++depth;
      else if (c == ')' && depth > 0)
        --depth;
      else if (depth == 0 && is_space(c) && i + 5 <= part.size() &&
               istarts_with(part.substr(i + 1), "and") && i + 4 < part.size() &&
               is_space(part[i + 4])) {
        add(part.substr(from, i - from));
        from = i + 5;
        i += 4;
      }
    }
    add(part.substr(from));
  }
  return names;
}

}  // namespace arxiv_digest::parse_detail
