#include "serve/digest_json.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "core/error.hpp"

namespace arxiv_digest::serve {
namespace {

using Json = nlohmann::json;

class Reader {
 public:
  explicit Reader(std::string_view source) : source_(source) {}

  [[noreturn]] void fail(const std::string& field, const std::string& what) const {
    throw ParseError(std::string(source_), 0, 0, field, fmt::format("{}: {}: {}", source_, field, what));
  }

  const Json& member(const Json& object, const char* key, const std::string& where) const {
    const auto found = object.find(key);
    if (found == object.end()) fail(where + key, "missing");
    return *found;
  }
  std::string text(const Json& object, const char* key, const std::string& where) const {
    const Json& value = member(object, key, where);
    if (!value.is_string()) fail(where + key, "not a string");
    return value.get<std::string>();
  }
  // "String or null" fields: null reads as "".
  std::string optional_text(const Json& object, const char* key, const std::string& where) const {
    const auto found = object.find(key);
    if (found == object.end() || found->is_null()) return {};
    if (!found->is_string()) fail(where + key, "not a string or null");
    return found->get<std::string>();
  }
  std::vector<std::string> texts(const Json& object, const char* key, const std::string& where) const {
    const Json& value = member(object, key, where);
    if (!value.is_array()) fail(where + key, "not an array");
    std::vector<std::string> out;
    for (const Json& item : value) {
      if (!item.is_string()) fail(where + key, "holds a value that is not a string");
      out.push_back(item.get<std::string>());
    }
    return out;
  }
  std::size_t count(const Json& value, const std::string& field) const {
    if (!value.is_number_unsigned()) fail(field, "not a non-negative integer");
    return value.get<std::size_t>();
  }

  // RFC 3339 in UTC with whole seconds, as the renderer writes it: 2026-06-18T11:52:58Z.
  std::chrono::sys_seconds instant(const std::string& value, const std::string& field) const {
    int y = 0;
    unsigned mo = 0, d = 0, h = 0, mi = 0, s = 0;
    char z = 0;
    if (value.size() != 20 ||
        std::sscanf(value.c_str(), "%4d-%2u-%2uT%2u:%2u:%2u%c", &y, &mo, &d, &h, &mi, &s, &z) != 7 ||
        z != 'Z' || h > 23 || mi > 59 || s > 60) {
      fail(field, fmt::format("'{}' is not an instant like 2026-06-18T11:52:58Z", value));
    }
    const Date date{std::chrono::year{y}, std::chrono::month{mo}, std::chrono::day{d}};
    if (!date.ok()) fail(field, fmt::format("'{}' is not a valid date", value));
    return std::chrono::sys_days{date} + std::chrono::hours{h} + std::chrono::minutes{mi} +
           std::chrono::seconds{s};
  }
  std::optional<std::chrono::sys_seconds> optional_instant(const Json& object, const char* key,
                                                           const std::string& where) const {
    const auto found = object.find(key);
    if (found == object.end() || found->is_null()) return std::nullopt;
    if (!found->is_string()) fail(where + key, "not a string or null");
    return instant(found->get<std::string>(), where + key);
  }

 private:
  std::string_view source_;
};

std::optional<MatchField> match_field(std::string_view name) {
  for (MatchField field : {MatchField::kTitle, MatchField::kAbstract, MatchField::kComments,
                           MatchField::kAuthors, MatchField::kCategories, MatchField::kId}) {
    if (to_string(field) == name) return field;
  }
  return std::nullopt;
}

Paper read_paper(const Reader& r, const Json& value, const std::string& where,
                 std::optional<PaperTranslation>& translation) {
  if (!value.is_object()) r.fail(where, "not an object");
  Paper paper;
  const std::string id = r.text(value, "id", where);
  std::string why;
  if (!ArxivId::try_parse(id, paper.id, &why)) r.fail(where + "id", fmt::format("'{}': {}", id, why));
  paper.title = r.text(value, "title", where);
  paper.authors = r.texts(value, "authors", where);
  paper.primary_category = r.text(value, "primary_category", where);
  const Json& categories = r.member(value, "categories", where);
  if (!categories.is_array()) r.fail(where + "categories", "not an array");
  for (const Json& category : categories) {
    if (!category.is_object()) r.fail(where + "categories", "holds a value that is not an object");
    paper.categories.push_back(r.text(category, "code", where + "categories[]."));
  }
  paper.abstract = r.text(value, "abstract", where);
  paper.comments = r.optional_text(value, "comments", where);
  paper.journal_ref = r.optional_text(value, "journal_ref", where);
  paper.doi = r.optional_text(value, "doi", where);
  paper.license = r.optional_text(value, "license", where);
  const std::string type = r.text(value, "announce_type", where);
  const auto parsed = announce_type_from_string(type);
  if (!parsed) r.fail(where + "announce_type", fmt::format("'{}' is not an announce type", type));
  paper.announce_type = *parsed;
  paper.submitted = r.optional_instant(value, "submitted", where);
  paper.updated = r.optional_instant(value, "updated", where);
  const auto found = value.find("translation");
  if (found != value.end() && !found->is_null()) {
    if (!found->is_object()) r.fail(where + "translation", "not an object or null");
    const std::string at = where + "translation.";
    translation = PaperTranslation{r.optional_text(*found, "title", at),
                                   r.optional_text(*found, "abstract", at),
                                   r.optional_text(*found, "title_failure", at),
                                   r.optional_text(*found, "abstract_failure", at)};
  }
  return paper;
}

MatchReason read_reason(const Reader& r, const Json& value, const std::string& where) {
  if (!value.is_object()) r.fail(where, "not an object");
  MatchReason reason;
  reason.terms = r.texts(value, "terms", where);
  const Json& spans = r.member(value, "spans", where);
  if (!spans.is_array()) r.fail(where + "spans", "not an array");
  for (std::size_t i = 0; i < spans.size(); ++i) {
    const std::string at = fmt::format("{}spans[{}].", where, i);
    const Json& span = spans[i];
    if (!span.is_object()) r.fail(at, "not an object");
    MatchSpan out;
    const std::string field = r.text(span, "field", at);
    const auto parsed = match_field(field);
    if (!parsed) r.fail(at + "field", fmt::format("'{}' is not a field", field));
    out.field = *parsed;
    out.begin = r.count(r.member(span, "begin", at), at + "begin");
    out.end = r.count(r.member(span, "end", at), at + "end");
    if (out.end < out.begin) r.fail(at + "end", "before begin");
    if (const auto item = span.find("item"); item != span.end()) out.item = r.count(*item, at + "item");
    const std::string term = r.text(span, "term", at);
    const auto t = std::find(reason.terms.begin(), reason.terms.end(), term);
    if (t == reason.terms.end()) r.fail(at + "term", fmt::format("'{}' is not one of terms", term));
    out.term = static_cast<std::size_t>(t - reason.terms.begin());
    reason.spans.push_back(out);
  }
  if (const auto score = value.find("score"); score != value.end() && score->is_number())
    reason.score = score->get<double>();
  reason.nearest_example = r.optional_text(value, "nearest_example", where);
  return reason;
}

}  // namespace

Digest digest_from_json(std::string_view text, std::string_view source) {
  const Reader r(source);
  Json root;
  try {
    root = Json::parse(text);
  } catch (const Json::parse_error& e) {
    throw error_at(source, text, e.byte > 0 ? e.byte - 1 : 0, "", "not JSON: " + std::string(e.what()));
  }
  if (!root.is_object()) r.fail("(top level)", "not an object");
  const Json& version = r.member(root, "schema_version", "");
  if (!version.is_number_integer() || version.get<long long>() != 1)
    r.fail("schema_version", "only schema version 1 is understood");

  Digest digest;
  const std::string date = r.text(root, "listing_date", "");
  const auto parsed_date = parse_date(date);
  if (!parsed_date) r.fail("listing_date", fmt::format("'{}' is not YYYY-MM-DD", date));
  digest.listing_date = *parsed_date;
  digest.generated_at = r.instant(r.text(root, "generated_at", ""), "generated_at");
  digest.announced_at = r.instant(r.text(root, "announced_at", ""), "announced_at");
  digest.time_zone = r.text(root, "time_zone", "");
  digest.categories = r.texts(root, "categories", "");
  const std::string kind = r.text(root, "source", "");
  const auto source_kind = source_kind_from_string(kind);
  if (!source_kind) r.fail("source", fmt::format("'{}' is not a source kind", kind));
  digest.source = *source_kind;
  digest.announced_count = r.count(r.member(root, "announced_count", ""), "announced_count");

  const Json& papers = r.member(root, "papers", "");
  if (!papers.is_array()) r.fail("papers", "not an array");
  std::map<std::string, std::size_t> index_of;
  bool any_translation = false;
  std::vector<std::optional<PaperTranslation>> translations;
  for (std::size_t i = 0; i < papers.size(); ++i) {
    std::optional<PaperTranslation> translation;
    Paper paper = read_paper(r, papers[i], fmt::format("papers[{}].", i), translation);
    any_translation = any_translation || translation.has_value();
    translations.push_back(std::move(translation));
    if (!index_of.emplace(paper.id.key(), i).second)
      r.fail(fmt::format("papers[{}].id", i), fmt::format("'{}' appears twice", paper.id.key()));
    digest.papers.push_back(std::move(paper));
  }
  // The renderers take "no translation at all" as an empty list.
  if (any_translation) digest.translations = std::move(translations);

  const Json& topics = r.member(root, "topics", "");
  if (!topics.is_array()) r.fail("topics", "not an array");
  for (std::size_t t = 0; t < topics.size(); ++t) {
    const std::string where = fmt::format("topics[{}].", t);
    const Json& topic = topics[t];
    if (!topic.is_object()) r.fail(where, "not an object");
    TopicResult result;
    result.topic.name = r.text(topic, "name", where);
    result.topic.query = r.optional_text(topic, "query", where);
    for (const std::string& id : r.texts(topic, "paper_ids", where)) {
      const auto found = index_of.find(id);
      if (found == index_of.end())
        r.fail(where + "paper_ids", fmt::format("'{}' is not one of the digest's papers", id));
      result.papers.push_back(found->second);
    }
    if (const auto matches = topic.find("matches"); matches != topic.end() && !matches->is_null()) {
      if (!matches->is_array() || matches->size() != result.papers.size())
        r.fail(where + "matches", "not an array parallel to paper_ids");
      for (std::size_t m = 0; m < matches->size(); ++m)
        result.reasons.push_back(read_reason(r, (*matches)[m], fmt::format("{}matches[{}].", where, m)));
    }
    if (const auto examples = topic.find("examples"); examples != topic.end() && examples->is_object()) {
      result.topic.example_ids = r.texts(*examples, "ids", where + "examples.");
      result.topic.examples_file = r.optional_text(*examples, "file", where + "examples.");
    }
    digest.topics.push_back(std::move(result));
  }
  return digest;
}

}  // namespace arxiv_digest::serve
