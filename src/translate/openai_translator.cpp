#include "translate/openai_translator.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "translate/backend_util.hpp"

namespace arxiv_digest {
namespace {

using Json = nlohmann::json;
constexpr std::string_view kProvider = "openai";

[[noreturn]] void bad(const std::string& url, const std::string& what) {
  throw TranslateError(std::string(kProvider), TranslateErrorKind::kBadResponse,
                       fmt::format("{}: {}: {}", kProvider, url, what));
}

std::string error_text(const Json& error) {
  if (error.is_string()) return error.get<std::string>();
  if (error.is_object() && error.contains("message") && error["message"].is_string())
    return error["message"].get<std::string>();
  return error.dump();
}

void add_usage(TokenUsage& usage, const Json& chunk) {
  if (!chunk.contains("usage") || !chunk["usage"].is_object()) return;
  const Json& u = chunk["usage"];
  if (u.contains("prompt_tokens") && u["prompt_tokens"].is_number_integer())
    usage.prompt_tokens += u["prompt_tokens"].get<std::int64_t>();
  if (u.contains("completion_tokens") && u["completion_tokens"].is_number_integer())
    usage.completion_tokens += u["completion_tokens"].get<std::int64_t>();
}

std::string string_or_empty(const Json& object, const char* key) {
  if (object.is_object() && object.contains(key) && object[key].is_string())
    return object[key].get<std::string>();
  return {};
}

TranslateBatchResult parse_stream(std::string_view body, const std::string& url) {
  TranslateBatchResult result;
  TranslateReply reply;
  std::string finish_reason;
  bool done = false;
  std::string data;
  bool have_data = false;
  auto dispatch = [&] {
    if (!have_data) return;
    have_data = false;
    const std::string payload = std::exchange(data, {});
    if (payload == "[DONE]") {
      done = true;
      return;
    }
    Json chunk = Json::parse(payload, nullptr, false);
    if (chunk.is_discarded())
      bad(url, fmt::format("invalid JSON in the stream: {}", translate_detail::excerpt(payload)));
    if (chunk.is_object() && chunk.contains("error"))
      bad(url, fmt::format("error inside the stream: {}", error_text(chunk["error"])));
    add_usage(result.usage, chunk);
    if (!chunk.contains("choices") || !chunk["choices"].is_array()) return;
    for (const Json& choice : chunk["choices"]) {
      if (choice.contains("delta")) reply.text += string_or_empty(choice["delta"], "content");
      if (std::string reason = string_or_empty(choice, "finish_reason"); !reason.empty())
        finish_reason = reason;
    }
  };
  std::size_t start = 0;
  while (start < body.size()) {
    std::size_t end = body.find('\n', start);
    if (end == std::string_view::npos) end = body.size();
    std::string_view line = body.substr(start, end - start);
    if (line.ends_with('\r')) line.remove_suffix(1);
    start = end + 1;
    if (line.empty()) {
      dispatch();
      continue;
    }
    if (line.front() == ':') continue;  // comment / keep-alive
    if (line.starts_with("data:")) {
      line.remove_prefix(5);
      if (line.starts_with(' ')) line.remove_prefix(1);
      if (have_data) data += '\n';
      data += line;
      have_data = true;
    }
    // "event:", "id:", "retry:" carry nothing we need.
  }
  dispatch();
  if (!done && finish_reason.empty())
    throw TranslateError(std::string(kProvider), TranslateErrorKind::kTransport,
                         fmt::format("{}: {}: the stream ended before [DONE]", kProvider, url));
  reply.truncated = finish_reason == "length";
  result.replies.push_back(std::move(reply));
  return result;
}

}  // namespace

TranslateBatchResult parse_chat_completion(std::string_view body, const std::string& url) {
  std::string_view trimmed = body;
  while (!trimmed.empty() &&
         (trimmed.front() == ' ' || trimmed.front() == '\n' || trimmed.front() == '\r'))
    trimmed.remove_prefix(1);  // DeepSeek sends blank lines while a request is queued
  if (trimmed.starts_with("data:") || trimmed.starts_with(":") || trimmed.starts_with("event:"))
    return parse_stream(trimmed, url);
  Json json = Json::parse(trimmed, nullptr, false);
  if (json.is_discarded() || !json.is_object())
    bad(url, fmt::format("invalid JSON: {}", translate_detail::excerpt(trimmed)));
  if (json.contains("error"))
    bad(url, fmt::format("error in the answer: {}", error_text(json["error"])));
  if (!json.contains("choices") || !json["choices"].is_array() || json["choices"].empty())
    bad(url, "the answer has no choices");
  const Json& choice = json["choices"][0];
  TranslateBatchResult result;
  TranslateReply reply;
  if (choice.contains("message")) reply.text = string_or_empty(choice["message"], "content");
  reply.truncated = string_or_empty(choice, "finish_reason") == "length";
  add_usage(result.usage, json);
  result.replies.push_back(std::move(reply));
  return result;
}

OpenAiTranslator::OpenAiTranslator(HttpPoster& poster, OpenAiOptions options)
    : poster_(poster), options_(std::move(options)) {
  if (options_.model.empty()) throw ConfigError("[translate] provider openai needs a 'model'");
}

std::string OpenAiTranslator::request_body(const std::string& text,
                                           const TranslateCall& call) const {
  Json body = {
      {"model", options_.model},
      {"messages", Json::array({{{"role", "system"},
                                 {"content", options_.prompts.system_message(
                                                 language_name(call.target), call.attempt,
                                                 call.previous_problem)}},
                                {{"role", "user"}, {"content", text}}})},
      {"temperature", options_.temperature},
      {options_.max_tokens_field, options_.max_tokens},
      {"stream", options_.stream},
  };
  if (options_.stream) body["stream_options"] = {{"include_usage", true}};
  return body.dump();
}

TranslateBatchResult OpenAiTranslator::translate(const TranslateCall& call) {
  TranslateBatchResult result;
  const std::string url = translate_detail::join_url(options_.base_url, "chat/completions");
  for (const std::string& text : call.texts) {
    PostRequest request;
    request.url = url;
    request.body = request_body(text, call);
    request.total_timeout = options_.timeout;
    if (!options_.api_key.empty())
      request.headers.emplace_back("Authorization", "Bearer " + options_.api_key);
    if (options_.stream) request.headers.emplace_back("Accept", "text/event-stream");
    for (const auto& header : options_.extra_headers) request.headers.push_back(header);
    const PostResponse response = translate_detail::post_or_throw(poster_, kProvider, request);
    if (response.status < 200 || response.status >= 300) {
      std::string message;
      Json json = Json::parse(response.body, nullptr, false);
      if (!json.is_discarded() && json.is_object() && json.contains("error"))
        message = error_text(json["error"]);
      translate_detail::throw_for_status(kProvider, url, response, message);
    }
    TranslateBatchResult one = parse_chat_completion(response.body, url);
    result.usage += one.usage;
    result.replies.push_back(std::move(one.replies.front()));
  }
  return result;
}

}  // namespace arxiv_digest
