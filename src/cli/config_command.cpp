#include "cli/config_command.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cstdlib>
#include <ostream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "cli/app.hpp"
#include "cli/config.hpp"
#include "cli/delivery_setup.hpp"
#include "cli/online_check.hpp"
#include "render/renderer.hpp"
#include "pipeline/topic_examples.hpp"
#include "cli/translation_setup.hpp"
#include "core/error.hpp"
#include "match/topic_selector.hpp"

namespace arxiv_digest {
namespace {

// Runs a check that throws ConfigError without the file's name, adding it.
template <typename Check>
void with_file_name(const Config& config, Check&& check) {
  try {
    check();
  } catch (const ConfigError& e) {
    throw ConfigError(fmt::format("{}: {}", config.file.string(), e.what()));
  }
}

void print_topics(const Config& config, std::ostream& out) {
  for (const auto& t : config.topics) {
    out << fmt::format("  topic: {}{}\n", t.name,
                       t.query == t.name ? "" : " (query: " + t.query + ")");
    if (!t.example_ids.empty())
      out << fmt::format("    examples: {}\n", fmt::join(t.example_ids, ", "));
    if (!t.examples_file.empty()) {
      const ReferenceLibrary library = load_examples_file(t);
      out << fmt::format("    examples_file: {} ({}, {} entries)\n", t.examples_file,
                         to_string(library.format), library.entries.size());
    }
    if (t.by_example())
      out << fmt::format("    keep: {}{}\n",
                         t.min_score
                             ? fmt::format("score >= {}", *t.min_score)
                             : (t.top_k ? std::string("the best")
                                        : fmt::format("score >= {} (default)", kDefaultMinScore)),
                         t.top_k ? fmt::format(", at most {}", *t.top_k) : std::string());
  }
}

// The translation settings; whether the API key variable is set, never its value.
void print_translate(const TranslateConfig& t, std::ostream& out) {
  if (t.provider == "none") {
    out << "  translate: none (titles and abstracts stay in English)\n";
    return;
  }
  out << fmt::format("  translate: {}{}, target {}, fields {}\n", t.provider,
                     t.model.empty() ? std::string() : " model " + t.model, t.target,
                     fmt::join(t.fields, ", "));
  out << fmt::format("    base_url: {}\n",
                     t.base_url.empty() ? std::string("the provider's default") : t.base_url);
  if (t.api_key_env.empty()) {
    out << "    api_key_env: none (no API key is sent)\n";
  } else {
    const char* value = std::getenv(t.api_key_env.c_str());
    out << fmt::format("    api_key_env: {} ({})\n", t.api_key_env,
                       value != nullptr && *value != '\0' ? "set" : "NOT set");
  }
}

// A variable a channel reads: its name and whether it is set, never its value.
std::string variable_state(const std::string& name) {
  const char* value = std::getenv(name.c_str());
  return fmt::format("{} ({})", name, value != nullptr && *value != '\0' ? "set" : "NOT set");
}

// Who gets what: the email server, each webhook (never its URL) and each subscriber.
void print_delivery(const Config& config, std::ostream& out) {
  const EmailConfig& e = config.email;
  if (e.present) {
    const std::size_t at = e.smtp_url.find("://");
    out << fmt::format("  email: via {}{}, from {}\n",
                       at == std::string::npos ? e.smtp_url : e.smtp_url.substr(at + 3),
                       e.smtp_url.starts_with("smtps") ? " (TLS)"
                       : e.starttls                    ? " (STARTTLS required)"
                                                       : " (no TLS)",
                       e.from);
    if (!e.to.empty()) out << fmt::format("    to: {}\n", fmt::join(e.to, ", "));
    if (!e.username_env.empty())
      out << fmt::format("    credentials: {}, {}\n", variable_state(e.username_env),
                         variable_state(e.password_env));
  }
  for (const WebhookConfig& w : config.webhooks) {
    out << fmt::format("  webhook {}: {}", w.name, w.kind);
    if (!w.url_env.empty()) out << ", url from " << variable_state(w.url_env);
    if (!w.secret_env.empty()) out << ", signed with " << variable_state(w.secret_env);
    out << "\n";
  }
  for (const SubscriberConfig& s : config.subscribers) {
    out << fmt::format("  subscriber {}: topics {}", s.name,
                       s.topics.empty() ? std::string("all") : fmt::format("{}", fmt::join(s.topics, ", ")));
    if (!s.email.empty()) out << fmt::format("; email {}", fmt::join(s.email, ", "));
    if (!s.webhooks.empty()) out << fmt::format("; webhooks {}", fmt::join(s.webhooks, ", "));
    out << "\n";
  }
  if (!config.output.templates_dir.empty())
    out << fmt::format("  templates: {}\n", config.output.templates_dir.string());
}

}  // namespace

int command_config_check(const std::filesystem::path& config_path_or_empty, std::ostream& out,
                         const std::function<std::string(const Config&)>& online_user_agent) {
  const Config config = load_config_or_default(config_path_or_empty);
  with_file_name(config, [&] { check_topic_queries(config.topics); });
  // `run` refuses to start when the API key variable is unset: so does the check.
  with_file_name(config, [&] { check_translate_config(config.translate); });
  // So does it when a channel's secret variable is unset, or a user template does not parse.
  check_delivery_environment(config);
  if (!config.output.templates_dir.empty())
    check_html_templates(HtmlOptions{.katex_base = {}, .templates_dir = config.output.templates_dir});
  // Written at the end, so that a failure below (an unreadable examples_file) prints no "OK".
  std::ostringstream report;
  report << fmt::format("{}: OK\n", config.file.string());
  describe_config(config, report);
  out << report.str();
  if (!online_user_agent) return kExitOk;
  // Each endpoint once; every line is printed, then the exit code says whether one failed.
  out << "online:\n";
  bool failed = false;
  for (const ProbeResult& probe : probe_endpoints(config, online_user_agent(config))) {
    out << fmt::format("  {}: {}\n", probe.endpoint, describe(probe)) << std::flush;
    failed = failed || !probe.ok;
  }
  return failed ? kExitNetwork : kExitOk;
}

void describe_config(const Config& config, std::ostream& report) {
  report << fmt::format("  categories: {}\n", fmt::join(config.arxiv.categories, ", "));
  std::vector<std::string_view> types;
  for (auto t : config.arxiv.announce_types) types.push_back(to_string(t));
  report << fmt::format("  announce types: {}\n", fmt::join(types, ", "));
  report << fmt::format("  source: {}\n", to_string(config.arxiv.source));
  print_topics(config, report);
  report << fmt::format("  output: {} ({}), time zone {}\n", config.output.dir.string(),
                        fmt::join(config.output.formats, ", "), config.output.timezone);
  report << fmt::format("  archive: {} {}\n", config.store.backend, config.store.path.string());
  print_translate(config.translate, report);
  print_delivery(config, report);
}

}  // namespace arxiv_digest
