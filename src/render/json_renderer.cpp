// JSON output, schema_version 1. The schema (keys, their order, types, null rules) is documented
// in docs/json-schema.md; keep the two in step and bump kSchemaVersion on incompatible changes.
#include <nlohmann/json.hpp>
#include <string>

#include "core/calendar.hpp"
#include "core/paper.hpp"
#include "core/taxonomy.hpp"
#include "core/topic.hpp"
#include "render/render_internal.hpp"
#include "render/renderer.hpp"

namespace arxiv_digest {

namespace {

using Json = nlohmann::ordered_json;  // keeps insertion order = the documented key order

constexpr int kSchemaVersion = 1;

Json string_or_null(const std::string& text) { return text.empty() ? Json(nullptr) : Json(text); }

Json instant_or_null(const std::optional<std::chrono::sys_seconds>& instant) {
  return instant ? Json(render_detail::rfc3339_utc(*instant)) : Json(nullptr);
}

Json categories_json(const Paper& paper) {
  Json list = Json::array();
  for (const std::string& code : render_detail::ordered_categories(paper)) {
    const std::optional<CategoryInfo> info = find_category(code);
    list.push_back(
        Json{{"code", code}, {"name", info ? Json(std::string(info->name)) : Json(nullptr)}});
  }
  return list;
}

Json paper_json(const Paper& paper, const PaperTranslation* translation) {
  Json json;
  json["id"] = paper.id.str();
  json["version"] = paper.id.has_version() ? Json(paper.id.version()) : Json(nullptr);
  json["key"] = paper.id.key();
  json["title"] = paper.title;
  json["authors"] = paper.authors;
  json["primary_category"] = paper.primary_category;
  json["categories"] = categories_json(paper);
  json["abstract"] = paper.abstract;
  json["comments"] = string_or_null(paper.comments);
  json["journal_ref"] = string_or_null(paper.journal_ref);
  json["doi"] = string_or_null(paper.doi);
  json["license"] = string_or_null(paper.license);
  json["announce_type"] = std::string(to_string(paper.announce_type));
  json["submitted"] = instant_or_null(paper.submitted);
  json["updated"] = instant_or_null(paper.updated);
  json["abs_url"] = abs_url(paper.id);
  json["pdf_url"] = pdf_url(paper.id);
  // Per field: the text, or null when it was not translated; "*_failure" says why it failed.
  auto text_or_null = [](const std::string& text, const std::string& failure) {
    return failure.empty() && !text.empty() ? Json(text) : Json(nullptr);
  };
  json["translation"] =
      translation != nullptr
          ? Json{{"title", text_or_null(translation->title, translation->title_failure)},
                 {"abstract", text_or_null(translation->abstract, translation->abstract_failure)},
                 {"title_failure", string_or_null(translation->title_failure)},
                 {"abstract_failure", string_or_null(translation->abstract_failure)}}
          : Json(nullptr);
  return json;
}

}  // namespace

std::string render_json(const Digest& digest, const RenderOptions& options) {
  render_detail::check_digest(digest);
  const ZonedMoment announced_et = to_zone(digest.announced_at, render_detail::kArxivZone);

  Json root;
  root["schema_version"] = kSchemaVersion;
  root["tool"] = Json{{"name", options.tool_name},
                      {"version", options.tool_version.empty() ? std::string(project_version())
                                                               : options.tool_version}};
  root["listing_date"] = format_date(digest.listing_date);
  root["generated_at"] = render_detail::rfc3339_utc(digest.generated_at);
  root["announced_at"] = render_detail::rfc3339_utc(digest.announced_at);
  root["announced_at_eastern"] =
      format_local(announced_et.local, /*with_seconds=*/false) + " " + announced_et.abbreviation;
  root["time_zone"] = digest.time_zone;
  root["categories"] = digest.categories;
  root["source"] = std::string(to_string(digest.source));
  root["announced_count"] = digest.announced_count;

  Json papers = Json::array();
  for (std::size_t i = 0; i < digest.papers.size(); ++i)
    papers.push_back(paper_json(digest.papers[i], render_detail::translation_of(digest, i)));
  root["papers"] = std::move(papers);

  Json topics = Json::array();
  for (const TopicResult& result : digest.topics) {
    Json ids = Json::array();
    for (const std::size_t index : result.papers) ids.push_back(digest.papers[index].id.key());
    topics.push_back(Json{{"name", result.topic.name},
                          {"query", result.topic.query},
                          {"count", result.papers.size()},
                          {"paper_ids", std::move(ids)}});
  }
  root["topics"] = std::move(topics);

  std::string out = root.dump(2, ' ', /*ensure_ascii=*/false, Json::error_handler_t::replace);
  out += '\n';
  return out;
}

}  // namespace arxiv_digest
