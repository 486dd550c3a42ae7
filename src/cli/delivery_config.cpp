#include "cli/delivery_config.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <set>

#include "core/text.hpp"

namespace arxiv_digest {
namespace {

// An address as SMTP's envelope takes it: local@domain, no spaces, no angle brackets, no
// control characters (CR/LF would inject headers). Display names belong in `from` only.
bool plain_address(std::string_view a) {
  const std::size_t at = a.find('@');
  if (at == std::string_view::npos || at == 0 || at + 1 >= a.size()) return false;
  if (a.find('@', at + 1) != std::string_view::npos) return false;
  return std::none_of(a.begin(), a.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u <= 0x20 || u == 0x7F || c == '<' || c == '>' || c == ',' || c == ';' || c == '"';
  });
}

// "Name <addr>" or "addr"; the address part must be plain_address().
bool valid_from(std::string_view from) {
  if (from.find_first_of("\r\n") != std::string_view::npos) return false;
  const std::size_t open = from.rfind('<');
  if (open == std::string_view::npos) return plain_address(from);
  if (!from.ends_with('>')) return false;
  return plain_address(from.substr(open + 1, from.size() - open - 2));
}

std::vector<std::string> addresses(const TomlSection& s, std::string_view key) {
  std::vector<std::string> out;
  const auto list = s.string_list(key);
  if (!list) return out;
  for (const auto& item : *list) {
    if (!plain_address(item.value))
      s.fail(key, fmt::format("'{}': '{}' is not an email address (write local@domain; a "
                              "display name goes in [email] from only)",
                              key, item.value));
    if (std::find(out.begin(), out.end(), item.value) == out.end()) out.push_back(item.value);
  }
  return out;
}

void read_email(const TomlSection& s, EmailConfig& e) {
  e.present = true;
  s.forbid("password",
           "passwords are never read from the configuration file: put it in an environment "
           "variable and name it in 'password_env'");
  s.forbid("username", "name the environment variable holding the user name in 'username_env'");
  if (auto v = s.non_empty_string("smtp_url")) {
    const std::string lower = ascii_lower(*v);
    if (!lower.starts_with("smtp://") && !lower.starts_with("smtps://"))
      s.fail("smtp_url", "'smtp_url' must start with smtp:// (STARTTLS) or smtps:// (TLS)");
    if (v->find('@') != std::string::npos)
      s.fail("smtp_url", "'smtp_url' must not carry credentials: use username_env and "
                         "password_env");
    e.smtp_url = *v;
  }
  if (auto v = s.non_empty_string("from")) {
    if (!valid_from(*v))
      s.fail("from", fmt::format("'from' = '{}' is not an address (\"Name <local@domain>\" or "
                                 "\"local@domain\")",
                                 *v));
    e.from = *v;
  }
  e.to = addresses(s, "to");
  if (auto v = s.env_var_name("username_env")) e.username_env = *v;
  if (auto v = s.env_var_name("password_env")) e.password_env = *v;
  if (auto v = s.boolean("starttls")) e.starttls = *v;
  if (auto v = s.non_empty_string("subject")) {
    if (v->find_first_of("\r\n") != std::string::npos)
      s.fail("subject", "'subject' must be one line");
    e.subject = *v;
  }
  if (auto v = s.non_empty_string("list_id")) e.list_id = *v;
  if (auto v = s.integer("timeout_s", 1, 600)) e.timeout_s = *v;
  if (auto v = s.path("ca_file")) e.ca_file = v->string();
  s.reject_unknown_keys();
  if (e.smtp_url.empty()) s.require("smtp_url", "smtp_url = \"smtp://mail.example.org:587\"");
  if (e.from.empty()) s.require("from", "from = \"arXiv digest <digest@example.org>\"");
  if (!e.username_env.empty() && e.password_env.empty())
    s.fail("username_env", "'username_env' needs 'password_env' too");
}

WebhookConfig read_webhook(const TomlSection& s) {
  WebhookConfig w;
  if (auto v = s.non_empty_string("name")) w.name = *v;
  if (auto v = s.one_of("kind", kWebhookKinds)) w.kind = *v;
  if (auto v = s.non_empty_string("url")) {
    if (!v->starts_with("https://") && !v->starts_with("http://"))
      s.fail("url", "'url' must be an http or https URL");  // never quoted: it may hold a token
    w.url = *v;
  }
  if (auto v = s.env_var_name("url_env")) w.url_env = *v;
  if (auto v = s.env_var_name("secret_env")) w.secret_env = *v;
  s.forbid("secret", "secrets are never read from the configuration file: put it in an "
                     "environment variable and name it in 'secret_env'");
  if (auto v = s.non_empty_string("chat_id")) w.chat_id = *v;
  if (auto v = s.boolean("abstracts")) w.abstracts = *v;
  if (auto v = s.number("min_interval_s", 0, 3600)) w.min_interval_s = *v;
  if (auto v = s.integer("timeout_s", 1, 600)) w.timeout_s = *v;
  s.reject_unknown_keys();
  s.require("name", "name = \"lab-feishu\"");
  s.require("kind", "kind = \"feishu\"");
  if (w.url.empty() == w.url_env.empty())
    s.fail(w.url.empty() ? "name" : "url_env", "set either 'url' or 'url_env' (one of them)");
  if (w.kind == "telegram" && w.chat_id.empty())
    s.require("chat_id", "chat_id = \"-1001234567890\"");
  if (w.kind != "telegram" && !w.chat_id.empty())
    s.fail("chat_id", "'chat_id' applies to kind = \"telegram\" only");
  if (!w.secret_env.empty() && w.kind != "feishu" && w.kind != "dingtalk" && w.kind != "generic")
    s.fail("secret_env", fmt::format("'secret_env': {} webhooks are not signed (only feishu, "
                                     "dingtalk and generic are)",
                                     w.kind));
  return w;
}

std::optional<bool> read_on_empty(const TomlSection& s) {
  static constexpr std::array<std::string_view, 2> kPolicies = {"send", "silent"};
  auto v = s.one_of("on_empty", kPolicies);
  if (!v) return std::nullopt;
  return *v == "send";
}

std::optional<bool> read_on_no_announcement(const TomlSection& s) {
  static constexpr std::array<std::string_view, 2> kPolicies = {"silent", "notify"};
  auto v = s.one_of("on_no_announcement", kPolicies);
  if (!v) return std::nullopt;
  return *v == "notify";
}

}  // namespace

void read_delivery_config(const TomlSection& root, const std::vector<Topic>& topics,
                          EmailConfig& email, std::vector<WebhookConfig>& webhooks,
                          std::vector<SubscriberConfig>& subscribers, DeliveryConfig& delivery) {
  if (auto s = root.table("email")) read_email(*s, email);
  if (auto s = root.table("delivery")) {
    if (auto send = read_on_empty(*s)) delivery.send_empty = *send;
    if (auto notify = read_on_no_announcement(*s)) delivery.notify_no_announcement = *notify;
    s->reject_unknown_keys();
  }
  std::set<std::string> webhook_names;
  for (const TomlSection& s : root.array_of_tables("webhooks")) {
    WebhookConfig w = read_webhook(s);
    if (!webhook_names.insert(w.name).second)
      s.fail("name", fmt::format("webhook '{}' is defined twice", w.name));
    webhooks.push_back(std::move(w));
  }
  std::set<std::string> subscriber_names;
  for (const TomlSection& s : root.array_of_tables("subscribers")) {
    SubscriberConfig sub;
    if (auto v = s.non_empty_string("name")) sub.name = *v;
    if (auto list = s.string_list("topics")) {
      for (const auto& item : *list) {
        if (std::none_of(topics.begin(), topics.end(),
                         [&](const Topic& t) { return t.name == item.value; }))
          s.fail("topics", fmt::format("'topics': no [[topics]] entry is named '{}'", item.value));
        if (std::find(sub.topics.begin(), sub.topics.end(), item.value) == sub.topics.end())
          sub.topics.push_back(item.value);
      }
      if (sub.topics.empty()) s.fail("topics", "'topics' must not be empty (leave it out for all)");
    }
    sub.email = addresses(s, "email");
    if (auto list = s.string_list("webhooks"))
      for (const auto& item : *list) {
        if (!webhook_names.contains(item.value))
          s.fail("webhooks", fmt::format("'webhooks': no [[webhooks]] entry is named '{}'",
                                         item.value));
        if (std::find(sub.webhooks.begin(), sub.webhooks.end(), item.value) == sub.webhooks.end())
          sub.webhooks.push_back(item.value);
      }
    sub.send_empty = read_on_empty(s);
    sub.notify_no_announcement = read_on_no_announcement(s);
    s.reject_unknown_keys();
    s.require("name", "name = \"ana\"");
    if (!subscriber_names.insert(sub.name).second)
      s.fail("name", fmt::format("subscriber '{}' is defined twice", sub.name));
    if (sub.email.empty() && sub.webhooks.empty())
      s.fail("name", fmt::format("subscriber '{}' has no channel: give 'email' recipients or "
                                 "'webhooks' names",
                                 sub.name));
    if (!sub.email.empty() && !email.present)
      s.fail("email", "'email' recipients need an [email] table (smtp_url, from)");
    subscribers.push_back(std::move(sub));
  }
}

}  // namespace arxiv_digest
