#include "config/toml_section.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <toml++/toml.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <deque>
#include <map>

#include "core/error.hpp"
#include "core/text.hpp"

namespace arxiv_digest {
namespace detail {

struct TomlSectionState {
  TomlDocumentState* document = nullptr;
  const toml::table* table = nullptr;
  std::string label;   // "[arxiv]", "[[topics]]", "" at the top level
  std::string dotted;  // "arxiv", "topics" ("" at the top level): the base of nested labels
  std::vector<std::string> known;  // keys asked for, in the order asked
};

struct TomlDocumentState {
  std::string name;
  std::filesystem::path base_dir;
  toml::table root;
  std::deque<TomlSectionState> sections;  // stable addresses for the sections' handles
  std::map<const toml::table*, TomlSectionState*> by_table;

  TomlSectionState* section(const toml::table& table, std::string label, std::string dotted) {
    if (auto it = by_table.find(&table); it != by_table.end()) return it->second;
    TomlSectionState& state = sections.emplace_back(
        TomlSectionState{this, &table, std::move(label), std::move(dotted), {}});
    by_table.emplace(&table, &state);
    return &state;
  }
};

}  // namespace detail

namespace {

TomlPosition position_of(const toml::source_region& region) {
  return {region.begin.line, region.begin.column};
}

[[noreturn]] void throw_at(const std::string& name, TomlPosition where, std::string_view label,
                           std::string_view message) {
  const std::string what =
      label.empty() ? std::string(message) : fmt::format("{} {}", label, message);
  if (where.line > 0)
    throw ConfigError(fmt::format("{}:{}:{}: {}", name, where.line, where.column, what));
  throw ConfigError(fmt::format("{}: {}", name, what));
}

// The candidate closest to `word` (case-insensitive edit distance of at most 2), or "".
template <typename Range>
std::string_view closest(std::string_view word, const Range& candidates) {
  std::string_view best;
  std::size_t best_distance = 3;
  for (const auto& candidate : candidates) {
    const std::size_t d = edit_distance(word, candidate);
    if (d < best_distance) {
      best_distance = d;
      best = candidate;
    }
  }
  return best;
}

bool before(TomlPosition a, TomlPosition b) {
  return a.line != b.line ? a.line < b.line : a.column < b.column;
}

void mark_known(detail::TomlSectionState& state, std::string_view key) {
  if (std::find(state.known.begin(), state.known.end(), key) == state.known.end())
    state.known.emplace_back(key);
}

}  // namespace

const std::string& TomlSection::label() const { return state_->label; }

TomlPosition TomlSection::position() const { return position_of(state_->table->source()); }

TomlPosition TomlSection::position(std::string_view key) const {
  if (const toml::node* node = state_->table->get(key)) return position_of(node->source());
  return position();
}

bool TomlSection::has(std::string_view key) const {
  mark_known(*state_, key);
  return state_->table->contains(key);
}

void TomlSection::allow(std::initializer_list<std::string_view> keys) const {
  for (std::string_view key : keys) mark_known(*state_, key);
}

void TomlSection::forbid(std::string_view key, std::string_view message) const {
  if (state_->table->contains(key)) fail(key, message);
}

void TomlSection::require(std::string_view key, std::string_view example) const {
  if (has(key)) return;
  fail_here(example.empty() ? fmt::format("'{}' is required", key)
                            : fmt::format("'{}' is required, e.g. {}", key, example));
}

std::optional<std::string> TomlSection::string(std::string_view key) const {
  if (!has(key)) return std::nullopt;
  const toml::node& node = *state_->table->get(key);
  if (!node.is_string()) fail(key, fmt::format("'{}' must be a string", key));
  return *node.value<std::string>();
}

std::optional<std::string> TomlSection::non_empty_string(std::string_view key) const {
  std::optional<std::string> s = string(key);
  if (s && normalize_whitespace(*s).empty()) fail(key, fmt::format("'{}' must not be empty", key));
  return s;
}

std::optional<std::string> TomlSection::env_var_name(std::string_view key) const {
  std::optional<std::string> name = string(key);
  if (!name) return name;
  const bool valid = !name->empty() && !(name->front() >= '0' && name->front() <= '9') &&
                     std::all_of(name->begin(), name->end(), [](char c) {
                       return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                              (c >= '0' && c <= '9') || c == '_';
                     });
  if (!valid)
    fail(key, fmt::format("'{}' must name an environment variable (letters, digits and '_'): the "
                          "variable's name, not the secret itself",
                          key));
  return name;
}

std::optional<bool> TomlSection::boolean(std::string_view key) const {
  if (!has(key)) return std::nullopt;
  const toml::node& node = *state_->table->get(key);
  if (!node.is_boolean()) fail(key, fmt::format("'{}' must be true or false", key));
  return *node.value<bool>();
}

std::optional<std::int64_t> TomlSection::integer64(std::string_view key, std::int64_t min,
                                                   std::int64_t max) const {
  if (!has(key)) return std::nullopt;
  const toml::node& node = *state_->table->get(key);
  if (!node.is_integer()) fail(key, fmt::format("'{}' must be an integer", key));
  const std::int64_t v = *node.value<std::int64_t>();
  if (v < min || v > max)
    fail(key, fmt::format("'{}' = {} is out of range ({}..{})", key, v, min, max));
  return v;
}

std::optional<double> TomlSection::number(std::string_view key, double min, double max) const {
  if (!has(key)) return std::nullopt;
  const toml::node& node = *state_->table->get(key);
  if (!node.is_number()) fail(key, fmt::format("'{}' must be a number", key));
  const double v = *node.value<double>();
  if (!std::isfinite(v)) fail(key, fmt::format("'{}' = {} is not a finite number", key, v));
  if (v < min || v > max) {
    if (min == std::numeric_limits<double>::lowest())
      fail(key, fmt::format("'{}' = {} is out of range (at most {})", key, v, max));
    if (max == std::numeric_limits<double>::max())
      fail(key, fmt::format("'{}' = {} is out of range (at least {})", key, v, min));
    fail(key, fmt::format("'{}' = {} is out of range ({}..{})", key, v, min, max));
  }
  return v;
}

std::optional<std::vector<TomlLocated<std::string>>> TomlSection::string_list(
    std::string_view key) const {
  if (!has(key)) return std::nullopt;
  const toml::array* array = state_->table->get(key)->as_array();
  if (array == nullptr) fail(key, fmt::format("'{}' must be an array of strings", key));
  std::vector<TomlLocated<std::string>> out;
  for (const toml::node& item : *array) {
    if (!item.is_string())
      fail(position_of(item.source()), fmt::format("'{}' must contain only strings", key));
    out.push_back({*item.value<std::string>(), position_of(item.source())});
  }
  return out;
}

namespace {

std::string not_one_of(std::string_view key, std::string_view value,
                       std::span<const std::string_view> names) {
  std::string message =
      fmt::format("'{}' = '{}' is not one of: {}", key, value, fmt::join(names, ", "));
  if (std::string_view hint = closest(value, names); !hint.empty())
    message += fmt::format("; did you mean '{}'?", hint);
  return message;
}

bool is_one_of(std::string_view value, std::span<const std::string_view> names) {
  return std::find(names.begin(), names.end(), value) != names.end();
}

}  // namespace

std::optional<std::string> TomlSection::one_of(std::string_view key,
                                               std::span<const std::string_view> names) const {
  std::optional<std::string> s = string(key);
  if (s && !is_one_of(*s, names)) fail(key, not_one_of(key, *s, names));
  return s;
}

std::optional<std::vector<std::string>> TomlSection::one_of_list(
    std::string_view key, std::span<const std::string_view> names) const {
  auto items = string_list(key);
  if (!items) return std::nullopt;
  std::vector<std::string> out;
  for (auto& item : *items) {
    if (!is_one_of(item.value, names)) fail(item.where, not_one_of(key, item.value, names));
    out.push_back(std::move(item.value));
  }
  return out;
}

std::filesystem::path TomlSection::resolve_path(std::string_view text, TomlPosition where) const {
  if (text == "~" || text.starts_with("~/")) {
    const char* home = std::getenv("HOME");
    if (home == nullptr || *home == '\0')
      fail(where, fmt::format("'{}': cannot expand '~', HOME is not set", text));
    return text.size() <= 2 ? std::filesystem::path(home)
                            : std::filesystem::path(home) / text.substr(2);
  }
  std::filesystem::path p(text);
  return p.is_absolute() ? p : (state_->document->base_dir / p).lexically_normal();
}

std::optional<std::filesystem::path> TomlSection::path(std::string_view key) const {
  std::optional<std::string> s = non_empty_string(key);
  if (!s) return std::nullopt;
  return resolve_path(*s, position(key));
}

std::optional<std::vector<TomlStringEntry>> TomlSection::string_table(std::string_view key) const {
  if (!has(key)) return std::nullopt;
  const toml::table* table = state_->table->get(key)->as_table();
  if (table == nullptr) fail(key, fmt::format("'{}' must be a table of strings", key));
  std::vector<TomlStringEntry> out;
  for (auto&& [name, value] : *table) {
    if (!value.is_string())
      fail(position_of(value.source()), fmt::format("'{}.{}' must be a string", key, name.str()));
    out.push_back({std::string(name.str()), *value.value<std::string>(), position_of(name.source()),
                   position_of(value.source())});
  }
  // toml++ iterates keys in sorted order: give them in the file's.
  std::stable_sort(out.begin(), out.end(), [](const TomlStringEntry& x, const TomlStringEntry& y) {
    return before(x.key_at, y.key_at);
  });
  return out;
}

std::optional<TomlSection> TomlSection::table(std::string_view key) const {
  if (!has(key)) return std::nullopt;
  const toml::table* table = state_->table->get(key)->as_table();
  const std::string dotted =
      state_->dotted.empty() ? std::string(key) : fmt::format("{}.{}", state_->dotted, key);
  if (table == nullptr) fail(key, fmt::format("'{}' must be a table ([{}])", key, dotted));
  return TomlSection(state_->document->section(*table, fmt::format("[{}]", dotted), dotted));
}

std::vector<TomlSection> TomlSection::array_of_tables(std::string_view key) const {
  if (!has(key)) return {};
  const toml::array* array = state_->table->get(key)->as_array();
  const std::string dotted =
      state_->dotted.empty() ? std::string(key) : fmt::format("{}.{}", state_->dotted, key);
  if (array == nullptr || !array->is_array_of_tables())
    fail(key, fmt::format("'{}' must be an array of tables ([[{}]])", key, dotted));
  std::vector<TomlSection> out;
  for (const toml::node& item : *array)
    out.push_back(TomlSection(
        state_->document->section(*item.as_table(), fmt::format("[[{}]]", dotted), dotted)));
  return out;
}

void TomlSection::reject_unknown_keys() const {
  const std::vector<std::string>& known = state_->known;
  // toml++ iterates keys in sorted order: report the unknown key that comes first in the file.
  const toml::key* first = nullptr;
  for (auto&& [key, value] : *state_->table) {
    if (std::find(known.begin(), known.end(), key.str()) != known.end()) continue;
    if (first == nullptr || before(position_of(key.source()), position_of(first->source())))
      first = &key;
  }
  if (first == nullptr) return;
  const std::string_view key = first->str();
  const TomlPosition where = position_of(first->source());
  const std::string scope = state_->label.empty() ? " at the top level" : "";
  if (const std::string_view hint = closest(key, known); !hint.empty())
    fail(where, fmt::format("unknown key '{}'{}; did you mean '{}'?", key, scope, hint));
  if (known.empty())
    fail(where, fmt::format("unknown key '{}'{} (no keys are valid here)", key, scope));
  fail(where,
       fmt::format("unknown key '{}'{} (valid keys: {})", key, scope, fmt::join(known, ", ")));
}

void TomlSection::fail(std::string_view key, std::string_view message) const {
  fail(position(key), message);
}

void TomlSection::fail(TomlPosition where, std::string_view message) const {
  throw_at(state_->document->name, where, state_->label, message);
}

void TomlSection::fail_here(std::string_view message) const { fail(position(), message); }

TomlDocument::TomlDocument(std::string_view text, std::string name, std::filesystem::path base_dir)
    : state_(std::make_unique<detail::TomlDocumentState>()) {
  state_->name = std::move(name);
  state_->base_dir = std::move(base_dir);
  if (std::size_t bad = 0; !is_valid_utf8(text, &bad)) {
    const TextPosition at = arxiv_digest::position_of(text, bad);
    throw_at(state_->name, {at.line, at.column}, "", "the file is not valid UTF-8");
  }
  try {
    state_->root = toml::parse(text, std::string_view(state_->name));
  } catch (const toml::parse_error& e) {
    throw_at(state_->name, position_of(e.source()), "", e.description());
  }
}

TomlDocument::~TomlDocument() = default;
TomlDocument::TomlDocument(TomlDocument&&) noexcept = default;
TomlDocument& TomlDocument::operator=(TomlDocument&&) noexcept = default;

TomlSection TomlDocument::root() const {
  return TomlSection(state_->section(state_->root, "", ""));
}

const std::string& TomlDocument::name() const { return state_->name; }

}  // namespace arxiv_digest
