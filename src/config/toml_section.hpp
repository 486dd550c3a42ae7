// TomlDocument and TomlSection: the one TOML reader every configuration section uses.
//
// A TomlDocument owns a parsed configuration text; a TomlSection is a view of one of its tables
// (the top level, [arxiv], one [[topics]] entry, ...). Each typed getter returns std::nullopt when
// the key is absent and throws ConfigError when it is present but has the wrong type or a bad
// value. Every key a reader asks for (through any getter, has() or allow()) becomes a key the
// section knows; reject_unknown_keys() then refuses any other key, suggesting the closest known
// one. A section's valid keys are therefore exactly the keys its reader asks for: ask for every
// key (even one only needed conditionally, or declare it with allow()) before calling
// reject_unknown_keys().
//
// Every message names the file, line, column, the section and the key, and quotes the bad value:
//   config.toml:3:15: [arxiv] 'max_retries' = 99 is out of range (0..10)
//   config.toml:6:1: [translate] unknown key 'provdier'; did you mean 'provider'?
// ("<name>: ..." when the position is unknown; no section label at the top level). Callers put no
// secrets in messages: the helper quotes only the values it was asked to check.
//
// toml++ stays out of this header: sections hold an opaque handle into their document.
// Lifetime: a TomlSection is a view; its TomlDocument must outlive it. Not thread-safe (getters
// record the keys asked for, shared by every copy of a section).
#pragma once

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <initializer_list>
#include <limits>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace arxiv_digest {

// 1-based line and column in the configuration text; 0 when unknown.
struct TomlPosition {
  std::size_t line = 0;
  std::size_t column = 0;
};

// A value with where it was written (list items, for messages about one item).
template <typename T>
struct TomlLocated {
  T value;
  TomlPosition where;
};

// One entry of an inline table of strings (`headers = { X-Title = "arxiv-digest" }`).
struct TomlStringEntry {
  std::string key;
  std::string value;
  TomlPosition key_at;
  TomlPosition value_at;
};

namespace detail {
struct TomlDocumentState;
struct TomlSectionState;
}  // namespace detail

class TomlSection {
 public:
  // "[arxiv]", "[[topics]]", "[a.b]"; "" for the top level.
  const std::string& label() const;
  // Where the table starts; where `key`'s value is (the table's position when absent).
  TomlPosition position() const;
  TomlPosition position(std::string_view key) const;

  // True when the key is present. Marks it known.
  bool has(std::string_view key) const;
  // Marks keys known without reading them (keys another reader handles).
  void allow(std::initializer_list<std::string_view> keys) const;
  // Throws ConfigError `message` (at the key) when the key is present; the key is not made known,
  // so it is never suggested. For keys that must not be used, e.g. a secret in the file.
  void forbid(std::string_view key, std::string_view message) const;
  // Throws ConfigError "'<key>' is required[, e.g. <example>]" when the key is absent.
  void require(std::string_view key, std::string_view example = {}) const;

  // Typed values. Each returns std::nullopt when the key is absent and throws ConfigError
  // ("'<key>' must be a string", "'<key>' = 99 is out of range (0..10)", ...) when it is wrong.
  std::optional<std::string> string(std::string_view key) const;
  // A string with something besides whitespace.
  std::optional<std::string> non_empty_string(std::string_view key) const;
  // The NAME of an environment variable holding a secret (`api_key_env`, `password_env`):
  // letters, digits and '_', not starting with a digit. The message for anything else never
  // quotes the value: it may be the secret itself, written in the wrong key.
  std::optional<std::string> env_var_name(std::string_view key) const;
  std::optional<bool> boolean(std::string_view key) const;
  // An integer in [min, max].
  template <std::integral T>
  std::optional<T> integer(std::string_view key, T min, T max) const;
  // A finite number (integer or float) in [min, max]; NaN and infinities are refused.
  std::optional<double> number(std::string_view key,
                               double min = std::numeric_limits<double>::lowest(),
                               double max = std::numeric_limits<double>::max()) const;
  // An array of strings (possibly empty), each with its position.
  std::optional<std::vector<TomlLocated<std::string>>> string_list(std::string_view key) const;
  // A string that is one of `names` ("'<key>' = 'x' is not one of: a, b; did you mean 'a'?").
  std::optional<std::string> one_of(std::string_view key,
                                    std::span<const std::string_view> names) const;
  // An array of strings, each one of `names`; order and duplicates kept.
  std::optional<std::vector<std::string>> one_of_list(
      std::string_view key, std::span<const std::string_view> names) const;
  // A non-empty path: "~" and "~/..." expanded from $HOME, relative paths resolved against the
  // configuration file's folder (resolve_path()).
  std::optional<std::filesystem::path> path(std::string_view key) const;
  // An (inline) table whose values are all strings, in the file's order.
  std::optional<std::vector<TomlStringEntry>> string_table(std::string_view key) const;

  // A sub-table ([arxiv] from the top level), labelled "[<key>]" ("[parent.key]" when nested).
  std::optional<TomlSection> table(std::string_view key) const;
  // An array of tables ([[topics]]), each entry a section labelled "[[<key>]]"; empty when the
  // key is absent.
  std::vector<TomlSection> array_of_tables(std::string_view key) const;

  // Throws ConfigError for the first key (in file order) that was never asked for:
  // "unknown key 'x'; did you mean 'y'?" when a known key is close, else the list of valid keys.
  void reject_unknown_keys() const;

  // Resolves a path written in the file (see path()). Throws ConfigError (at `where`) when it
  // starts with "~" and HOME is unset.
  std::filesystem::path resolve_path(std::string_view text, TomlPosition where) const;

  // ConfigError "<file>:<line>:<column>: <label> <message>" at the key's value (the table when
  // the key is absent), at a position, or at the table.
  [[noreturn]] void fail(std::string_view key, std::string_view message) const;
  [[noreturn]] void fail(TomlPosition where, std::string_view message) const;
  [[noreturn]] void fail_here(std::string_view message) const;

 private:
  friend class TomlDocument;
  explicit TomlSection(detail::TomlSectionState* state) : state_(state) {}
  std::optional<std::int64_t> integer64(std::string_view key, std::int64_t min,
                                        std::int64_t max) const;

  detail::TomlSectionState* state_;
};

class TomlDocument {
 public:
  // Parses `text`. `name` starts every message (the file's path); relative paths resolve
  // against `base_dir`. Throws ConfigError (never anything else): text that is not UTF-8 (at the
  // first bad byte) or not TOML (the parser's description, at its position).
  TomlDocument(std::string_view text, std::string name, std::filesystem::path base_dir);
  ~TomlDocument();
  TomlDocument(TomlDocument&&) noexcept;
  TomlDocument& operator=(TomlDocument&&) noexcept;
  TomlDocument(const TomlDocument&) = delete;
  TomlDocument& operator=(const TomlDocument&) = delete;

  // The top-level table (label "").
  TomlSection root() const;
  const std::string& name() const;

 private:
  std::unique_ptr<detail::TomlDocumentState> state_;
};

template <std::integral T>
std::optional<T> TomlSection::integer(std::string_view key, T min, T max) const {
  constexpr auto kLow = std::numeric_limits<std::int64_t>::min();
  constexpr auto kHigh = std::numeric_limits<std::int64_t>::max();
  const std::int64_t low = std::cmp_less(min, kLow) ? kLow : static_cast<std::int64_t>(min);
  const std::int64_t high = std::cmp_greater(max, kHigh) ? kHigh : static_cast<std::int64_t>(max);
  const std::optional<std::int64_t> value = integer64(key, low, high);
  if (!value) return std::nullopt;
  return static_cast<T>(*value);
}

}  // namespace arxiv_digest
