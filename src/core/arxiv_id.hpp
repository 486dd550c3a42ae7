// ArxivId: an arXiv identifier, new style (`2606.18284`, `0704.0001`) or old style
// (`hep-th/9901001`, `math.GT/0309136`), with an optional version (`v2`).
//
// Immutable value type; cheap to copy. Thread-safe (no shared state).
#pragma once

#include <compare>
#include <string>
#include <string_view>

namespace arxiv_digest {

class ArxivId {
 public:
  // Parses `text`. Accepts an optional `arXiv:` prefix (any case) and surrounding whitespace.
  // Throws ParseError (source "arXiv id") whose message quotes the input and says why it is
  // rejected (bad month, wrong number of digits, unknown shape, version 0, ...).
  static ArxivId parse(std::string_view text);

  // Like parse, but returns false and sets `why` instead of throwing.
  static bool try_parse(std::string_view text, ArxivId& out, std::string* why = nullptr);

  ArxivId() = default;

  // Canonical text: `2606.18284v2`, `hep-th/9901001` (version only when known).
  std::string str() const;
  // Version-less key: `2606.18284`, `math.GT/0309136`. Same paper, any version => same key.
  const std::string& key() const noexcept { return key_; }
  // 0 when the id carried no version.
  int version() const noexcept { return version_; }
  bool has_version() const noexcept { return version_ > 0; }
  bool old_style() const noexcept { return old_style_; }
  // Same id with the given version (0 removes it).
  ArxivId with_version(int version) const;

  // Chronological order: by year and month of the id, then number, then version.
  std::strong_ordering operator<=>(const ArxivId& other) const noexcept;
  bool operator==(const ArxivId& other) const noexcept = default;

 private:
  std::string key_;
  int sort_year_ = 0;   // 1991..2099
  int sort_month_ = 0;  // 1..12
  int version_ = 0;
  bool old_style_ = false;
};

}  // namespace arxiv_digest
