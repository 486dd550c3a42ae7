#include "core/arxiv_id.hpp"

#include <fmt/format.h>

#include <cctype>
#include <tuple>

#include "core/error.hpp"

#include "core/text.hpp"

namespace arxiv_digest {
namespace {

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

int to_int(std::string_view s) {
  int v = 0;
  for (char c : s) v = v * 10 + (c - '0');
  return v;
}

bool iequals_prefix(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(s[i])) !=
        std::tolower(static_cast<unsigned char>(prefix[i])))
      return false;
  }
  return true;
}

}  // namespace

bool ArxivId::try_parse(std::string_view text, ArxivId& out, std::string* why) {
  auto fail = [&](std::string reason) {
    if (why) *why = std::move(reason);
    return false;
  };
  std::string_view s = trim(text);
  if (iequals_prefix(s, "arxiv:")) s.remove_prefix(6);
  if (s.empty()) return fail("it is empty");

  ArxivId id;
  // Version suffix: `v` followed by digits, after any '/'.
  const auto slash_pos = s.find('/');
  if (auto v = s.rfind('v'); v != std::string_view::npos &&
                              (slash_pos == std::string_view::npos || v > slash_pos) &&
                              v + 1 < s.size() && all_digits(s.substr(v + 1))) {
    std::string_view digits = s.substr(v + 1);
    if (digits.size() > 4) return fail("the version number is too long");
    id.version_ = to_int(digits);
    if (id.version_ == 0) return fail("versions start at v1");
    s = s.substr(0, v);
  }

  if (auto slash = s.find('/'); slash != std::string_view::npos) {
    // Old style: archive[.SC]/YYMMNNN
    std::string_view archive = s.substr(0, slash);
    std::string_view number = s.substr(slash + 1);
    std::string_view subject;
    if (auto dot = archive.find('.'); dot != std::string_view::npos) {
      subject = archive.substr(dot + 1);
      archive = archive.substr(0, dot);
    }
    if (archive.empty()) return fail("the archive name before '/' is missing");
    for (char c : archive) {
      if (!((c >= 'a' && c <= 'z') || c == '-'))
        return fail(fmt::format("the archive name '{}' must be lower-case letters and '-'",
                                archive));
    }
    if (!subject.empty()) {
      if (subject.size() != 2 || !std::isupper(static_cast<unsigned char>(subject[0])) ||
          !std::isupper(static_cast<unsigned char>(subject[1])))
        return fail(fmt::format("the subject class '{}' must be two upper-case letters", subject));
    }
    if (number.size() != 7 || !all_digits(number))
      return fail("an old-style number has exactly 7 digits (YYMMNNN)");
    int yy = to_int(number.substr(0, 2));
    int mm = to_int(number.substr(2, 2));
    if (mm < 1 || mm > 12) return fail(fmt::format("month {:02} does not exist", mm));
    int year = yy >= 91 ? 1900 + yy : 2000 + yy;
    if (year > 2007 || (year == 2007 && mm > 3))
      return fail("old-style identifiers end in March 2007 (0703)");
    if (to_int(number.substr(4)) == 0) return fail("paper number 000 does not exist");
    id.old_style_ = true;
    id.sort_year_ = year;
    id.sort_month_ = mm;
    id.key_ = std::string(s);
  } else {
    auto dot = s.find('.');
    if (dot == std::string_view::npos)
      return fail("expected YYMM.NNNNN or archive/YYMMNNN");
    std::string_view yymm = s.substr(0, dot);
    std::string_view number = s.substr(dot + 1);
    if (yymm.size() != 4 || !all_digits(yymm))
      return fail("the part before '.' must be 4 digits (YYMM)");
    if (!all_digits(number)) return fail("the part after '.' must be digits");
    int yy = to_int(yymm.substr(0, 2));
    int mm = to_int(yymm.substr(2, 2));
    if (mm < 1 || mm > 12) return fail(fmt::format("month {:02} does not exist", mm));
    int year = 2000 + yy;
    if (year < 2007 || (year == 2007 && mm < 4))
      return fail("new-style identifiers start in April 2007 (0704)");
    std::size_t want = (year < 2015) ? 4 : 5;
    if (number.size() != want)
      return fail(fmt::format("identifiers from {:02}{:02} have {} digits after '.'", yy, mm, want));
    if (to_int(number) == 0) return fail("paper number 0 does not exist");
    id.sort_year_ = year;
    id.sort_month_ = mm;
    id.key_ = std::string(s);
  }
  out = std::move(id);
  return true;
}

ArxivId ArxivId::parse(std::string_view text) {
  ArxivId id;
  std::string why;
  if (!try_parse(text, id, &why)) {
    throw ParseError("arXiv id", 0, 0, "id",
                     fmt::format("'{}' is not an arXiv identifier: {}", text, why));
  }
  return id;
}

std::string ArxivId::str() const {
  if (version_ == 0) return key_;
  return fmt::format("{}v{}", key_, version_);
}

ArxivId ArxivId::with_version(int version) const {
  ArxivId copy = *this;
  copy.version_ = version;
  return copy;
}

std::strong_ordering ArxivId::operator<=>(const ArxivId& other) const noexcept {
  if (auto c = sort_year_ <=> other.sort_year_; c != 0) return c;
  if (auto c = sort_month_ <=> other.sort_month_; c != 0) return c;
  // Same month: old style (archive/number) sorts by archive then number; new style by number.
  // Numbers of equal length compare correctly as text.
  if (auto c = old_style_ <=> other.old_style_; c != 0) return c;
  if (auto c = key_.size() <=> other.key_.size(); c != 0 && !old_style_) return c;
  if (int c = key_.compare(other.key_); c != 0) return c < 0 ? std::strong_ordering::less
                                                             : std::strong_ordering::greater;
  return version_ <=> other.version_;
}

}  // namespace arxiv_digest
