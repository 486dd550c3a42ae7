// `arxiv-digest search` (see search_command.hpp).
#include "cli/search_command.hpp"

#include <fmt/format.h>
#include <fmt/chrono.h>
#include <fmt/ranges.h>

#include <nlohmann/json.hpp>

#include "cli/config.hpp"
#include "core/calendar.hpp"
#include "core/error.hpp"
#include "search/search.hpp"
#include "store/open_archive.hpp"

namespace arxiv_digest {
namespace {

constexpr std::string_view kErrorPrefix = "arxiv-digest: error: ";

std::optional<Date> date_option(const std::string& text, std::string_view flag) {
  if (text.empty()) return std::nullopt;
  if (auto date = parse_date(text)) return date;
  throw ConfigError(fmt::format("{} '{}': expected a date YYYY-MM-DD", flag, text));
}

std::string iso_time(const std::optional<std::chrono::sys_seconds>& time) {
  if (!time) return {};
  return fmt::format("{:%Y-%m-%dT%H:%M:%SZ}", *time);
}

nlohmann::ordered_json hit_json(const SearchHit& hit) {
  const Paper& p = hit.paper;
  auto or_null = [](const std::string& s) {
    return s.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(s);
  };
  nlohmann::ordered_json j;
  j["id"] = p.id.str();
  j["version"] = p.id.version();
  j["key"] = p.id.key();
  j["date"] = format_date(paper_date(p));
  j["title"] = p.title;
  j["authors"] = p.authors;
  j["primary_category"] = p.primary_category;
  j["categories"] = p.categories;
  j["abstract"] = p.abstract;
  j["comments"] = or_null(p.comments);
  j["journal_ref"] = or_null(p.journal_ref);
  j["doi"] = or_null(p.doi);
  j["submitted"] = p.submitted ? nlohmann::ordered_json(iso_time(p.submitted)) : nullptr;
  j["updated"] = p.updated ? nlohmann::ordered_json(iso_time(p.updated)) : nullptr;
  if (hit.title_translation || hit.abstract_translation) {
    nlohmann::ordered_json t;
    t["title"] = hit.title_translation ? nlohmann::ordered_json(*hit.title_translation) : nullptr;
    t["abstract"] =
        hit.abstract_translation ? nlohmann::ordered_json(*hit.abstract_translation) : nullptr;
    j["translation"] = std::move(t);
  } else {
    j["translation"] = nullptr;
  }
  j["terms"] = hit.reason.terms;
  nlohmann::ordered_json spans = nlohmann::ordered_json::array();
  for (const MatchSpan& span : hit.reason.spans) {
    nlohmann::ordered_json s;
    s["field"] = std::string(to_string(span.field));
    s["begin"] = span.begin;
    s["end"] = span.end;
    s["text"] = span_text(p, span);
    s["term"] = span.term;
    if (span.field == MatchField::kAuthors || span.field == MatchField::kCategories)
      s["item"] = span.item;
    spans.push_back(std::move(s));
  }
  j["spans"] = std::move(spans);
  return j;
}

std::string hit_text(const SearchHit& hit) {
  const Paper& p = hit.paper;
  std::string text = fmt::format("{}  {}  [{}]\n  {}\n", p.id.str(), format_date(paper_date(p)),
                                 fmt::join(p.categories, ", "), p.title);
  if (hit.title_translation) text += fmt::format("  {}\n", *hit.title_translation);
  text += fmt::format("  {}\n", fmt::join(p.authors, ", "));
  return text;
}

}  // namespace

CLI::App* add_search_command(CLI::App& app, SearchOptions& options) {
  CLI::App* cmd = app.add_subcommand(
      "search", "Search the archive with a topic query (or Chinese text in translations)");
  cmd->add_option("query", options.query, "Topic query (see README: Topic queries)")->required();
  cmd->add_option("--since", options.since, "Only papers dated on or after YYYY-MM-DD");
  cmd->add_option("--until", options.until, "Only papers dated on or before YYYY-MM-DD");
  cmd->add_option("--cat", options.categories, "Only these categories (cs, cs.LG, cs.*)")
      ->delimiter(',');
  cmd->add_option("--limit", options.limit, "At most N papers (default 20)")
      ->check(CLI::Range(1, 10000));
  cmd->add_option("--offset", options.offset, "Skip the first N papers (paging)");
  cmd->add_flag("--json", options.json, "One JSON object per paper");
  cmd->add_flag("--stats", options.stats,
                "Print the hits, candidates examined and search time on stderr");
  cmd->add_option("--lang", options.language,
                  "Translation language to show and search (default: [translate] target, zh-CN)");
  cmd->add_option("--time-budget", options.time_budget_ms,
                  "Stop searching after MS milliseconds (default 2000)")
      ->check(CLI::Range(1, 600000));
  cmd->add_option("--archive", options.archive_path, "Archive file (default: [store] path)");
  cmd->add_option("-c,--config", options.config_path,
                  "Configuration file (for its [store] path and [translate] target)");
  return cmd;
}

int command_search(const SearchOptions& options, std::ostream& out, std::ostream& err) {
  try {
    SearchRequest request;
    request.query = options.query;
    request.since = date_option(options.since, "--since");
    request.until = date_option(options.until, "--until");
    request.categories = options.categories;
    request.limit = options.limit;
    request.offset = options.offset;
    request.time_budget = std::chrono::milliseconds(options.time_budget_ms);
    request.language = options.language;
    ArchiveLocation location;
    std::string backend = "sqlite";
    if (!options.archive_path.empty()) {
      location.path = options.archive_path;
      if (request.language.empty()) request.language = "zh-CN";
    } else {
      const Config config = load_config_or_default(options.config_path);
      backend = config.store.backend;
      location.backend = backend;
      location.path = config.store.path;
      if (request.language.empty()) request.language = config.translate.target;
    }
    if (!options.archive_path.empty() && !std::filesystem::exists(location.path)) {
      throw StoreError(StoreErrorKind::kUnavailable,
                       fmt::format("archive '{}' does not exist", options.archive_path));
    }
    const std::unique_ptr<Archive> archive = open_archive(location);
    const SearchResults results = search(*archive, request);
    for (const SearchHit& hit : results.hits)
      out << (options.json ? hit_json(hit).dump() + '\n' : hit_text(hit));
    if (options.stats) {
      err << fmt::format("search: {} hit(s){}, {} candidate(s) examined, {:.3f} ms\n",
                         results.hits.size(), results.more ? " (more follow)" : "",
                         results.candidates,
                         static_cast<double>(results.elapsed.count()) / 1000.0);
    }
    if (results.truncated) {
      err << fmt::format(
          "arxiv-digest: note: the search stopped after {} ms ({} papers examined); there may "
          "be more matches (raise --time-budget or narrow the query)\n",
          results.elapsed.count() / 1000, results.candidates);
    }
    return results.hits.empty() ? kSearchNone : kSearchFound;
  } catch (const Error& e) {
    err << kErrorPrefix << e.what() << '\n';
    return kSearchError;
  }
}

}  // namespace arxiv_digest
