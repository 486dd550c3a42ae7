#include "cli/online_check.hpp"

#include <fmt/format.h>

#include <cstdlib>
#include <exception>
#include <optional>
#include <span>
#include <string_view>

#include "cli/translation_setup.hpp"
#include "core/error.hpp"
#include "net/curl_http_client.hpp"
#include "net/smtp_client.hpp"
#include "sources/announcement_fetcher.hpp"
#include "translate/translator.hpp"

namespace arxiv_digest {
namespace {

using Clock = std::chrono::steady_clock;

std::chrono::milliseconds since(Clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
}

// A URL as it may be shown: no user information, no query string (either may carry a token).
std::string shown_url(std::string_view url) {
  std::string_view rest = url;
  std::string scheme;
  if (const auto sep = rest.find("://"); sep != std::string_view::npos) {
    scheme = std::string(rest.substr(0, sep + 3));
    rest.remove_prefix(sep + 3);
  }
  const auto path_start = rest.find('/');
  const std::string_view authority = rest.substr(0, path_start);
  if (const auto at = authority.rfind('@'); at != std::string_view::npos)
    rest.remove_prefix(at + 1);
  std::string shown = scheme + std::string(rest.substr(0, rest.find_first_of("?#")));
  if (rest.find('?') != std::string_view::npos) shown += "?…";
  return shown;
}

// The URL the configured source reads first.
std::string first_source_url(const ArxivConfig& arxiv) {
  FetchOptions options;
  options.source = arxiv.source;
  options.categories = arxiv.categories;
  options.rss_url = arxiv.rss_url;
  options.listing_url = arxiv.listing_url;
  options.api_url = arxiv.api_url;
  switch (arxiv.source) {
    case SourceKind::kListing:
      return listing_page_url(options, arxiv.categories.front());
    case SourceKind::kApi:
      return with_query(arxiv.api_url,
                        fmt::format("search_query=cat:{}&max_results=1", arxiv.categories.front()));
    case SourceKind::kRss:
      break;
  }
  return rss_feed_url(options);
}

// The message of the exception in flight, for a FAILED line.
std::string current_reason() {
  try {
    throw;
  } catch (const std::exception& e) {
    return e.what();
  } catch (...) {
    return "unknown failure";
  }
}

}  // namespace

ProbeResult probe_arxiv(const Config& config, const std::string& user_agent) {
  const std::string url = first_source_url(config.arxiv);
  ProbeResult result;
  result.endpoint = fmt::format("arxiv ({} {})", to_string(config.arxiv.source), shown_url(url));
  const auto start = Clock::now();
  try {
    CurlHttpClientOptions options;
    options.user_agent = user_agent;
    CurlHttpClient client(std::move(options));
    HttpRequest request;
    request.url = url;
    request.total_timeout = std::chrono::seconds(config.arxiv.timeout_s);
    const HttpResponse response = client.get(request);
    result.elapsed = since(start);
    result.ok = (response.status >= 200 && response.status < 300) || response.status == 304;
    result.detail = fmt::format("HTTP {}", response.status);
  } catch (...) {
    result.elapsed = since(start);
    result.detail = current_reason();
  }
  return result;
}

ProbeResult probe_translator(const TranslateConfig& config, const std::string& user_agent) {
  ProbeResult result;
  result.endpoint =
      fmt::format("translate ({}{})", config.provider,
                  config.base_url.empty() ? std::string() : " " + shown_url(config.base_url));
  const auto start = Clock::now();
  try {
    // The real backend code, so that a key the backend refuses fails here as it would in `run`.
    const TranslationSetup setup(config, user_agent);
    Translator* translator = setup.service().translator;
    if (translator == nullptr) {
      result.contacted = false;
      result.ok = true;
      result.detail = "provider \"none\"";
      return result;
    }
    const std::string text = "Hello world.";
    TranslateCall call;
    call.texts = std::span<const std::string>(&text, 1);
    call.target = config.target == "zh-TW" ? "zh-CN" : config.target;  // zh-TW is converted locally
    const TranslateBatchResult answer = translator->translate(call);
    result.elapsed = since(start);
    if (answer.replies.empty() || answer.replies.front().text.empty()) {
      result.detail = "the backend answered with an empty translation";
    } else {
      result.ok = true;
    }
  } catch (...) {
    result.elapsed = since(start);
    result.detail = current_reason();
  }
  return result;
}

ProbeResult probe_smtp(const EmailConfig& email) {
  ProbeResult result;
  const auto start = Clock::now();
  try {
    SmtpEnvelope envelope;
    envelope.server = parse_smtp_url(email.smtp_url);
    result.endpoint = fmt::format("smtp ({})", envelope.server.host_port());
    envelope.channel = "smtp";  // the endpoint names the server already
    envelope.require_starttls = email.starttls && !envelope.server.implicit_tls;
    envelope.ca_file = email.ca_file;
    if (!email.username_env.empty()) {
      const char* user = std::getenv(email.username_env.c_str());
      const char* password = std::getenv(email.password_env.c_str());
      envelope.username = user != nullptr ? user : "";
      envelope.password = password != nullptr ? password : "";
    }
    envelope.total_timeout = std::chrono::seconds(email.timeout_s);
    CurlSmtpSender sender;
    sender.check(envelope);
    result.elapsed = since(start);
    result.ok = true;
  } catch (...) {
    result.elapsed = since(start);
    if (result.endpoint.empty()) result.endpoint = "smtp";
    result.detail = current_reason();
    if (result.detail.starts_with("smtp: ")) result.detail.erase(0, 6);
  }
  return result;
}

std::vector<ProbeResult> probe_endpoints(const Config& config, const std::string& user_agent) {
  std::vector<ProbeResult> results;
  results.push_back(probe_arxiv(config, user_agent));
  if (config.translate.provider != "none")
    results.push_back(probe_translator(config.translate, user_agent));
  if (config.email.present) results.push_back(probe_smtp(config.email));
  for (const WebhookConfig& w : config.webhooks) {
    ProbeResult skipped;
    skipped.endpoint = fmt::format("webhook {} ({})", w.name, w.kind);
    skipped.ok = true;
    skipped.contacted = false;
    skipped.detail = "posting would reach its readers and no service offers a no-op";
    results.push_back(std::move(skipped));
  }
  return results;
}

std::string describe(const ProbeResult& result) {
  if (!result.contacted) return fmt::format("not contacted: {}", result.detail);
  if (result.ok) return fmt::format("ok ({} ms)", result.elapsed.count());
  return fmt::format("FAILED: {}", result.detail);
}

}  // namespace arxiv_digest
