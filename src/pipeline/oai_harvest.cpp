// harvest_oai (see oai_harvest.hpp).
#include "pipeline/oai_harvest.hpp"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <cmath>
#include <stdexcept>
#include <utility>

#include "core/calendar.hpp"
#include "core/error.hpp"
#include "sources/oai_parser.hpp"

namespace arxiv_digest {
namespace {

// RFC 3986 unreserved characters stay; everything else is %XX. Tokens are opaque ("726959|1001",
// base64 with '+' and '/' on some servers), so they must be encoded to survive the query string.
std::string percent_encode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    const bool unreserved = (u >= 'A' && u <= 'Z') || (u >= 'a' && u <= 'z') ||
                            (u >= '0' && u <= '9') || u == '-' || u == '.' || u == '_' ||
                            u == '~';
    if (unreserved)
      out += c;
    else
      out += fmt::format("%{:02X}", u);
  }
  return out;
}

std::string with_query(std::string_view base_url, const std::string& query) {
  const char joiner = base_url.find('?') == std::string_view::npos ? '?' : '&';
  return fmt::format("{}{}{}", base_url, joiner, query);
}

bool is_bad_token(const ParseError& e) {
  return e.field() == "error" &&
         std::string_view(e.what()).find("'badResumptionToken'") != std::string_view::npos;
}

void check_window(const HarvestWindow& w) {
  if (!w.from.ok()) throw std::invalid_argument("harvest: the window's from date is invalid");
  if (w.until && (!w.until->ok() || std::chrono::sys_days{*w.until} < std::chrono::sys_days{w.from}))
    throw std::invalid_argument("harvest: the window's until date is before its from date");
  if (w.format != "arXiv" && w.format != "arXivRaw")
    throw std::invalid_argument(fmt::format("harvest: unknown metadata format '{}'", w.format));
}

// A fresh start of the window at `now`.
HarvestProgress start(const HarvestWindow& window, std::chrono::sys_seconds now) {
  HarvestProgress progress;
  progress.window = window;
  progress.started_at = now;
  progress.updated_at = now;
  return progress;
}

std::string format_duration(double seconds) {
  const auto s = static_cast<long long>(std::llround(seconds));
  if (s < 60) return fmt::format("{} s", s);
  if (s < 3600) return fmt::format("{} min {:02} s", s / 60, s % 60);
  return fmt::format("{} h {:02} min", s / 3600, (s % 3600) / 60);
}

}  // namespace

std::string oai_first_url(const HarvestWindow& window, std::string_view base_url) {
  std::string query = fmt::format("verb=ListRecords&metadataPrefix={}&from={}",
                                  percent_encode(window.format), format_date(window.from));
  if (window.until) query += fmt::format("&until={}", format_date(*window.until));
  if (!window.set.empty()) query += fmt::format("&set={}", percent_encode(window.set));
  return with_query(base_url, query);
}

std::string oai_resume_url(std::string_view token, std::string_view base_url) {
  return with_query(base_url,
                    fmt::format("verb=ListRecords&resumptionToken={}", percent_encode(token)));
}

std::string format_harvest_progress(const HarvestProgress& progress, double rate) {
  std::string line = fmt::format("page {}: {} records", progress.pages, progress.records);
  if (progress.complete_list_size)
    line += fmt::format(" of {}", *progress.complete_list_size);
  if (rate > 0) {
    line += fmt::format(", {:.1f} records/s", rate);
    if (progress.complete_list_size && *progress.complete_list_size > progress.records &&
        !progress.complete) {
      const double left =
          static_cast<double>(*progress.complete_list_size - progress.records) / rate;
      line += fmt::format(", ETA {}", format_duration(left));
    }
  }
  return line;
}

HarvestReport harvest_oai(const HarvestWindow& window, const HarvestSettings& settings,
                          HttpClient& http, Archive& archive, Env& env,
                          HarvestObserver* observer) {
  check_window(window);
  HarvestObserver quiet;
  HarvestObserver& observe = observer != nullptr ? *observer : quiet;

  HarvestReport report;
  HarvestProgress progress;
  if (auto stored = archive.find_harvest(window); stored && !stored->complete) {
    progress = std::move(*stored);
    report.resumed = !progress.resumption_token.empty();
    if (report.resumed)
      observe.note(fmt::format("resuming the harvest started {} after page {} ({} records)",
                               fmt::format("{:%Y-%m-%d %H:%M:%S} UTC", progress.started_at), progress.pages,
                               progress.records));
  } else {
    progress = start(window, env.now());
  }

  for (;;) {
    const bool first_page = progress.resumption_token.empty();
    const std::string url = first_page ? oai_first_url(window, settings.base_url)
                                       : oai_resume_url(progress.resumption_token,
                                                        settings.base_url);
    HttpRequest request;
    request.url = url;
    request.total_timeout = settings.timeout;
    ++report.requests;
    const HttpResponse response = http.get(request);
    if (response.status != 200) {
      throw HttpStatusError(response.status, url,
                            fmt::format("OAI-PMH request {} answered HTTP {}", url,
                                        response.status));
    }

    OaiPage page;
    try {
      page = parse_oai_pmh(response.body, url);
    } catch (const ParseError& e) {
      // arXiv's tokens expire (and a server restart forgets them): start the window over.
      // Only once per run, and never for the window's first request, so a server that keeps
      // refusing cannot make this loop.
      if (!first_page && report.restarts == 0 && is_bad_token(e)) {
        ++report.restarts;
        observe.note(fmt::format("the server no longer accepts the stored resumption token ({}); "
                                 "harvesting the window again from its first page",
                                 e.what()));
        progress = start(window, env.now());
        continue;
      }
      throw;
    }
    if (page.metadata_prefix != window.format && !page.papers.empty()) {
      throw ParseError(url, 0, 0, "metadataPrefix",
                       fmt::format("asked for metadataPrefix '{}' but the page holds '{}' records",
                                   window.format, page.metadata_prefix));
    }

    progress.pages += 1;
    progress.records += page.papers.size();
    progress.deleted += page.deleted;
    if (page.complete_list_size) progress.complete_list_size = page.complete_list_size;
    progress.complete = !page.has_more();
    progress.resumption_token = page.has_more() ? *page.resumption_token : std::string();
    progress.updated_at = env.now();
    archive.save_harvest_page(page.papers, progress);
    report.records_this_run += page.papers.size();
    observe.page_saved(progress);
    if (progress.complete) break;
  }
  report.progress = progress;
  return report;
}

}  // namespace arxiv_digest
