// AnnouncementFetcher: one listing day for a set of categories, from any source, checked for
// completeness. Built on HttpClient (so file://, local paths, caching and politeness come from
// the client stack the caller composes) and the pure parsers.
#pragma once

#include <functional>
#include <optional>
#include <string>
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
  std::string rss_url = "https://rss.arxiv.org/rss/";
  std::string listing_url = "https://arxiv.org/list/";
  std::string api_url = "https://export.arxiv.org/api/query";
  // The listing date wanted. RSS and listing pages only serve the latest day: a document for
  // another date is an error. Required for the API source.
  std::optional<Date> listing_date;
  std::chrono::milliseconds timeout{60'000};
  std::size_t api_page_size = 500;  // API results per request (arXiv allows up to 2000)
  // Called before each request with (1-based request number, requests known so far, URL); the
  // total grows while API pages are discovered. May be empty. Lets the cli show progress.
  std::function<void(std::size_t, std::size_t, const std::string&)> on_request;
};

// Expected outcomes are values: either a fetched announcement or "arXiv made no announcement".
struct FetchResult {
  enum class Status { kFetched, kNoAnnouncement };
  Status status = Status::kFetched;
  Announcement announcement;  // kFetched: papers filtered by `keep`, de-duplicated, id order
  std::size_t dropped_by_type = 0;  // papers announced but filtered out by announce type
  std::string note;           // kNoAnnouncement: why (e.g. "the RSS feed is empty")
};

// Fetches. Throws TransportError / HttpStatusError (network), ParseError (bad document, with
// source and position), IncompleteFetchError (fewer papers than the source declared, a feed at
// its 2000-item limit, a listing page for another date). Never returns a partial day as success.
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
std::string api_query_url(const FetchOptions& options, const SubmissionWindow& window,
                          std::size_t start);

// URL helpers (exposed for tests and `fetch --dry-run`).
std::string rss_feed_url(const FetchOptions& options);
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
