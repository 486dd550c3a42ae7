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

// Why a topic selected `paper`: terms, spans (byte offsets and the text they cover), score.
Json match_json(const Paper& paper, const MatchReason& reason) {
  Json spans = Json::array();
  for (const MatchSpan& span : reason.spans) {
    Json j{{"field", std::string(to_string(span.field))},
           {"begin", span.begin},
           {"end", span.end},
           {"text", span_text(paper, span)},
           {"term", span.term < reason.terms.size() ? Json(reason.terms[span.term]) : Json(nullptr)}};
    if (span.field == MatchField::kAuthors || span.field == MatchField::kCategories)
      j["item"] = span.item;
    spans.push_back(std::move(j));
  }
  return Json{{"id", paper.id.key()},
              {"terms", reason.terms},
              {"spans", std::move(spans)},
              {"score", reason.score ? Json(*reason.score) : Json(nullptr)},
              {"nearest_example", string_or_null(reason.nearest_example)}};
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
    Json matches = Json::array();
    for (std::size_t position = 0; position < result.papers.size(); ++position) {
      const Paper& paper = digest.papers[result.papers[position]];
      ids.push_back(paper.id.key());
      if (const MatchReason* reason = render_detail::reason_of(result, position))
        matches.push_back(match_json(paper, *reason));
    }
    Json topic{{"name", result.topic.name},
               {"query", result.topic.query},
               {"count", result.papers.size()},
               {"paper_ids", std::move(ids)},
               // null when the digest does not know why (built without reasons)
               {"matches", result.reasons.empty() && !result.papers.empty() ? Json(nullptr)
                                                                           : std::move(matches)}};
    if (result.topic.by_example()) {
      topic["examples"] = Json{{"ids", result.topic.example_ids},
                               {"file", string_or_null(result.topic.examples_file)},
                               {"top_k", result.topic.top_k ? Json(*result.topic.top_k)
                                                            : Json(nullptr)},
                               {"min_score", result.topic.min_score
                                                 ? Json(*result.topic.min_score)
                                                 : Json(nullptr)}};
    }
    topics.push_back(std::move(topic));
  }
  root["topics"] = std::move(topics);

  std::string out = root.dump(2, ' ', /*ensure_ascii=*/false, Json::error_handler_t::replace);
  out += '\n';
  return out;
}

}  // namespace arxiv_digest
