// Delivery configuration: [email], [[webhooks]], [[subscribers]] and [delivery] (private to the
// cli). Every key is documented in README.md "Delivery".
//
// Who gets what:
//  - [email] to and every [[webhooks]] entry no subscriber names: the whole digest (all topics),
//    as the configuration's own readers (delivery-log audience "").
//  - each [[subscribers]] entry: the digest restricted to its `topics` (names of [[topics]]
//    entries; all when absent), through its `email` recipients and the `webhooks` it names.
// Secrets never live in the file: SMTP credentials and signing secrets are read from the
// environment variables the keys name, and a webhook URL carrying a token may be given the same
// way (`url_env`).
#pragma once

#include <array>
#include <optional>
#include <string_view>
#include <string>
#include <vector>

#include "config/toml_section.hpp"
#include "core/topic.hpp"

namespace arxiv_digest {

struct EmailConfig {
  bool present = false;
  std::string smtp_url;         // required: smtp://host[:port] (STARTTLS) or smtps://host[:port]
  std::string from;             // required: the From address, "Name <addr>" or "addr"
  std::vector<std::string> to;  // readers of the whole digest (may be empty with subscribers)
  std::string username_env;     // env var holding the SMTP user name; "" = no authentication
  std::string password_env;     // env var holding the SMTP password; required with username_env
  bool starttls = true;         // smtp:// only: refuse to send unless STARTTLS succeeds
  std::string subject = "arXiv 每日论文 {date} · {count} 篇";  // {date}, {count}, {topics}
  std::string list_id;          // List-Id; default "arxiv-digest.<domain of from>"
  int timeout_s = 60;           // per message, connect included
  std::string ca_file;          // PEM bundle to verify the server (a self-hosted CA); "" = system
};

struct WebhookConfig {
  std::string name;        // required, unique: the channel is "webhook:<name>"
  std::string kind;        // feishu, dingtalk, wecom, slack, discord, telegram, generic
  std::string url;         // the endpoint (or url_env)
  std::string url_env;     // env var holding the endpoint (for URLs carrying a token)
  std::string secret_env;  // env var holding the signing secret (feishu, dingtalk, generic)
  std::string chat_id;     // telegram: the chat to post to (required there)
  std::optional<bool> abstracts;         // nullopt = the service's default
  std::optional<double> min_interval_s;  // between messages; nullopt = the service's documented rate
  int timeout_s = 30;
};

struct SubscriberConfig {
  std::string name;                   // required, unique; the delivery log's audience
  std::vector<std::string> topics;    // [[topics]] names; empty = every topic
  std::vector<std::string> email;     // recipients (needs [email])
  std::vector<std::string> webhooks;  // [[webhooks]] names
  std::optional<bool> send_empty;     // overrides [delivery] on_empty
  std::optional<bool> notify_no_announcement;  // overrides [delivery] on_no_announcement
};

struct DeliveryConfig {
  // [delivery] on_empty: "send" (default: the digest says "There is no result") or "silent"
  // (channels send nothing when a reader's digest has no paper; files are still written).
  bool send_empty = true;
  // [delivery] on_no_announcement: "silent" (default) or "notify" (channels get a short notice
  // on a listing date without an announcement: weekend, holiday, empty feed).
  bool notify_no_announcement = false;
};

// The kinds [[webhooks]] kind accepts.
inline constexpr std::array<std::string_view, 7> kWebhookKinds = {
    "feishu", "dingtalk", "wecom", "slack", "discord", "telegram", "generic"};

// Reads [email], [[webhooks]], [[subscribers]] and [delivery] of `root` and checks them against
// each other and `topics` (unknown topic or webhook names, duplicate names, a subscriber with no
// channel, recipients without [email], malformed addresses and URLs, secrets in the file).
// Throws ConfigError naming file:line:column and the key.
void read_delivery_config(const TomlSection& root, const std::vector<Topic>& topics,
                          EmailConfig& email, std::vector<WebhookConfig>& webhooks,
                          std::vector<SubscriberConfig>& subscribers, DeliveryConfig& delivery);

}  // namespace arxiv_digest
