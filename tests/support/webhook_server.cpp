#include "support/webhook_server.hpp"

#include <fmt/format.h>
#include <httplib.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <condition_variable>
#include <deque>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <stdexcept>
#include <thread>

namespace arxiv_digest::testing {
namespace {

using Json = nlohmann::json;

// --- Independent primitives (deliberately not src/deliver's) ----------------------------------

std::string hmac(const std::string& key, const std::string& message) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(message.data()), message.size(), out, &size);
  return std::string(reinterpret_cast<const char*>(out), size);
}

std::string b64(const std::string& bytes) {
  static const char* kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    const unsigned v = (unsigned{static_cast<unsigned char>(bytes[i])} << 16) |
                       (unsigned{static_cast<unsigned char>(bytes[i + 1])} << 8) |
                       unsigned{static_cast<unsigned char>(bytes[i + 2])};
    for (int s = 18; s >= 0; s -= 6) out += kAlphabet[(v >> s) & 63];
  }
  if (i < bytes.size()) {
    unsigned v = unsigned{static_cast<unsigned char>(bytes[i])} << 16;
    if (i + 1 < bytes.size()) v |= unsigned{static_cast<unsigned char>(bytes[i + 1])} << 8;
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += i + 1 < bytes.size() ? kAlphabet[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

std::string hex(const std::string& bytes) {
  std::string out;
  for (const char c : bytes) out += fmt::format("{:02x}", static_cast<unsigned char>(c));
  return out;
}

std::size_t utf16_units(const std::string& text) {
  std::size_t n = 0;
  std::size_t i = 0;
  while (i < text.size()) {
    const auto b = static_cast<unsigned char>(text[i]);
    const std::size_t len = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
    n += len == 4 ? 2 : 1;
    i += len;
  }
  return n;
}

// Telegram's HTML parse mode: the visible text, or an error like Telegram's "can't parse
// entities".
struct ParsedHtml {
  std::string text;
  std::string error;
};

ParsedHtml parse_telegram_html(const std::string& html) {
  static const std::set<std::string> kTags = {
      "b",   "strong", "i",    "em",  "u",          "ins",  "s",          "strike",
      "del", "a",      "code", "pre", "blockquote", "span", "tg-spoiler", "tg-emoji"};
  ParsedHtml out;
  std::vector<std::string> open;
  std::size_t i = 0;
  while (i < html.size()) {
    const char c = html[i];
    if (c == '<') {
      const std::size_t end = html.find('>', i);
      if (end == std::string::npos) return {{}, "Unclosed start tag"};
      std::string tag = html.substr(i + 1, end - i - 1);
      const bool closing = !tag.empty() && tag[0] == '/';
      if (closing) tag.erase(0, 1);
      const std::string name = tag.substr(0, tag.find(' '));
      if (!kTags.count(name)) return {{}, fmt::format("Unsupported start tag \"{}\"", name)};
      if (closing) {
        if (open.empty() || open.back() != name)
          return {{}, fmt::format("Unmatched end tag \"{}\"", name)};
        open.pop_back();
      } else {
        if (name == "a" && tag.find("href=\"") == std::string::npos)
          return {{}, "a tag without href"};
        if (tag.find('<') != std::string::npos) return {{}, "'<' inside a tag"};
        open.push_back(name);
      }
      i = end + 1;
    } else if (c == '>') {
      return {{}, "Unescaped '>'"};  // Telegram tolerates it; a careful sender escapes it
    } else if (c == '&') {
      const std::size_t end = html.find(';', i);
      if (end == std::string::npos || end - i > 10) return {{}, "Unescaped '&'"};
      const std::string entity = html.substr(i + 1, end - i - 1);
      if (entity == "lt")
        out.text += '<';
      else if (entity == "gt")
        out.text += '>';
      else if (entity == "amp")
        out.text += '&';
      else if (entity == "quot")
        out.text += '"';
      else if (!entity.empty() && entity[0] == '#')
        out.text += '?';
      else
        return {{}, fmt::format("Unsupported entity \"&{};\"", entity)};
      i = end + 1;
    } else {
      out.text += c;
      ++i;
    }
  }
  if (!open.empty())
    return {{}, fmt::format("Can't find end tag corresponding to \"{}\"", open.back())};
  return out;
}

// Feishu limits: body <= 20 KB (PROTOCOLS.md D2: open.larkoffice.com custom-bot guide).
constexpr std::size_t kFeishuMaxBody = 20 * 1024;
constexpr std::size_t kDingTalkMaxBody = 20'000;
constexpr std::size_t kWeComMaxMarkdown = 4096;
constexpr std::size_t kWeComMaxText = 2048;
constexpr std::size_t kSlackMaxBlocks = 50;
constexpr std::size_t kSlackMaxSectionText = 3000;
constexpr std::size_t kDiscordMaxContent = 2000;
constexpr std::size_t kTelegramMaxText = 4096;

std::string_view service_prefix(WebhookService s) {
  switch (s) {
    case WebhookService::kFeishu:
      return "/feishu";
    case WebhookService::kDingTalk:
      return "/dingtalk";
    case WebhookService::kWeCom:
      return "/wecom";
    case WebhookService::kSlack:
      return "/slack";
    case WebhookService::kDiscord:
      return "/discord";
    case WebhookService::kTelegram:
      return "/telegram";
    case WebhookService::kGeneric:
      return "/generic";
  }
  return "/generic";
}

}  // namespace

struct WebhookServer::Impl {
  WebhookServerOptions options;
  httplib::Server server;
  std::thread thread;
  int port = 0;
  mutable std::mutex mutex;
  std::condition_variable stop_cv;
  bool stopping = false;
  std::deque<WebhookFault> faults;
  std::vector<ReceivedWebhook> records;
  int message_id = 0;

  void pause(std::chrono::milliseconds duration) {
    std::unique_lock lock(mutex);
    stop_cv.wait_for(lock, duration, [this] { return stopping; });
  }

  std::optional<WebhookFault> next_fault() {
    const std::lock_guard lock(mutex);
    if (faults.empty()) return std::nullopt;
    const WebhookFault f = faults.front();
    faults.pop_front();
    return f;
  }

  void record(ReceivedWebhook r) {
    const std::lock_guard lock(mutex);
    records.push_back(std::move(r));
  }

  static void json_answer(httplib::Response& res, int status, const Json& body) {
    res.status = status;
    res.set_content(body.dump(), "application/json");
  }

  // Answers a fault the same way for every service; returns true when it answered.
  bool answer_fault(WebhookService s, WebhookFault fault, const std::string& target,
                    httplib::Response& res) {
    if (fault == WebhookFault::kThrottled &&
        (s == WebhookService::kFeishu || s == WebhookService::kDingTalk ||
         s == WebhookService::kWeCom)) {
      if (s == WebhookService::kFeishu)
        json_answer(res, 200,
                    {{"code", 11232}, {"msg", "frequency limited"}, {"data", Json::object()}});
      else if (s == WebhookService::kDingTalk)
        json_answer(res, 200,
                    {{"errcode", 130101}, {"errmsg", "send too fast, exceed 20 times per minute"}});
      else
        json_answer(res, 200, {{"errcode", 45009}, {"errmsg", "api freq out of limit"}});
      return true;
    }
    if (fault == WebhookFault::kRateLimit || fault == WebhookFault::kThrottled) {
      res.status = 429;
      res.set_header("Retry-After", std::to_string(options.retry_after_s));
      if (s == WebhookService::kTelegram)
        res.set_content(Json{{"ok", false},
                             {"error_code", 429},
                             {"description", fmt::format("Too Many Requests: retry after {}",
                                                         options.retry_after_s)},
                             {"parameters", {{"retry_after", options.retry_after_s}}}}
                            .dump(),
                        "application/json");
      else
        res.set_content(R"({"message":"You are being rate limited."})", "application/json");
      return true;
    }
    if (fault == WebhookFault::kEchoToken) {
      json_answer(res, 400,
                  {{"error", fmt::format("invalid token {} in {}", options.token, target)}});
      return true;
    }
    if (fault == WebhookFault::kServerError) {
      res.status = 500;
      res.set_content("internal error", "text/plain");
      return true;
    }
    if (fault == WebhookFault::kServiceError) {
      switch (s) {
        case WebhookService::kFeishu:
          json_answer(res, 200, {{"code", 19024}, {"msg", "Key Words Not Found"}});
          break;
        case WebhookService::kDingTalk:
          json_answer(res, 200, {{"errcode", 310000}, {"errmsg", "keywords not in content"}});
          break;
        case WebhookService::kWeCom:
          json_answer(res, 200,
                      {{"errcode", 93000}, {"errmsg", "invalid webhook url, hint: [1234]"}});
          break;
        case WebhookService::kTelegram:
          json_answer(
              res, 400,
              {{"ok", false}, {"error_code", 400}, {"description", "Bad Request: chat not found"}});
          break;
        case WebhookService::kSlack:
          res.status = 403;
          res.set_content("invalid_token", "text/plain");
          break;
        case WebhookService::kDiscord:
          json_answer(res, 401, {{"message", "Invalid Webhook Token"}, {"code", 50027}});
          break;
        case WebhookService::kGeneric:
          json_answer(res, 400, {{"error", "rejected"}});
          break;
      }
      return true;
    }
    return false;
  }

  // Checks `req` as `s` would; fills r.visible / r.size; returns "" or the rejection (and sets
  // the service's answer in `res`).
  std::string verify(WebhookService s, const httplib::Request& req, ReceivedWebhook& r,
                     httplib::Response& res) {
    const std::string& token = options.token;
    const Json body = Json::parse(req.body, nullptr, false);
    auto reject = [&](int status, Json answer, std::string why) {
      json_answer(res, status, answer);
      return why;
    };
    switch (s) {
      case WebhookService::kFeishu: {
        if (req.path != "/feishu/open-apis/bot/v2/hook/" + token)
          return reject(
              404,
              {{"code", 19001}, {"msg", "param invalid: incoming webhook access token invalid"}},
              "bad token");
        r.size = req.body.size();
        if (r.size > kFeishuMaxBody)
          return reject(200, {{"code", 9499}, {"msg", "request body too large"}},
                        fmt::format("body {} > 20 KB", r.size));
        if (!body.is_object() || !body.contains("msg_type"))
          return reject(200, {{"code", 9499}, {"msg", "Bad Request"}}, "not a message");
        if (!options.secret.empty()) {
          if (!body.contains("timestamp") || !body["timestamp"].is_string() ||
              !body.contains("sign"))
            return reject(
                200,
                {{"code", 19021},
                 {"msg", "sign match fail or timestamp is not within one hour from current time"}},
                "unsigned");
          const std::string ts = body["timestamp"].get<std::string>();
          if (body["sign"] != b64(hmac(ts + "\n" + options.secret, "")))
            return reject(
                200,
                {{"code", 19021},
                 {"msg", "sign match fail or timestamp is not within one hour from current time"}},
                "bad signature");
        }
        const std::string type = body["msg_type"].get<std::string>();
        if (type == "text") {
          r.visible = body.at("content").at("text").get<std::string>();
        } else if (type == "post") {
          const Json& post = body.at("content").at("post");
          if (!post.is_object() || post.empty())
            return reject(200, {{"code", 9499}, {"msg", "Bad Request"}}, "empty post");
          for (const auto& [lang, doc] : post.items()) {
            r.visible += doc.value("title", "") + "\n";
            for (const Json& line : doc.at("content")) {
              if (!line.is_array())
                return reject(200, {{"code", 9499}, {"msg", "Bad Request"}},
                              "post line is not an array");
              for (const Json& el : line) {
                const std::string tag = el.value("tag", "");
                if (tag == "a" && !el.contains("href"))
                  return reject(200, {{"code", 9499}, {"msg", "Bad Request"}}, "a without href");
                if (tag != "text" && tag != "a" && tag != "at" && tag != "img")
                  return reject(200, {{"code", 9499}, {"msg", "Bad Request"}},
                                "unknown tag " + tag);
                r.visible += el.value("text", "");
                if (tag == "a") r.visible += " <" + el.value("href", "") + ">";
              }
              r.visible += "\n";
            }
          }
        } else if (type != "interactive") {
          return reject(200, {{"code", 9499}, {"msg", "Bad Request"}}, "msg_type " + type);
        }
        json_answer(res, 200, {{"code", 0}, {"msg", "success"}, {"data", Json::object()}});
        return {};
      }
      case WebhookService::kDingTalk: {
        if (req.path != "/dingtalk/robot/send" || req.get_param_value("access_token") != token)
          return reject(200, {{"errcode", 300001}, {"errmsg", "token is not exist"}}, "bad token");
        r.size = req.body.size();
        if (!options.secret.empty()) {
          const std::string ts = req.get_param_value("timestamp");
          const std::string sign = req.get_param_value("sign");
          const std::size_t at = req.target.find("sign=");
          const std::string raw = at == std::string::npos ? "" : req.target.substr(at + 5);
          if (ts.empty() || sign.empty() || raw.find_first_of("+/=") != std::string::npos ||
              sign != b64(hmac(options.secret, ts + "\n" + options.secret)))
            return reject(200, {{"errcode", 310000}, {"errmsg", "sign not match"}},
                          "bad signature");
        }
        if (r.size > kDingTalkMaxBody)
          return reject(200, {{"errcode", 460101}, {"errmsg", "message too long"}},
                        fmt::format("body {} > 20000", r.size));
        if (!body.is_object())
          return reject(200, {{"errcode", 43004}, {"errmsg", "invalid json"}}, "not JSON");
        const std::string type = body.value("msgtype", "");
        if (type == "markdown") {
          const Json& md = body.at("markdown");
          if (!md.contains("title") || !md.contains("text") ||
              md["title"].get<std::string>().empty())
            return reject(200, {{"errcode", 40035}, {"errmsg", "missing title or text"}},
                          "markdown without title/text");
          r.visible = md["title"].get<std::string>() + "\n" + md["text"].get<std::string>();
        } else if (type == "text") {
          r.visible = body.at("text").at("content").get<std::string>();
        } else {
          return reject(200, {{"errcode", 40035}, {"errmsg", "unsupported msgtype"}},
                        "msgtype " + type);
        }
        json_answer(res, 200, {{"errcode", 0}, {"errmsg", "ok"}});
        return {};
      }
      case WebhookService::kWeCom: {
        if (req.path != "/wecom/cgi-bin/webhook/send" || req.get_param_value("key") != token)
          return reject(200, {{"errcode", 93000}, {"errmsg", "invalid webhook url"}}, "bad key");
        if (!body.is_object())
          return reject(200, {{"errcode", 40001}, {"errmsg", "invalid json"}}, "not JSON");
        const std::string type = body.value("msgtype", "");
        if (type == "markdown" || type == "text") {
          const std::string content = body.at(type).at("content").get<std::string>();
          r.visible = content;
          r.size = content.size();
          const std::size_t max = type == "markdown" ? kWeComMaxMarkdown : kWeComMaxText;
          if (r.size > max)
            return reject(200,
                          {{"errcode", 40058},
                           {"errmsg", fmt::format("{}.content exceed max length {}", type, max)}},
                          fmt::format("content {} bytes > {}", r.size, max));
        } else {
          return reject(200, {{"errcode", 40008}, {"errmsg", "invalid message type"}},
                        "msgtype " + type);
        }
        json_answer(res, 200, {{"errcode", 0}, {"errmsg", "ok"}});
        return {};
      }
      case WebhookService::kSlack: {
        if (req.path != "/slack/services/" + token) {
          res.status = 403;
          res.set_content("invalid_token", "text/plain");
          return "bad token";
        }
        auto plain = [&](int status, const std::string& text, std::string why) {
          res.status = status;
          res.set_content(text, "text/plain");
          return why;
        };
        if (!body.is_object()) return plain(400, "invalid_payload", "not JSON");
        if (!body.contains("text") && !body.contains("blocks"))
          return plain(400, "no_text", "no text");
        if (body.contains("blocks")) {
          const Json& blocks = body["blocks"];
          r.size = blocks.size();
          if (!blocks.is_array() || blocks.size() > kSlackMaxBlocks)
            return plain(400, "invalid_blocks", fmt::format("{} blocks", blocks.size()));
          for (const Json& b : blocks) {
            if (b.value("type", "") != "section" || !b.contains("text"))
              return plain(400, "invalid_blocks", "not a section");
            const std::string t = b["text"].value("text", "");
            if (utf16_units(t) > kSlackMaxSectionText || t.empty())
              return plain(400, "invalid_blocks",
                           fmt::format("section text {} chars", utf16_units(t)));
            r.visible += t + "\n";
          }
        } else {
          r.visible = body["text"].get<std::string>();
        }
        res.status = 200;
        res.set_content("ok", "text/html");
        return {};
      }
      case WebhookService::kDiscord: {
        if (req.path != "/discord/api/webhooks/" + token)
          return reject(401, {{"message", "Invalid Webhook Token"}, {"code", 50027}}, "bad token");
        if (!body.is_object() || (!body.contains("content") && !body.contains("embeds")))
          return reject(400, {{"message", "Cannot send an empty message"}, {"code", 50006}},
                        "empty");
        const std::string content = body.value("content", "");
        r.visible = content;
        r.size = utf16_units(content);
        if (r.size > kDiscordMaxContent)
          return reject(400,
                        {{"code", 50035},
                         {"message", "Invalid Form Body"},
                         {"errors",
                          {{"content",
                            {{"_errors",
                              {{{"code", "BASE_TYPE_MAX_LENGTH"},
                                {"message", "Must be 2000 or fewer in length."}}}}}}}}},
                        fmt::format("content {} > 2000", r.size));
        res.status = 204;
        return {};
      }
      case WebhookService::kTelegram: {
        if (req.path != "/telegram/bot" + token + "/sendMessage")
          return reject(401, {{"ok", false}, {"error_code", 401}, {"description", "Unauthorized"}},
                        "bad token");
        auto bad = [&](const std::string& description) {
          return reject(
              400,
              {{"ok", false}, {"error_code", 400}, {"description", "Bad Request: " + description}},
              description);
        };
        if (!body.is_object() || !body.contains("chat_id")) return bad("chat_id is empty");
        const std::string text = body.value("text", "");
        if (body.value("parse_mode", "") == "HTML") {
          const ParsedHtml parsed = parse_telegram_html(text);
          if (!parsed.error.empty()) return bad("can't parse entities: " + parsed.error);
          r.visible = parsed.text;
        } else {
          r.visible = text;
        }
        r.size = utf16_units(r.visible);
        if (r.size == 0) return bad("message text is empty");
        if (r.size > kTelegramMaxText) return bad("message is too long");
        json_answer(
            res, 200,
            {{"ok", true}, {"result", {{"message_id", ++message_id}, {"text", r.visible}}}});
        return {};
      }
      case WebhookService::kGeneric: {
        if (req.path != "/generic/" + token)
          return reject(404, {{"error", "not found"}}, "bad token");
        r.size = req.body.size();
        r.visible = req.body;
        if (!body.is_object()) return reject(400, {{"error", "not a JSON object"}}, "not JSON");
        if (!options.secret.empty() &&
            r.signature_header != "sha256=" + hex(hmac(options.secret, req.body)))
          return reject(401, {{"error", "bad signature"}}, "bad signature");
        json_answer(res, 200, {{"received", true}});
        return {};
      }
    }
    return "unknown service";
  }

  void handle(WebhookService s, const httplib::Request& req, httplib::Response& res) {
    ReceivedWebhook r;
    r.service = s;
    r.target = req.target;
    r.body = req.body;
    r.signature_header = req.get_header_value("X-Arxiv-Digest-Signature");
    r.delivery_header = req.get_header_value("X-Arxiv-Digest-Delivery");
    const std::optional<WebhookFault> fault = next_fault();
    if (fault == WebhookFault::kStall) pause(options.stall);
    if (fault && answer_fault(s, *fault, req.target, res)) {
      r.rejection = "fault injected";
      record(std::move(r));
      return;
    }
    try {
      r.rejection = verify(s, req, r, res);
    } catch (const std::exception& e) {  // a field of the wrong type: the services answer 400
      r.rejection = std::string("malformed: ") + e.what();
      res.status = 400;
      res.set_content(r.rejection, "text/plain");
    }
    r.accepted = r.rejection.empty();
    record(std::move(r));
  }
};

WebhookServer::WebhookServer(WebhookServerOptions options) : impl_(std::make_unique<Impl>()) {
  Impl& impl = *impl_;
  impl.options = std::move(options);
  for (WebhookService s : {WebhookService::kFeishu, WebhookService::kDingTalk,
                           WebhookService::kWeCom, WebhookService::kSlack, WebhookService::kDiscord,
                           WebhookService::kTelegram, WebhookService::kGeneric}) {
    impl.server.Post(std::string(service_prefix(s)) + "/.*",
                     [&impl, s](const httplib::Request& req, httplib::Response& res) {
                       impl.handle(s, req, res);
                     });
  }
  impl.port = impl.server.bind_to_any_port("127.0.0.1");
  if (impl.port <= 0) throw std::runtime_error("WebhookServer: cannot bind 127.0.0.1");
  impl.thread = std::thread([&impl] { impl.server.listen_after_bind(); });
  for (int i = 0; i < 500 && !impl.server.is_running(); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds{2});
}

WebhookServer::~WebhookServer() {
  {
    const std::lock_guard lock(impl_->mutex);
    impl_->stopping = true;
  }
  impl_->stop_cv.notify_all();
  impl_->server.stop();
  if (impl_->thread.joinable()) impl_->thread.join();
}

std::string WebhookServer::base_url() const {
  return fmt::format("http://127.0.0.1:{}", impl_->port);
}

std::string WebhookServer::url(WebhookService service) const {
  const std::string& t = impl_->options.token;
  switch (service) {
    case WebhookService::kFeishu:
      return base_url() + "/feishu/open-apis/bot/v2/hook/" + t;
    case WebhookService::kDingTalk:
      return base_url() + "/dingtalk/robot/send?access_token=" + t;
    case WebhookService::kWeCom:
      return base_url() + "/wecom/cgi-bin/webhook/send?key=" + t;
    case WebhookService::kSlack:
      return base_url() + "/slack/services/" + t;
    case WebhookService::kDiscord:
      return base_url() + "/discord/api/webhooks/" + t;
    case WebhookService::kTelegram:
      return base_url() + "/telegram/bot" + t + "/sendMessage";
    case WebhookService::kGeneric:
      return base_url() + "/generic/" + t;
  }
  return base_url();
}

void WebhookServer::inject(WebhookFault fault, std::size_t times) {
  const std::lock_guard lock(impl_->mutex);
  for (std::size_t i = 0; i < times; ++i) impl_->faults.push_back(fault);
}

std::size_t WebhookServer::pending_faults() const {
  const std::lock_guard lock(impl_->mutex);
  return impl_->faults.size();
}

std::vector<ReceivedWebhook> WebhookServer::received() const {
  const std::lock_guard lock(impl_->mutex);
  return impl_->records;
}

std::vector<ReceivedWebhook> WebhookServer::accepted() const {
  const std::lock_guard lock(impl_->mutex);
  std::vector<ReceivedWebhook> out;
  for (const auto& r : impl_->records)
    if (r.accepted) out.push_back(r);
  return out;
}

void WebhookServer::clear_records() {
  const std::lock_guard lock(impl_->mutex);
  impl_->records.clear();
}

}  // namespace arxiv_digest::testing
