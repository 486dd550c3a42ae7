// The run's audiences and channels, built from [email], [[webhooks]], [[subscribers]] and
// [delivery] (cli/delivery_config.hpp). Composition only: it owns the SMTP sender, the HTTP
// poster and every channel, and hands DailyRun the audiences pointing at them.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "cli/config.hpp"
#include "core/env.hpp"
#include "pipeline/daily_run.hpp"

namespace arxiv_digest {

class SmtpSender;
class HttpPoster;

// Throws ConfigError (before anything is fetched) naming the variable when a variable that a
// channel needs (password_env, username_env, secret_env, url_env) is unset or empty. Values are
// never shown.
void check_delivery_environment(const Config& config);

class DeliverySetup {
 public:
  // Checks the environment (check_delivery_environment) and builds every channel. `env` must
  // outlive the setup.
  DeliverySetup(const Config& config, Env& env, const std::string& user_agent);
  ~DeliverySetup();
  DeliverySetup(const DeliverySetup&) = delete;
  DeliverySetup& operator=(const DeliverySetup&) = delete;

  // The configuration's own readers ("": every topic, `outputs`, [email] to and the webhooks no
  // subscriber names), then one audience per [[subscribers]] entry, in file order.
  std::vector<Audience> audiences(std::vector<DigestSink*> outputs) const;

  // How many channels there are (for the run's first note).
  std::size_t channel_count() const noexcept { return channels_.size(); }

 private:
  struct Plan {
    std::string name;
    std::vector<std::string> topics;
    std::vector<DigestSink*> channels;
    bool silent_when_empty = false;
    bool notify_no_announcement = false;
  };
  std::unique_ptr<SmtpSender> smtp_;
  std::unique_ptr<HttpPoster> poster_;
  std::vector<std::unique_ptr<DigestSink>> channels_;
  std::vector<Plan> plans_;
};

}  // namespace arxiv_digest
