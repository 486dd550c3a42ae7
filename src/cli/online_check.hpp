// Reaching each configured endpoint once (`config check --online`, `init --check-key`): arXiv,
// the translator, the SMTP server. Each probe does the least the endpoint allows and reports how
// it went; none throws for a failure of the endpoint. Messages never hold a key, a password or
// a URL's user information.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "cli/config.hpp"

namespace arxiv_digest {

struct ProbeResult {
  std::string endpoint;  // "arxiv (rss https://rss.arxiv.org/rss/cs.LG)", "translate (openai)"
  bool ok = false;
  bool contacted = true;             // false: not contacted on purpose (`detail` says why)
  std::chrono::milliseconds elapsed{0};
  std::string detail;                // the failure's reason, or what was learnt ("HTTP 200")
};

// One GET of the URL the configured source reads first (the RSS feed of every category, the
// first category's listing page, or a one-result API query), with the run's User-Agent, straight
// through libcurl: one request, no retry, so arXiv's 3-second spacing cannot be broken. OK when
// the server answers 2xx or 304.
ProbeResult probe_arxiv(const Config& config, const std::string& user_agent);

// One tiny translation ("Hello world.") through the configured backend, its key from the
// environment. OK when the backend answers anything non-empty.
ProbeResult probe_translator(const TranslateConfig& config, const std::string& user_agent);

// An SMTP session without a message: connect, EHLO, STARTTLS and AUTH as `run` would, then NOOP
// and QUIT (libcurl's custom command; no MAIL FROM, nothing is sent).
ProbeResult probe_smtp(const EmailConfig& email);

// Every probe the configuration calls for, in this order: arXiv, the translator (unless
// provider "none"), SMTP (with [email]), then one "not contacted" entry per webhook (posting
// would reach its readers; no service offers a documented no-op).
std::vector<ProbeResult> probe_endpoints(const Config& config, const std::string& user_agent);

// "ok (123 ms)", "FAILED: reason", "not contacted: reason".
std::string describe(const ProbeResult& result);

}  // namespace arxiv_digest
