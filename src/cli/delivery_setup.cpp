#include "cli/delivery_setup.hpp"

#include <fmt/format.h>

#include <cstdlib>
#include <map>

#include "core/error.hpp"
#include "deliver/email_sink.hpp"
#include "deliver/webhook_sink.hpp"
#include "net/http_post.hpp"
#include "net/smtp_client.hpp"

namespace arxiv_digest {
namespace {

void require_variable(const std::string& variable, const std::string& key,
                      const Config& config) {
  if (variable.empty()) return;
  const char* value = std::getenv(variable.c_str());
  if (value == nullptr || *value == '\0')
    throw ConfigError(fmt::format("{}: {}: the environment variable {} is not set (export it "
                                  "before running; its value is never shown)",
                                  config.file.string(), key, variable));
}

EmailSettings email_settings(const EmailConfig& c) {
  EmailSettings s;
  s.smtp_url = c.smtp_url;
  s.from = c.from;
  s.username_env = c.username_env;
  s.password_env = c.password_env;
  s.starttls = c.starttls;
  s.subject_template = c.subject;
  s.list_id = c.list_id;
  s.timeout = std::chrono::seconds(c.timeout_s);
  s.ca_file = c.ca_file;
  return s;
}

WebhookSettings webhook_settings(const WebhookConfig& c) {
  WebhookSettings s;
  s.name = c.name;
  s.kind = *webhook_kind_from_string(c.kind);  // checked by the configuration reader
  s.url = c.url;
  s.url_env = c.url_env;
  s.secret_env = c.secret_env;
  s.chat_id = c.chat_id;
  s.include_abstract = c.abstracts;
  if (c.min_interval_s)
    s.min_interval = std::chrono::milliseconds(static_cast<long long>(*c.min_interval_s * 1000.0));
  s.total_timeout = std::chrono::seconds(c.timeout_s);
  return s;
}

}  // namespace

void check_delivery_environment(const Config& config) {
  if (config.email.present) {
    require_variable(config.email.username_env, "[email] username_env", config);
    require_variable(config.email.password_env, "[email] password_env", config);
  }
  for (const WebhookConfig& w : config.webhooks) {
    require_variable(w.url_env, fmt::format("[[webhooks]] '{}' url_env", w.name), config);
    require_variable(w.secret_env, fmt::format("[[webhooks]] '{}' secret_env", w.name), config);
  }
}

DeliverySetup::DeliverySetup(const Config& config, Env& env, const std::string& user_agent) {
  check_delivery_environment(config);
  const bool any_email =
      config.email.present &&
      (!config.email.to.empty() ||
       std::any_of(config.subscribers.begin(), config.subscribers.end(),
                   [](const SubscriberConfig& s) { return !s.email.empty(); }));
  if (any_email) smtp_ = std::make_unique<CurlSmtpSender>();
  if (!config.webhooks.empty()) poster_ = std::make_unique<CurlHttpPoster>(user_agent);

  // One sink per webhook, shared by every audience that names it (it spaces its own requests).
  std::map<std::string, DigestSink*> webhook_sinks;
  for (const WebhookConfig& w : config.webhooks) {
    channels_.push_back(std::make_unique<WebhookSink>(webhook_settings(w), *poster_, env));
    webhook_sinks[w.name] = channels_.back().get();
  }
  const EmailSettings email = email_settings(config.email);
  const auto email_sink = [&](const std::string& recipient, const std::string& audience) {
    channels_.push_back(std::make_unique<EmailSink>(email, recipient, audience, *smtp_, env));
    return channels_.back().get();
  };

  Plan everyone{"", {}, {}, !config.delivery.send_empty, config.delivery.notify_no_announcement};
  for (const std::string& to : config.email.to) everyone.channels.push_back(email_sink(to, ""));
  for (const WebhookConfig& w : config.webhooks) {
    const bool named = std::any_of(
        config.subscribers.begin(), config.subscribers.end(), [&](const SubscriberConfig& s) {
          return std::find(s.webhooks.begin(), s.webhooks.end(), w.name) != s.webhooks.end();
        });
    if (!named) everyone.channels.push_back(webhook_sinks.at(w.name));
  }
  plans_.push_back(std::move(everyone));
  for (const SubscriberConfig& sub : config.subscribers) {
    Plan plan{sub.name, sub.topics, {}, !sub.send_empty.value_or(config.delivery.send_empty),
              sub.notify_no_announcement.value_or(config.delivery.notify_no_announcement)};
    for (const std::string& to : sub.email) plan.channels.push_back(email_sink(to, sub.name));
    for (const std::string& name : sub.webhooks) plan.channels.push_back(webhook_sinks.at(name));
    plans_.push_back(std::move(plan));
  }
}

DeliverySetup::~DeliverySetup() = default;

std::vector<Audience> DeliverySetup::audiences(std::vector<DigestSink*> outputs) const {
  std::vector<Audience> out;
  for (std::size_t i = 0; i < plans_.size(); ++i) {
    const Plan& plan = plans_[i];
    Audience audience;
    audience.name = plan.name;
    audience.topics = plan.topics;
    if (i == 0) audience.sinks = std::move(outputs);
    audience.channels = plan.channels;
    audience.silent_when_empty = plan.silent_when_empty;
    audience.notify_no_announcement = plan.notify_no_announcement;
    out.push_back(std::move(audience));
  }
  return out;
}

}  // namespace arxiv_digest
