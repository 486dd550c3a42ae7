// harvest_oai: takes a window of arXiv (from/until/set) into the archive through OAI-PMH
// ListRecords, page by page, resumable (PROTOCOLS.md, issue 11).
//
// Contract
// - Requests: `<base_url>?verb=ListRecords&metadataPrefix=<format>&from=<from>[&until=<until>]
//   [&set=<set>]` for the window's first page, then `<base_url>?verb=ListRecords&
//   resumptionToken=<token>` (percent-encoded) until a page comes without a token or with an
//   empty one. Everything goes through the given HttpClient: the cli passes PoliteHttpClient,
//   which keeps arXiv's one request per 3 s and honours 503 + Retry-After; this function adds
//   no waiting of its own.
// - Each page's papers and the harvest's progress (next token, pages, records, ...) are saved in
//   ONE archive transaction (Archive::save_harvest_page). A run that is killed loses at most
//   the page in flight; the next run of the same window starts from the stored token, so it
//   asks only for the pages not yet saved. A window whose last run completed is harvested
//   again from its start (arXiv updates records; saving is an idempotent upsert).
// - badResumptionToken (arXiv's tokens expire) on a resumed token: the window is restarted from
//   its first page once per run, reported through the observer; papers already saved are
//   upserted again, never duplicated. On the window's first request, or a second time in one
//   run, it is an error like the others.
// - noRecordsMatch: the harvest completes with nothing saved but its progress row.
// - Errors (nothing of the failed page is saved; earlier pages stay saved, so the run resumes):
//   a final HTTP status other than 200 -> HttpStatusError naming the URL and status; any other
//   OAI-PMH <error> or an unreadable page -> ParseError whose source is the request URL (so
//   the message names the request) and, for OAI errors, quotes arXiv's code and text;
//   TransportError and StoreError pass through unchanged.
// - The window must be valid (from <= until, format "arXiv" or "arXivRaw"): std::invalid_argument
//   otherwise (the cli checks first and reports a usage error).
// Not thread-safe (the archive is not); never prints.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>

#include "core/env.hpp"
#include "net/http_client.hpp"
#include "store/archive.hpp"

namespace arxiv_digest {

struct HarvestSettings {
  std::string base_url = "https://oaipmh.arxiv.org/oai";
  std::chrono::milliseconds timeout{120'000};  // per request, total (pages are up to ~1 MB)
};

// Told about each step; every member is optional. Called on the calling thread.
class HarvestObserver {
 public:
  virtual ~HarvestObserver() = default;
  // After each saved page, with the progress as stored.
  virtual void page_saved(const HarvestProgress& /*progress*/) {}
  // A decision worth a line: resuming, restarting after an expired token.
  virtual void note(std::string_view /*line*/) {}
};

struct HarvestReport {
  HarvestProgress progress;          // as stored at the end (complete = true on success)
  bool resumed = false;              // this run continued a stored token
  std::size_t restarts = 0;          // windows restarted after badResumptionToken
  std::size_t requests = 0;          // pages asked for by this run (retries not counted)
  std::size_t records_this_run = 0;  // papers saved by this run
};

// Harvests `window` as described above. `env` stamps started_at/updated_at (and fetched_at of
// new papers).
HarvestReport harvest_oai(const HarvestWindow& window, const HarvestSettings& settings,
                          HttpClient& http, Archive& archive, Env& env,
                          HarvestObserver* observer = nullptr);

// The URL of the window's first page / of the page after `token` (exposed for tests).
std::string oai_first_url(const HarvestWindow& window, std::string_view base_url);
std::string oai_resume_url(std::string_view token, std::string_view base_url);

// "page 3: 2,000 records, 95.2 records/s, ETA 1 h 02 min" for a progress line: `rate` is this
// run's records per second (0 = unknown: not shown); the ETA only when the total is known.
std::string format_harvest_progress(const HarvestProgress& progress, double rate);

}  // namespace arxiv_digest
