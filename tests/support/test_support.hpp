// RAII helpers shared by the tests.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/paper.hpp"

namespace arxiv_digest::testing {

// Absolute path of a file under tests/data.
std::filesystem::path data_path(std::string_view relative);
// Whole file as bytes. Fails the current test (ADD_FAILURE) and returns "" if unreadable.
std::string read_file(const std::filesystem::path& path);
void write_file(const std::filesystem::path& path, std::string_view bytes);
// `text` split at '\n' (no line terminators; a final newline adds no empty line).
std::vector<std::string> split_lines(const std::string& text);
// Non-overlapping occurrences of `needle` (non-empty) in `text`.
std::size_t count_of(std::string_view text, std::string_view needle);

// Papers from a JSON Lines file of real records (tests/data/match/papers.jsonl,
// examples/sample-day/papers.jsonl, ...): one object per line with id, title, abstract, and
// optionally authors and categories (lists; "subjects" is accepted for categories). Titles and
// abstracts are kept as written; `normalize` applies normalize_whitespace to them, as the feed
// parsers do. Fails the current test if the file is unreadable.
std::vector<Paper> load_papers_jsonl(const std::filesystem::path& path, bool normalize = false);

// A fresh directory under the system temp dir, removed (recursively) on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(std::string_view name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

// Sets (or unsets, with nullopt) an environment variable for its lifetime, then restores it.
class EnvVar {
 public:
  EnvVar(std::string name, std::optional<std::string> value);
  ~EnvVar();
  EnvVar(const EnvVar&) = delete;
  EnvVar& operator=(const EnvVar&) = delete;

 private:
  std::string name_;
  std::optional<std::string> old_;
};

}  // namespace arxiv_digest::testing
