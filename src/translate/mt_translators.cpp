#include "translate/mt_translators.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "core/text.hpp"
#include "translate/backend_util.hpp"

namespace arxiv_digest {
namespace {

using Json = nlohmann::json;

[[noreturn]] void bad(std::string_view provider, const std::string& url, const std::string& what) {
  throw TranslateError(std::string(provider), TranslateErrorKind::kBadResponse,
                       fmt::format("{}: {}: {}", provider, url, what));
}

std::string server_message(const PostResponse& response) {
  Json json = Json::parse(response.body, nullptr, false);
  if (json.is_discarded() || !json.is_object()) return {};
  for (const char* key : {"message", "error", "detail"}) {
    if (json.contains(key) && json[key].is_string()) return json[key].get<std::string>();
    if (json.contains(key) && json[key].is_object() && json[key].contains("message") &&
        json[key]["message"].is_string())
      return json[key]["message"].get<std::string>();
  }
  return {};
}

std::int64_t characters(std::span<const std::string> texts) {
  std::int64_t n = 0;
  for (const auto& t : texts) n += static_cast<std::int64_t>(t.size());
  return n;
}

}  // namespace

std::string deepl_target(std::string_view target) {
  const std::string lower = ascii_lower(target);
  if (lower == "zh-cn" || lower == "zh" || lower == "zh-hans") return "ZH-HANS";
  if (lower == "zh-tw" || lower == "zh-hant") return "ZH-HANT";
  std::string upper(target);
  std::transform(upper.begin(), upper.end(), upper.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return upper;
}

DeepLTranslator::DeepLTranslator(HttpPoster& poster, DeepLOptions options)
    : poster_(poster), options_(std::move(options)) {
  if (options_.api_key.empty())
    throw ConfigError(
        "[translate] provider deepl needs an API key (api_key_env names the variable)");
  if (options_.max_batch < 1 || options_.max_batch > 50)
    throw ConfigError(
        fmt::format("DeepL takes 1..50 texts per request, not {}", options_.max_batch));
}

TranslateBatchResult DeepLTranslator::translate(const TranslateCall& call) {
  const std::string url = translate_detail::join_url(options_.base_url, "v2/translate");
  Json texts = Json::array();
  for (const auto& t : call.texts) texts.push_back(t);
  PostRequest request;
  request.url = url;
  request.total_timeout = options_.timeout;
  request.body = Json{
      {"text", texts},
      {"source_lang", "EN"},
      {"target_lang", deepl_target(call.target)},
      {"show_billed_characters",
       true}}.dump();
  request.headers.emplace_back("Authorization", "DeepL-Auth-Key " + options_.api_key);
  const PostResponse response = translate_detail::post_or_throw(poster_, backend(), request);
  if (response.status < 200 || response.status >= 300)
    translate_detail::throw_for_status(backend(), url, response, server_message(response));
  Json json = Json::parse(response.body, nullptr, false);
  if (json.is_discarded() || !json.is_object() || !json.contains("translations") ||
      !json["translations"].is_array())
    bad(backend(), url,
        fmt::format("unexpected answer: {}", translate_detail::excerpt(response.body)));
  const Json& list = json["translations"];
  if (list.size() != call.texts.size())
    bad(backend(), url,
        fmt::format("{} translations for {} texts", list.size(), call.texts.size()));
  TranslateBatchResult result;
  bool billed = false;
  for (const Json& item : list) {
    TranslateReply reply;
    if (item.is_object() && item.contains("text") && item["text"].is_string())
      reply.text = item["text"].get<std::string>();
    if (item.is_object() && item.contains("billed_characters") &&
        item["billed_characters"].is_number_integer()) {
      result.usage.characters += item["billed_characters"].get<std::int64_t>();
      billed = true;
    }
    result.replies.push_back(std::move(reply));
  }
  if (!billed) result.usage.characters = characters(call.texts);
  return result;
}

LibreTranslateTranslator::LibreTranslateTranslator(HttpPoster& poster,
                                                   LibreTranslateOptions options)
    : poster_(poster), options_(std::move(options)) {
  if (options_.max_batch < 1) options_.max_batch = 1;
}

TranslateBatchResult LibreTranslateTranslator::translate(const TranslateCall& call) {
  const std::string url = translate_detail::join_url(options_.base_url, "translate");
  std::string target = options_.target_code;
  if (target.empty()) {
    const std::string lower = ascii_lower(call.target);
    target = lower == "zh-cn" || lower == "zh" ? "zh-Hans" : lower == "zh-tw" ? "zh-Hant" : lower;
  }
  Json q = Json::array();
  for (const auto& t : call.texts) q.push_back(t);
  Json body{{"q", q}, {"source", "en"}, {"target", target}, {"format", "text"}};
  if (!options_.api_key.empty()) body["api_key"] = options_.api_key;
  PostRequest request;
  request.url = url;
  request.total_timeout = options_.timeout;
  request.body = body.dump();
  const PostResponse response = translate_detail::post_or_throw(poster_, backend(), request);
  if (response.status < 200 || response.status >= 300)
    translate_detail::throw_for_status(backend(), url, response, server_message(response));
  Json json = Json::parse(response.body, nullptr, false);
  if (json.is_discarded() || !json.is_object())
    bad(backend(), url, fmt::format("invalid JSON: {}", translate_detail::excerpt(response.body)));
  if (json.contains("error"))
    bad(backend(), url, fmt::format("error: {}", server_message(response)));
  TranslateBatchResult result;
  result.usage.characters = characters(call.texts);
  const Json* translated = json.contains("translatedText") ? &json["translatedText"] : nullptr;
  if (translated != nullptr && translated->is_string() && call.texts.size() == 1) {
    result.replies.push_back({translated->get<std::string>(), false});
    return result;
  }
  if (translated == nullptr || !translated->is_array() || translated->size() != call.texts.size())
    bad(backend(), url,
        fmt::format("unexpected answer: {}", translate_detail::excerpt(response.body)));
  for (const Json& item : *translated)
    result.replies.push_back({item.is_string() ? item.get<std::string>() : std::string(), false});
  return result;
}

}  // namespace arxiv_digest
