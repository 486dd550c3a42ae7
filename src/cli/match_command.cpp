// `arxiv-digest match` (see match_command.hpp).
#include "cli/match_command.hpp"

#include <fmt/format.h>
#include <zlib.h>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "core/error.hpp"
#include "core/text.hpp"
#include "match/query_set.hpp"
#include "sources/oai_parser.hpp"
#include "sources/parsed_source.hpp"

namespace arxiv_digest {
namespace {

// z_stream for gzip inflation, move-only.
class Inflater {
 public:
  Inflater() {
    if (inflateInit2(&stream_, 15 + 32) != Z_OK) throw Error("zlib: cannot initialise inflate");
    live_ = true;
  }
  ~Inflater() {
    if (live_) inflateEnd(&stream_);
  }
  Inflater(const Inflater&) = delete;
  Inflater& operator=(const Inflater&) = delete;

  std::string inflate_all(const std::string& in, const std::string& source) {
    std::string out;
    stream_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
    stream_.avail_in = static_cast<uInt>(in.size());
    char buf[1 << 16];
    for (;;) {
      stream_.next_out = reinterpret_cast<Bytef*>(buf);
      stream_.avail_out = sizeof buf;
      const int rc = inflate(&stream_, Z_NO_FLUSH);
      out.append(buf, sizeof buf - stream_.avail_out);
      if (out.size() > kMaxSourceBytes * 16)
        throw ParseError(source, 0, 0, "", fmt::format("{}: decompressed size too large", source));
      if (rc == Z_STREAM_END) {
        if (stream_.avail_in == 0) break;
        inflateReset(&stream_);  // concatenated gzip members
        continue;
      }
      if (rc != Z_OK)
        throw ParseError(source, 0, 0, "", fmt::format("{}: corrupt gzip data ({})", source, rc));
      if (stream_.avail_in == 0 && stream_.avail_out != 0)
        throw ParseError(source, 0, 0, "", fmt::format("{}: truncated gzip data", source));
    }
    return out;
  }

 private:
  z_stream stream_{};
  bool live_ = false;
};

std::string read_input(const std::string& name) {
  std::string bytes;
  if (name == "-") {
    bytes.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
  } else {
    std::ifstream in(name, std::ios::binary);
    if (!in) throw ParseError(name, 0, 0, "", fmt::format("{}: cannot open the file", name));
    bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  if (bytes.size() >= 2 && static_cast<unsigned char>(bytes[0]) == 0x1F &&
      static_cast<unsigned char>(bytes[1]) == 0x8B) {
    Inflater inflater;
    bytes = inflater.inflate_all(bytes, name);
  }
  return bytes;
}

std::vector<std::string> split_list(const nlohmann::json& value, char separator) {
  std::vector<std::string> out;
  if (value.is_array()) {
    for (const auto& v : value)
      if (v.is_string()) out.push_back(v.get<std::string>());
  } else if (value.is_string()) {
    const std::string s = value.get<std::string>();
    const std::string sep = separator == ',' ? ", " : " ";
    std::size_t from = 0;
    while (from <= s.size()) {
      std::size_t at = s.find(sep, from);
      if (at == std::string::npos) at = s.size();
      std::string part = normalize_whitespace(s.substr(from, at - from));
      if (!part.empty()) out.push_back(part);
      from = at + sep.size();
    }
  }
  return out;
}

// JSON lines: arXiv's metadata snapshot (id, title, abstract, authors, categories, comments) and
// the project's own paper records (authors and categories as lists).
std::vector<Paper> parse_jsonl(const std::string& text, const std::string& source) {
  std::vector<Paper> papers;
  std::size_t line_no = 0;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    const std::string line = text.substr(pos, end - pos);
    pos = end + 1;
    ++line_no;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    auto j = nlohmann::json::parse(line, nullptr, false);
    if (j.is_discarded() || !j.is_object())
      throw ParseError(source, line_no, 1, "",
                       fmt::format("{}:{}: not a JSON object", source, line_no));
    auto str = [&](const char* key) {
      return j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : std::string();
    };
    Paper p;
    std::string why;
    if (!ArxivId::try_parse(str("id"), p.id, &why))
      throw ParseError(
          source, line_no, 1, "id",
          fmt::format("{}:{}: bad or missing arXiv id '{}'", source, line_no, str("id")));
    if (j.contains("version") && j["version"].is_number_integer())
      p.id = p.id.with_version(j["version"].get<int>());
    p.title = normalize_whitespace(str("title"));
    p.abstract = normalize_whitespace(str("abstract"));
    p.comments = normalize_whitespace(str("comments"));
    if (j.contains("authors")) p.authors = split_list(j["authors"], ',');
    const char* cats = j.contains("categories") ? "categories" : "subjects";
    if (j.contains(cats))
      for (const auto& c : split_list(j[cats], ' ')) p.add_category(c);
    if (!p.categories.empty()) p.primary_category = p.categories.front();
    papers.push_back(std::move(p));
  }
  return papers;
}

std::vector<Paper> parse_any(const std::string& text, const std::string& source) {
  const std::size_t first = text.find_first_not_of(" \t\r\n\xEF\xBB\xBF");
  if (first == std::string::npos) return {};
  if (text[first] == '{') return parse_jsonl(text, source);
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

}  // namespace

CLI::App* add_match_command(CLI::App& app, MatchOptions& options) {
  CLI::App* cmd = app.add_subcommand(
      "match", "Print the papers of arXiv documents matching a topic query (like grep)");
  cmd->add_option("query", options.query, "Topic query (see README \"Topic queries\")")->required();
  cmd->add_option("files", options.files,
                  "RSS feeds, API Atom, listing pages or JSONL (gzip too); none or '-' = stdin");
  cmd->add_flag("--count", options.count, "Print only the number of matching papers");
  cmd->add_flag("--json", options.json, "One JSON object per matching paper, with its matches");
  cmd->add_flag("--ids", options.ids, "Print only the ids");
  return cmd;
}

int command_match(const MatchOptions& options, std::ostream& out) {
  // Query errors before reading anything. The inputs may be a whole corpus: skip by raw bytes
  // the papers that cannot match.
  const QuerySet set({options.query}, QuerySetOptions{.prefilter = true});
  std::vector<std::string> files = options.files;
  if (files.empty()) files.push_back("-");
  QuerySet::Scratch scratch;
  std::set<std::string> seen;
  std::size_t count = 0;
  for (const std::string& file : files) {
    const std::string source = file == "-" ? "<stdin>" : file;
    for (const Paper& p : parse_any(read_input(file), source)) {
      auto hits = set.match(p, scratch);
      if (hits.empty() || !seen.insert(p.id.key()).second) continue;
      ++count;
      if (options.count) continue;
      if (options.ids) {
        out << p.id.str() << '\n';
      } else if (options.json) {
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
        out << j.dump() << '\n';
      } else {
        out << fmt::format("{}  {}\n", p.id.str(), p.title);
      }
    }
  }
  if (options.count) out << count << '\n';
  return 0;
}

}  // namespace arxiv_digest
