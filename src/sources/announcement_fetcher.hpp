// AnnouncementFetcher: one listing day for a set of categories, from any source, checked for
// completeness. Built on HttpClient (so file://, local paths, caching and politeness come from
// the client stack the caller composes) and the pure parsers.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/calendar.hpp"
#include "core/env.hpp"
#include "core/paper.hpp"
#include "net/http_client.hpp"

namespace arxiv_digest {

struct FetchOptions {
  SourceKind source = SourceKind::kRss;
  std::vector<std::string> categories;  // as configured; non-empty
  std::vector<AnnounceType> keep = {AnnounceType::kNew, AnnounceType::kCross};
  // Bases, joined to what each source appends by join_url (a trailing '/' is optional). Each may
  // be an http(s) or file:// URL or a local folder.
  std::string rss_url = "https://rss.arxiv.org/rss/";
  std::string listing_url = "https://arxiv.org/list/";
  std::string api_url = "https://export.arxiv.org/api/query";
  // The listing date wanted. RSS and listing pages only serve the latest day: a document for
  // another date is an error. Required for the API source.
  std::optional<Date> listing_date;
  std::chrono::milliseconds timeout{60'000};
  std::size_t api_page_size = 500;  // API results per request (arXiv allows up to 2000)
  // Largest result count the API may declare for one listing's window before anything is paged.
  // arXiv announces a few thousand papers a day at most across all its categories (about 1,000-
  // 1,500 new submissions per weekday in 2024-2025; a Monday or post-holiday window holds three to
  // five days of them), so a declared total above this means the server did not apply the date
  // and category filter (a real case: 214,881 results for "all:testing"), not a busy day. Paging
  // such a total would take thousands of 3-second requests.
  std::size_t api_max_results = 10'000;
  // Called before each request with (1-based request number, requests known so far, URL); the
  // total grows while API pages are discovered. May be empty. Lets the cli show progress.
  std::function<void(std::size_t, std::size_t, const std::string&)> on_request;
};

// Expected outcomes are values: either a fetched announcement or "arXiv made no announcement".
struct FetchResult {
  enum class Status { kFetched, kNoAnnouncement };
  Status status = Status::kFetched;
  Announcement announcement;        // kFetched: papers filtered by `keep`, de-duplicated, id order
  std::size_t dropped_by_type = 0;  // papers announced but filtered out by announce type
  // API: entries the server returned that were not submitted in the listing's window or are in
  // none of the configured categories (primary or cross-list); dropped, not archived. The caller
  // reports them ("dropped N entries outside the window/categories").
  std::size_t dropped_outside = 0;
  std::string note;  // kNoAnnouncement: why (e.g. "the RSS feed is empty")
};

// One kind of source of a listing day (RSS feed, listing pages, query API). Stateless; the
// instances returned by announcement_source() live for the whole program and are thread-safe.
// A new kind implements this and adds one line to announcement_source().
class AnnouncementSource {
 public:
  virtual ~AnnouncementSource() = default;
  virtual SourceKind kind() const noexcept = 0;
  // Fetches the day `options` asks for into `base` (categories, listing date and fetched_at are
  // set; `complete` is set by the caller). Throws as fetch_announcement documents.
  virtual FetchResult fetch(HttpClient& http, const FetchOptions& options,
                            const AnnouncementCalendar& calendar, Announcement base) const = 0;
};

// The source of `kind`.
const AnnouncementSource& announcement_source(SourceKind kind);

// Fetches through announcement_source(options.source). Throws TransportError / HttpStatusError (network), ParseError (unreadable document,
// with source and position), IncompleteFetchError (a document holding fewer entries than it
// declares, fewer papers than the source declared, a feed at its 2000-item limit, a listing page
// for another date; API: a declared total above `api_max_results`, a page that repeats ids
// already received or brings none while the declared total is not reached, the total changing
// while paging, or results none of which lies in the window and categories). Each names the URL
// (and for API pages the start offset). Never returns a partial day as success. Requests go one
// after the other through `http`: the caller composes the polite client that spaces them.
// `env` stamps Announcement::fetched_at.
// `calendar` gives the API source its submission window and tells an empty feed on a listing day
// apart from a day without listing.
FetchResult fetch_announcement(HttpClient& http, const FetchOptions& options,
                               const AnnouncementCalendar& calendar, const Env& env);

// The submissions a listing contains: (cutoff of the previous listing, cutoff of this one],
// cutoffs being 14:00 America/New_York on the weekday before the listing date. Approximate for
// papers arXiv held back; used only by the API source.
struct SubmissionWindow {
  std::chrono::sys_seconds from;
  std::chrono::sys_seconds to;
};
SubmissionWindow submission_window(const AnnouncementCalendar& calendar, Date listing_date);
// True when `submitted` (an API entry's <published>, the v1 submission), taken to the minute, lies
// in (from, to]: the minutes api_query_url asks for. The API source drops entries outside it.
bool in_submission_window(const SubmissionWindow& window, std::chrono::sys_seconds submitted);
// The query for one page: categories OR-ed, submittedDate bounded by the window, sorted by
// submission date; with_query(api_url, ...).
std::string api_query_url(const FetchOptions& options, const SubmissionWindow& window,
                          std::size_t start);

// URL helpers (exposed for tests and `fetch --dry-run`).
//
// join_url(base, path): `base` and `path` with exactly one '/' between them, whether or not
// `base` ends with one or `path` starts with one: ("https://arxiv.org/list", "cs.LG/new") and
// ("https://arxiv.org/list/", "cs.LG/new") both give "https://arxiv.org/list/cs.LG/new". Local
// folders and file:// URLs are joined the same way ("feeds" -> "feeds/cs.LG"). For an http(s)
// base with a query string or fragment, `path` goes before it: ("https://h/rss?version=2.0",
// "cs.LG") -> "https://h/rss/cs.LG?version=2.0". An empty base gives `path` unchanged.
std::string join_url(std::string_view base, std::string_view path);
// with_query(endpoint, query): "endpoint?query", or "endpoint&query" when the endpoint already
// has a query string.
std::string with_query(std::string_view endpoint, std::string_view query);
// join_url(rss_url, "cs.AI+cs.LG").
std::string rss_feed_url(const FetchOptions& options);
// join_url(listing_url, "<category>/new").
std::string listing_page_url(const FetchOptions& options, const std::string& category);

// Looks papers up by id through the query API (`api_url`?id_list=..., 100 ids per request, through
// `http` with `timeout` and `on_request`), e.g. a topic's example papers. Returns the papers arXiv
// knows, sorted by id; ids it does not know are simply absent. Throws like fetch_announcement for
// HTTP errors and unparsable answers (arXiv's "incorrect id format" error quotes the id).
std::vector<Paper> fetch_papers_by_id(HttpClient& http, const FetchOptions& options,
                                      const std::vector<ArxivId>& ids);

// Merges `papers` into one list: one entry per version-less id (highest version wins, categories
// united, announce type = highest priority: new > cross > replace > replace-cross), sorted by id.
std::vector<Paper> merge_papers(std::vector<Paper> papers);

}  // namespace arxiv_digest
