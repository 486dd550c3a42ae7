#include "support/test_support.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>

#include "core/text.hpp"

namespace arxiv_digest::testing {

std::filesystem::path data_path(std::string_view relative) {
  return std::filesystem::path(ARXIV_DIGEST_TEST_DATA_DIR) / relative;
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    ADD_FAILURE() << "cannot read " << path;
    return {};
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void write_file(const std::filesystem::path& path, std::string_view bytes) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out) ADD_FAILURE() << "cannot write " << path;
}

std::vector<Paper> load_papers_jsonl(const std::filesystem::path& path, bool normalize) {
  std::vector<Paper> papers;
  std::ifstream in(path);
  EXPECT_TRUE(in) << "cannot read " << path;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    const auto j = nlohmann::json::parse(line);
    Paper p;
    p.id = ArxivId::parse(j.at("id").get<std::string>());
    p.title = j.at("title").get<std::string>();
    p.abstract = j.at("abstract").get<std::string>();
    if (normalize) {
      p.title = normalize_whitespace(p.title);
      p.abstract = normalize_whitespace(p.abstract);
    }
    if (j.contains("authors") && j.at("authors").is_array())
      p.authors = j.at("authors").get<std::vector<std::string>>();
    const char* categories = j.contains("categories") ? "categories" : "subjects";
    if (j.contains(categories) && j.at(categories).is_array())
      p.categories = j.at(categories).get<std::vector<std::string>>();
    if (!p.categories.empty()) p.primary_category = p.categories.front();
    papers.push_back(std::move(p));
  }
  return papers;
}

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::string line;
  std::istringstream in(text);
  while (std::getline(in, line)) lines.push_back(line);
  return lines;
}

TempDir::TempDir() {
  std::string tmpl = (std::filesystem::temp_directory_path() / "arxiv-digest-test-XXXXXX").string();
  if (::mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  path_ = tmpl;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

EnvVar::EnvVar(std::string name, std::optional<std::string> value) : name_(std::move(name)) {
  if (const char* old = std::getenv(name_.c_str())) old_ = old;
  if (value)
    ::setenv(name_.c_str(), value->c_str(), 1);
  else
    ::unsetenv(name_.c_str());
}

EnvVar::~EnvVar() {
  if (old_)
    ::setenv(name_.c_str(), old_->c_str(), 1);
  else
    ::unsetenv(name_.c_str());
}

std::size_t count_of(std::string_view text, std::string_view needle) {
  std::size_t count = 0;
  for (std::size_t pos = text.find(needle); pos != std::string_view::npos;
       pos = text.find(needle, pos + needle.size()))
    ++count;
  return count;
}

}  // namespace arxiv_digest::testing
