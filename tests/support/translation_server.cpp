#include "support/translation_server.hpp"

#include <fmt/format.h>
#include <httplib.h>

#include <condition_variable>
#include <deque>
#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <thread>

#include "translate/protect.hpp"

namespace arxiv_digest::testing {
namespace {

using Json = nlohmann::json;

enum class Endpoint { kOpenAi, kDeepL, kLibre };

// Chinese reference with the English originals replaced by the tokens of the masked English.
std::string tokenise(const std::string& chinese, const MaskedText& masked) {
  std::string out = chinese;
  std::size_t from = 0;
  for (std::size_t i = 0; i < masked.originals.size(); ++i) {
    const std::string& original = masked.originals[i];
    std::size_t at = out.find(original, from);
    if (at == std::string::npos) at = out.find(original);
    if (at == std::string::npos)
      throw std::runtime_error(fmt::format("reference translation lacks \"{}\"", original));
    const std::string token = placeholder_token(i);
    out.replace(at, original.size(), token);
    from = at + token.size();
  }
  return out;
}

}  // namespace

struct TranslationServer::Impl {
  TranslationServerOptions options;
  httplib::Server server;
  std::thread thread;
  int port = 0;
  mutable std::mutex mutex;
  std::condition_variable stop_cv;
  bool stopping = false;
  std::map<std::string, std::string> reference;  // masked English -> tokenised Chinese
  std::deque<TranslationFault> faults;
  std::size_t requests = 0;
  std::size_t texts = 0;
  std::size_t in_flight = 0;
  std::size_t max_in_flight = 0;
  std::map<std::string, std::size_t> text_counts;
  std::vector<std::string> bodies;
  std::vector<std::string> auth;

  std::string answer_for(const std::string& masked) const {
    auto it = reference.find(masked);
    return it != reference.end() ? it->second : "【译文】" + masked;
  }

  // Waits `duration` unless the server stops first.
  void pause(std::chrono::milliseconds duration) {
    std::unique_lock lock(mutex);
    stop_cv.wait_for(lock, duration, [this] { return stopping; });
  }

  void handle(Endpoint endpoint, const httplib::Request& req, httplib::Response& res) {
    std::optional<TranslationFault> fault;
    {
      const std::lock_guard lock(mutex);
      ++requests;
      max_in_flight = std::max(max_in_flight, ++in_flight);
      bodies.push_back(req.body);
      std::string a = req.get_header_value("Authorization");
      auth.push_back(a);
      if (!faults.empty()) {
        fault = faults.front();
        faults.pop_front();
      }
    }
    struct Leave {
      Impl& impl;
      ~Leave() {
        const std::lock_guard lock(impl.mutex);
        --impl.in_flight;
      }
    } leave{*this};
    if (options.delay.count() > 0) pause(options.delay);

    const Json body = Json::parse(req.body, nullptr, false);
    if (body.is_discarded() || !body.is_object()) {
      res.status = 400;
      res.set_content(R"({"error":"Invalid request: body is not JSON"})", "application/json");
      return;
    }
    std::vector<std::string> inputs;
    std::string system_prompt;
    bool stream = false;
    if (endpoint == Endpoint::kOpenAi) {
      for (const Json& m : body.value("messages", Json::array())) {
        if (m.value("role", "") == "user") inputs.push_back(m.value("content", ""));
        if (m.value("role", "") == "system") system_prompt = m.value("content", "");
      }
      stream = body.value("stream", false);
      if (inputs.size() != 1) {
        res.status = 400;
        res.set_content(
            R"({"error":{"message":"expected one user message","type":"invalid_request_error"}})",
            "application/json");
        return;
      }
    } else if (endpoint == Endpoint::kDeepL) {
      for (const Json& t : body.value("text", Json::array()))
        inputs.push_back(t.get<std::string>());
      if (inputs.empty() || inputs.size() > 50) {
        res.status = inputs.empty() ? 400 : 413;
        res.set_content(R"({"message":"Invalid number of texts"})", "application/json");
        return;
      }
    } else {
      const Json& q = body.contains("q") ? body["q"] : Json();
      if (q.is_string())
        inputs.push_back(q.get<std::string>());
      else if (q.is_array())
        for (const Json& t : q) inputs.push_back(t.get<std::string>());
      if (inputs.empty()) {
        res.status = 400;
        res.set_content(R"({"error":"Invalid request: missing q parameter"})", "application/json");
        return;
      }
    }
    {
      const std::lock_guard lock(mutex);
      texts += inputs.size();
      for (const auto& t : inputs) ++text_counts[t];
    }

    if (fault == TranslationFault::kStall) pause(options.stall);
    if (fault == TranslationFault::kRateLimit) {
      res.status = 429;
      res.set_header("Retry-After", std::to_string(options.retry_after_s));
      res.set_content(
          endpoint == Endpoint::kOpenAi
              ? R"({"error":{"message":"Rate limit reached for requests per min","type":"requests","code":"rate_limit_exceeded"}})"
              : R"({"message":"Too many requests"})",
          "application/json");
      return;
    }
    if (fault == TranslationFault::kServerError) {
      res.status = 500;
      res.set_content(
          R"({"error":{"message":"The server had an error while processing your request","type":"server_error"}})",
          "application/json");
      return;
    }
    if (fault == TranslationFault::kQuota) {
      res.status = endpoint == Endpoint::kDeepL ? 456 : endpoint == Endpoint::kOpenAi ? 402 : 403;
      res.set_content(endpoint == Endpoint::kDeepL
                          ? R"({"message":"Quota exceeded"})"
                          : R"({"error":{"message":"Insufficient Balance"}})",
                      "application/json");
      return;
    }
    if (fault == TranslationFault::kUnauthorized) {
      // OpenAI's answer to a wrong key (the key itself masked, as OpenAI does); DeepL answers
      // 403 with a message.
      res.status = endpoint == Endpoint::kDeepL ? 403 : 401;
      res.set_content(
          endpoint == Endpoint::kDeepL
              ? R"({"message":"Wrong endpoint or authorization key"})"
              : R"({"error":{"message":"Incorrect API key provided: sk-live-****4f9a. You can find your API key at https://platform.openai.com/account/api-keys.","type":"invalid_request_error","param":null,"code":"invalid_api_key"}})",
          "application/json");
      return;
    }
    if (fault == TranslationFault::kInvalidJson) {
      res.status = 200;
      res.set_content(
          stream ? "data: {\"id\":\"chatcmpl-1\",\"choices\":[{\"delta\":{\"content\":\"半\n\n"
                 : "{\"id\": \"chatcmpl-1\", \"choices\": [",
          stream ? "text/event-stream" : "application/json");
      return;
    }
    if (fault == TranslationFault::kErrorInStream && !stream) {
      res.status = 200;
      res.set_content(
          R"({"error":{"message":"Loading model","type":"unavailable_error","code":503}})",
          "application/json");
      return;
    }

    std::vector<std::string> answers;
    for (const auto& t : inputs) answers.push_back(answer_for(t));
    std::string finish_reason = "stop";
    std::string& first = answers.front();
    if (fault) {
      switch (*fault) {
        case TranslationFault::kDropPlaceholder: {
          const std::size_t at = first.find("{M1}");
          if (at != std::string::npos)
            first.erase(at, 4);
          else
            first = "{M1}";  // no tokens at all: an unknown one
          break;
        }
        case TranslationFault::kDuplicatePlaceholder:
          first += first.find("{M1}") != std::string::npos ? " {M1}" : " {M9}";
          break;
        case TranslationFault::kCommentary:
          first = "以下是翻译：\n" + first;
          break;
        case TranslationFault::kThink:
          first = "<think>The user wants a Chinese translation. Keep the tokens.</think>\n" + first;
          break;
        case TranslationFault::kEcho:
          first = (system_prompt.empty() ? std::string("You are a professional translator of "
                                                       "scientific paper titles and abstracts.")
                                         : system_prompt) +
                  "\n" + first;
          break;
        case TranslationFault::kLength:
          first = first.substr(0, first.size() / 2);
          finish_reason = "length";
          break;
        case TranslationFault::kEmpty:
          first.clear();
          break;
        case TranslationFault::kEnglish:
          first = inputs.front();
          break;
        default:
          break;
      }
    }
    res.status = 200;
    if (endpoint == Endpoint::kDeepL) {
      Json list = Json::array();
      for (std::size_t i = 0; i < answers.size(); ++i)
        list.push_back({{"detected_source_language", "EN"},
                        {"text", answers[i]},
                        {"billed_characters", inputs[i].size()}});
      res.set_content(Json{{"translations", list}}.dump(), "application/json");
      return;
    }
    if (endpoint == Endpoint::kLibre) {
      Json out;
      if (body["q"].is_string()) {
        out = {{"translatedText", answers.front()},
               {"detectedLanguage", {{"confidence", 90}, {"language", "en"}}}};
      } else {
        out = {{"translatedText", answers}};
      }
      res.set_content(out.dump(), "application/json");
      return;
    }
    const auto prompt_tokens =
        static_cast<std::int64_t>((system_prompt.size() + inputs.front().size()) / 4);
    const auto completion_tokens = static_cast<std::int64_t>(first.size() / 3);
    const Json usage = {{"prompt_tokens", prompt_tokens},
                        {"completion_tokens", completion_tokens},
                        {"total_tokens", prompt_tokens + completion_tokens}};
    const std::string model = body.value("model", "");
    if (!stream) {
      Json out = {
          {"id", "chatcmpl-fake"},
          {"object", "chat.completion"},
          {"model", model},
          {"choices", Json::array({{{"index", 0},
                                    {"message", {{"role", "assistant"}, {"content", first}}},
                                    {"finish_reason", finish_reason}}})},
          {"usage", usage}};
      res.set_content(out.dump(), "application/json");
      return;
    }
    std::string sse = ": keep-alive\n\n";
    auto chunk = [&](const Json& choices, const Json& chunk_usage) {
      Json c = {{"id", "chatcmpl-fake"},
                {"object", "chat.completion.chunk"},
                {"model", model},
                {"choices", choices},
                {"usage", chunk_usage}};
      sse += "data: " + c.dump() + "\n\n";
    };
    chunk(Json::array({{{"index", 0},
                        {"delta", {{"role", "assistant"}, {"content", ""}}},
                        {"finish_reason", nullptr}}}),
          nullptr);
    // Split the content into a few deltas at UTF-8 boundaries.
    std::size_t pos = 0;
    int sent = 0;
    while (pos < first.size()) {
      std::size_t end = std::min(first.size(), pos + std::max<std::size_t>(1, first.size() / 3));
      while (end < first.size() && (static_cast<unsigned char>(first[end]) & 0xC0) == 0x80) ++end;
      chunk(Json::array({{{"index", 0},
                          {"delta", {{"content", first.substr(pos, end - pos)}}},
                          {"finish_reason", nullptr}}}),
            nullptr);
      if (++sent == 1 && fault == TranslationFault::kErrorInStream) {
        sse +=
            "data: {\"error\":{\"message\":\"The server is "
            "overloaded\",\"type\":\"server_error\"}}\n\n";
        res.set_content(sse, "text/event-stream");
        return;
      }
      if (sent == 1) sse += ": keep-alive\n\n";
      pos = end;
    }
    chunk(
        Json::array({{{"index", 0}, {"delta", Json::object()}, {"finish_reason", finish_reason}}}),
        nullptr);
    chunk(Json::array(), usage);
    sse += "data: [DONE]\n\n";
    res.set_content(sse, "text/event-stream");
  }
};

TranslationServer::TranslationServer(TranslationServerOptions options)
    : impl_(std::make_unique<Impl>()) {
  Impl& impl = *impl_;
  impl.options = options;
  const std::size_t threads = options.threads;
  impl.server.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  impl.server.Post("/v1/chat/completions",
                   [&impl](const httplib::Request& req, httplib::Response& res) {
                     impl.handle(Endpoint::kOpenAi, req, res);
                   });
  impl.server.Post("/v2/translate", [&impl](const httplib::Request& req, httplib::Response& res) {
    impl.handle(Endpoint::kDeepL, req, res);
  });
  impl.server.Post("/translate", [&impl](const httplib::Request& req, httplib::Response& res) {
    impl.handle(Endpoint::kLibre, req, res);
  });
  for (const auto& seed : load_seed_translations()) {
    add_reference(seed.title, seed.title_zh);
    add_reference(seed.abstract, seed.abstract_zh);
  }
  impl.port = impl.server.bind_to_any_port("127.0.0.1");
  if (impl.port <= 0) throw std::runtime_error("TranslationServer: cannot bind 127.0.0.1");
  impl.thread = std::thread([&impl] { impl.server.listen_after_bind(); });
  for (int i = 0; i < 500 && !impl.server.is_running(); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds{2});
}

TranslationServer::~TranslationServer() {
  {
    const std::lock_guard lock(impl_->mutex);
    impl_->stopping = true;
  }
  impl_->stop_cv.notify_all();
  impl_->server.stop();
  if (impl_->thread.joinable()) impl_->thread.join();
}

std::string TranslationServer::base_url() const {
  return fmt::format("http://127.0.0.1:{}", impl_->port);
}

void TranslationServer::add_reference(const std::string& english, const std::string& chinese) {
  const MaskedText masked = mask_protected(english);
  std::string tokenised = tokenise(chinese, masked);
  const std::lock_guard lock(impl_->mutex);
  impl_->reference[masked.text] = std::move(tokenised);
}

std::string TranslationServer::expected_translation(const std::string& english) const {
  const MaskedText masked = mask_protected(english);
  std::string answer;
  {
    const std::lock_guard lock(impl_->mutex);
    answer = impl_->answer_for(masked.text);
  }
  return restore_protected(answer, masked).text;
}

void TranslationServer::inject(TranslationFault fault, std::size_t times) {
  const std::lock_guard lock(impl_->mutex);
  for (std::size_t i = 0; i < times; ++i) impl_->faults.push_back(fault);
}

std::size_t TranslationServer::pending_faults() const {
  const std::lock_guard lock(impl_->mutex);
  return impl_->faults.size();
}

std::size_t TranslationServer::request_count() const {
  const std::lock_guard lock(impl_->mutex);
  return impl_->requests;
}

std::size_t TranslationServer::texts_received() const {
  const std::lock_guard lock(impl_->mutex);
  return impl_->texts;
}

std::size_t TranslationServer::max_in_flight() const {
  const std::lock_guard lock(impl_->mutex);
  return impl_->max_in_flight;
}

std::map<std::string, std::size_t> TranslationServer::text_counts() const {
  const std::lock_guard lock(impl_->mutex);
  return impl_->text_counts;
}

std::vector<std::string> TranslationServer::bodies() const {
  const std::lock_guard lock(impl_->mutex);
  return impl_->bodies;
}

std::vector<std::string> TranslationServer::auth_headers() const {
  const std::lock_guard lock(impl_->mutex);
  return impl_->auth;
}

void TranslationServer::clear_records() {
  const std::lock_guard lock(impl_->mutex);
  impl_->requests = impl_->texts = impl_->max_in_flight = 0;
  impl_->text_counts.clear();
  impl_->bodies.clear();
  impl_->auth.clear();
}

std::vector<SeedTranslation> load_seed_translations() {
  std::ifstream in(std::filesystem::path(ARXIV_DIGEST_TEST_DATA_DIR) /
                   "translate/seed_translations.jsonl");
  if (!in) throw std::runtime_error("cannot read tests/data/translate/seed_translations.jsonl");
  std::vector<SeedTranslation> out;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    const Json j = Json::parse(line);
    out.push_back({j.at("id").get<std::string>(), j.at("title").get<std::string>(),
                   j.at("title_zh").get<std::string>(), j.at("abstract").get<std::string>(),
                   j.at("abstract_zh").get<std::string>()});
  }
  return out;
}

}  // namespace arxiv_digest::testing
