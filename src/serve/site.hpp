// Site: the web UI's pages, feeds, JSON API and static files, as a pure function from a request
// to a response (no sockets: the HTTP server in server.hpp only carries bytes to and from it, so
// every route is testable without a network).
//
// Routes (GET and HEAD only; any other method is answered 405):
//   /                          listing dates with a digest or an announcement, newest first
//   /digest/YYYY-MM-DD         the day's digest by topic (?topic=<slug>, ?lang=both|en|zh)
//   /paper/<arXiv id>          every stored version, where it was announced, which digests and
//                              topics included it
//   /search?q=&since=&until=&cat=&limit=   the topic query language over the archive
//   /feeds/<topic slug>.atom   the latest digest's feed for that topic; /feeds/digest.atom the
//                              whole latest digest (render's Atom renderer)
//   /api/digests, /api/digest/DATE, /api/paper/ID, /api/search?q=   the same as JSON (field
//                              names as in docs/json-schema.md)
//   /static/serve.css, /static/serve.js (built in), /static/katex/<file> (SiteOptions::katex_dir)
//
// Safety: nothing is written (the archive is only read); every value put into HTML goes through
// render's escape_html; HTML pages carry a Content-Security-Policy that allows scripts, styles
// and fonts from the site itself only (no inline script); every response has
// X-Content-Type-Options: nosniff and Referrer-Policy: no-referrer. Static files are served only
// from their folder: a path with an empty, "." or ".." segment, a backslash, a NUL or a '%' left
// after decoding, or one that resolves (symlinks too) outside the folder, is 404. Input is
// bounded: a parameter longer than SiteOptions::max_param_bytes (the query: max_query_bytes) or a
// malformed date, id, language, category or limit is 400; limits above max_limit are capped.
//
// Thread-safety: handle() uses the Archive, which is not thread-safe; the server serialises calls.
#pragma once

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/topic.hpp"
#include "store/archive.hpp"

namespace arxiv_digest::serve {

struct Request {
  std::string method = "GET";
  std::string path;  // percent-decoded, without the query string
  std::vector<std::pair<std::string, std::string>> params;  // decoded query parameters, in order

  // The first value of `name`, or nullopt.
  std::optional<std::string> param(std::string_view name) const;
};

struct Response {
  int status = 200;
  std::string content_type = "text/html; charset=utf-8";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // security headers included

  // The value of header `name` (case-insensitive), or "".
  std::string header(std::string_view name) const;
};

// What a search asks for: already validated by the site.
struct SearchQuery {
  std::string query;  // the topic query language (non-empty, at most max_query_bytes)
  std::optional<Date> since;
  std::optional<Date> until;
  std::string category;  // "" = any
  std::size_t limit = 50;
};

struct SearchHit {
  Paper paper;                              // the latest version
  std::optional<PaperTranslation> translation;
  std::vector<MatchSpan> spans;             // where the query matched (title, abstract), if known
  std::optional<Date> listing_date;         // the latest listing that announced it, if any
  double score = 0;
};

struct SearchResults {
  std::vector<SearchHit> hits;
  std::size_t total = 0;  // matches in all (hits holds at most limit of them); a lower bound
                          // when `truncated`
  bool truncated = false;  // the search stopped at its time or size budget
};

// The search behind /search and /api/search. It throws ParseError for a query it cannot parse
// (answered 400 with its message) and may throw StoreError (500).
using SearchFunction = std::function<SearchResults(const SearchQuery&)>;

struct SiteOptions {
  // KaTeX's dist folder (katex.min.css, katex.min.js, contrib/auto-render.min.js, fonts/),
  // served at /static/katex/. Empty: pages show TeX as written.
  std::filesystem::path katex_dir;
  // Where to look for <date>.json when the file a digest record names is gone or relative.
  std::filesystem::path digest_dir;
  // Unset: /search and /api/search answer 404.
  SearchFunction search;
  // The Atom feeds' self links point at <feed_base_url>/feeds/...; empty = no self link.
  std::string feed_base_url;
  std::size_t max_query_bytes = 256;
  std::size_t max_param_bytes = 64;
  std::size_t max_limit = 100;
  std::size_t default_limit = 25;
  std::size_t max_dates = 1000;  // on / and /api/digests
};

class Site {
 public:
  // `archive` must outlive the site.
  Site(Archive& archive, SiteOptions options);

  // Never throws: a failure while answering becomes a 500 page naming it (no secret can be in
  // it: the archive holds none).
  Response handle(const Request& request);

  // The Content-Security-Policy of the HTML pages.
  static const char* content_security_policy() noexcept;

 private:
  Response route(const Request& request);
  Response index_page(const Request& request);
  Response digest_page(const Request& request, std::string_view date);
  Response paper_page(const Request& request, std::string_view id);
  Response search_page(const Request& request);
  Response feed(std::string_view file);
  Response api_digests(const Request& request);
  Response api_digest(std::string_view date);
  Response api_paper(std::string_view id);
  Response api_search(const Request& request);
  Response static_file(std::string_view path);

  // The digest of `date` read back from its JSON file, or nullopt when none was recorded or the
  // file is gone. Throws ParseError for a file that is not a digest.
  std::optional<Digest> load_digest(Date date);

  Archive& archive_;
  SiteOptions options_;
};

}  // namespace arxiv_digest::serve
