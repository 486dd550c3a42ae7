#include "sources/announcement_fetcher.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

#include "core/error.hpp"
#include "sources/parsed_source.hpp"

namespace arxiv_digest {
namespace {

using std::chrono::days;
using std::chrono::sys_days;

// arXiv's RSS service returns at most this many items; a feed that size may be cut short.
constexpr std::size_t kRssItemLimit = 2000;

bool in_categories(std::string_view code, const std::vector<std::string>& categories) {
  for (const auto& c : categories) {
    if (code == c) return true;
    if (code.size() > c.size() && code.starts_with(c) && code[c.size()] == '.') return true;
  }
  return false;
}

// True when any of the paper's categories (primary or cross-list) is configured.
bool in_any_category(const Paper& paper, const std::vector<std::string>& categories) {
  return std::any_of(paper.categories.begin(), paper.categories.end(),
                     [&](const std::string& c) { return in_categories(c, categories); }) ||
         in_categories(paper.primary_category, categories);
}

std::string url_encode(std::string_view text) {
  std::string out;
  for (char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out += fmt::format("%{:02X}", c);
    }
  }
  return out;
}

std::string gmt_stamp(std::chrono::sys_seconds t) {
  auto day = std::chrono::floor<days>(t);
  std::chrono::year_month_day ymd{day};
  std::chrono::hh_mm_ss hms{t - day};
  return fmt::format("{:04}{:02}{:02}{:02}{:02}", static_cast<int>(ymd.year()),
                     static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                     hms.hours().count(), hms.minutes().count());
}

// "2026-06-16 18:00" (UTC), for messages.
std::string gmt_text(std::chrono::sys_seconds t) {
  const auto day = std::chrono::floor<days>(t);
  const std::chrono::hh_mm_ss hms{t - day};
  return fmt::format("{} {:02}:{:02}", format_date(Date{day}), hms.hours().count(),
                     hms.minutes().count());
}

HttpResponse get_ok(HttpClient& http, const std::string& url, const FetchOptions& options,
                    bool body_explains_400, std::size_t number = 1, std::size_t total = 1) {
  if (options.on_request) options.on_request(number, total, url);
  HttpRequest request;
  request.url = url;
  request.total_timeout = options.timeout;
  HttpResponse response = http.get(request);
  if (response.status == 200) return response;
  if (response.status == 400 && body_explains_400) return response;  // parser quotes arXiv's error
  throw HttpStatusError(response.status, url,
                        fmt::format("{} answered HTTP {}", url, response.status));
}

void check_date(const ParsedListing& parsed, const FetchOptions& options, const std::string& url) {
  if (!options.listing_date || !parsed.listing_date ||
      *parsed.listing_date == *options.listing_date)
    return;
  const bool behind =
      std::chrono::sys_days{*parsed.listing_date} < std::chrono::sys_days{*options.listing_date};
  throw IncompleteFetchError(fmt::format(
      "{} serves the listing of {}, not {}: {}", url, format_date(*parsed.listing_date),
      format_date(*options.listing_date),
      behind ? "it has not been updated yet (arXiv announces at 20:00 ET; listing pages update "
               "then, RSS feeds around midnight ET); retry later or use source = \"listing\""
             : "RSS feeds and listing pages only carry the latest day; use source = \"api\" "
               "(or the archive) for earlier dates"));
}

// Sets each paper's announce type relative to the configured categories (API papers).
void classify(Paper& paper, const std::vector<std::string>& categories) {
  paper.announce_type =
      in_categories(paper.primary_category, categories) ? AnnounceType::kNew : AnnounceType::kCross;
}

FetchResult finish(std::vector<Paper> papers, const FetchOptions& options, Announcement base) {
  FetchResult result;
  std::vector<Paper> merged = merge_papers(std::move(papers));
  for (auto& p : merged) {
    if (std::find(options.keep.begin(), options.keep.end(), p.announce_type) != options.keep.end())
      base.papers.push_back(std::move(p));
    else
      ++result.dropped_by_type;
  }
  result.announcement = std::move(base);
  return result;
}

FetchResult fetch_rss(HttpClient& http, const FetchOptions& options,
                      const AnnouncementCalendar& calendar, Announcement base) {
  const std::string url = rss_feed_url(options);
  HttpResponse response = get_ok(http, url, options, /*body_explains_400=*/true);
  ParsedListing parsed = parse_rss(response.body, url);
  if (response.status == 400)  // a 400 whose body did not parse as arXiv's error feed
    throw HttpStatusError(400, url, fmt::format("{} answered HTTP 400", url));
  base.source_url = url;
  if (parsed.papers.empty()) {
    FetchResult result;
    result.status = FetchResult::Status::kNoAnnouncement;
    Date day = options.listing_date ? *options.listing_date : parsed.listing_date.value_or(Date{});
    result.note = fmt::format(
        "the RSS feed {} is empty{}", url,
        options.listing_date && calendar.has_listing(*options.listing_date)
            ? fmt::format(" although {} is a listing day (arXiv may not have announced yet, or "
                          "deferred the mailing)",
                          format_date(day))
            : "");
    result.announcement = std::move(base);
    result.announcement.listing_date = day;
    return result;
  }
  check_date(parsed, options, url);
  if (parsed.papers.size() >= kRssItemLimit)
    throw IncompleteFetchError(fmt::format(
        "{} returned {} items, arXiv's RSS limit: the day may be cut short; use source = "
        "\"listing\" or fewer categories per feed",
        url, parsed.papers.size()));
  if (parsed.listing_date) base.listing_date = *parsed.listing_date;
  return finish(std::move(parsed.papers), options, std::move(base));
}

FetchResult fetch_listing(HttpClient& http, const FetchOptions& options, Announcement base) {
  std::vector<Paper> all;
  std::optional<Date> day;
  std::size_t declared = 0;
  std::size_t number = 0;
  for (const auto& category : options.categories) {
    const std::string url = listing_page_url(options, category);
    HttpResponse response = get_ok(http, url, options, false, ++number, options.categories.size());
    ParsedListing parsed = parse_listing_page(response.body, url);
    if (base.source_url.empty()) base.source_url = url;
    if (parsed.papers.empty()) continue;  // "No updates today." for this category
    check_date(parsed, options, url);
    if (parsed.listing_date) {
      if (day && *day != *parsed.listing_date)
        throw IncompleteFetchError(fmt::format(
            "{} shows the listing of {} while an earlier page showed {}: arXiv was mid-update; "
            "retry in a few minutes",
            url, format_date(*parsed.listing_date), format_date(*day)));
      day = parsed.listing_date;
    }
    if (!parsed.declared_total)
      throw ParseError(url, 0, 0, "div.paging",
                       fmt::format("{}: the page does not say how many entries it has "
                                   "(\"Total of N entries\"), so completeness cannot be checked",
                                   url));
    if (*parsed.declared_total != parsed.papers.size())
      throw IncompleteFetchError(
          fmt::format("{} declares {} entries but {} were received: the page is incomplete", url,
                      *parsed.declared_total, parsed.papers.size()));
    declared += *parsed.declared_total;
    for (auto& p : parsed.papers) all.push_back(std::move(p));
  }
  if (all.empty()) {
    FetchResult result;
    result.status = FetchResult::Status::kNoAnnouncement;
    result.note = "every listing page says \"No updates today.\"";
    result.announcement = std::move(base);
    if (options.listing_date) result.announcement.listing_date = *options.listing_date;
    return result;
  }
  if (day) base.listing_date = *day;
  base.declared_count = declared;
  return finish(std::move(all), options, std::move(base));
}

FetchResult fetch_api(HttpClient& http, const FetchOptions& options,
                      const AnnouncementCalendar& calendar, Announcement base) {
  if (!options.listing_date)
    throw ConfigError("the API source needs a listing date (--date YYYY-MM-DD)");
  const SubmissionWindow window = submission_window(calendar, *options.listing_date);
  const std::string day = format_date(*options.listing_date);
  std::vector<Paper> kept;
  std::set<std::string> seen;  // version-less ids received so far
  std::size_t received = 0;
  std::size_t dropped = 0;
  std::optional<std::size_t> total;
  while (!total || received < *total) {
    const std::size_t start = received;
    const std::string url = api_query_url(options, window, start);
    if (base.source_url.empty()) base.source_url = url;
    const std::size_t pages =
        total ? (*total + options.api_page_size - 1) / options.api_page_size : 1;
    HttpResponse response =
        get_ok(http, url, options, /*body_explains_400=*/true, start / options.api_page_size + 1,
               std::max<std::size_t>(pages, 1));
    ParsedApiPage page = parse_api_atom(response.body, url);
    if (response.status == 400)
      throw HttpStatusError(400, url, fmt::format("{} answered HTTP 400", url));
    const std::size_t declared = page.listing.declared_total.value_or(page.listing.papers.size());
    if (total && declared != *total)
      throw IncompleteFetchError(fmt::format(
          "{}: the result count changed from {} to {} while paging (start {}); retry later", url,
          *total, declared, start));
    if (!total && declared > options.api_max_results)
      throw IncompleteFetchError(fmt::format(
          "{} declares {} results for the listing of {}, more than the {} any real day reaches "
          "(arXiv announces a few thousand papers a day at most): the server did not apply the "
          "date and category filter; nothing was paged or archived",
          url, declared, day, options.api_max_results));
    total = declared;
    if (page.listing.papers.empty()) {
      if (received < *total)
        throw IncompleteFetchError(fmt::format(
            "{}: the page at start {} holds no entries although only {} of the {} declared "
            "results arrived (arXiv sometimes serves empty pages; retry later)",
            url, start, received, *total));
      break;
    }
    for (const Paper& p : page.listing.papers) {
      if (!seen.insert(p.id.key()).second)
        throw IncompleteFetchError(fmt::format(
            "{}: the page at start {} repeats {}, already received: the server is not paging "
            "(after {} of the {} declared results); stopped",
            url, start, p.id.key(), received, *total));
    }
    received += page.listing.papers.size();
    if (received > *total)
      throw IncompleteFetchError(fmt::format(
          "{}: the API declared {} results for {} but the page at start {} brings the count to {}",
          url, *total, day, start, received));
    for (auto& p : page.listing.papers) {
      if (!p.submitted || !in_submission_window(window, *p.submitted) ||
          !in_any_category(p, options.categories)) {
        ++dropped;
        continue;
      }
      classify(p, options.categories);
      kept.push_back(std::move(p));
    }
  }
  base.listing_date = *options.listing_date;
  base.declared_count = total;
  if (received == 0) {
    FetchResult result;
    result.status = FetchResult::Status::kNoAnnouncement;
    result.note = "the API found no submissions in the listing's window";
    result.announcement = std::move(base);
    return result;
  }
  if (kept.empty())
    throw IncompleteFetchError(fmt::format(
        "none of the {} entries the API returned for {} ({}) was submitted in the listing's "
        "window ({} to {} UTC) in {}: the server did not apply the query; nothing was archived",
        received, day, base.source_url, gmt_text(window.from), gmt_text(window.to),
        fmt::join(options.categories, ", ")));
  FetchResult result = finish(std::move(kept), options, std::move(base));
  result.dropped_outside = dropped;
  return result;
}

}  // namespace

std::string join_url(std::string_view base, std::string_view path) {
  if (base.empty()) return std::string(path);
  std::string_view suffix;  // "?query" / "#fragment" of an http(s) base
  const auto scheme_end = base.find("://");
  if (scheme_end != std::string_view::npos) {
    const std::string_view scheme = base.substr(0, scheme_end);
    if (scheme == "http" || scheme == "https") {
      const auto at = base.find_first_of("?#", scheme_end + 3);
      if (at != std::string_view::npos) {
        suffix = base.substr(at);
        base = base.substr(0, at);
      }
    }
  }
  while (path.starts_with('/')) path.remove_prefix(1);
  std::string out(base);
  if (!out.ends_with('/')) out.push_back('/');
  out.append(path);
  out.append(suffix);
  return out;
}

std::string with_query(std::string_view endpoint, std::string_view query) {
  std::string out(endpoint);
  if (endpoint.find('?') == std::string_view::npos)
    out.push_back('?');
  else if (!endpoint.ends_with('?') && !endpoint.ends_with('&'))
    out.push_back('&');
  out.append(query);
  return out;
}

std::string rss_feed_url(const FetchOptions& options) {
  return join_url(options.rss_url, fmt::format("{}", fmt::join(options.categories, "+")));
}

std::string listing_page_url(const FetchOptions& options, const std::string& category) {
  return join_url(options.listing_url, category + "/new");
}

SubmissionWindow submission_window(const AnnouncementCalendar& calendar, Date listing_date) {
  // Cutoff of listing D: 14:00 ET on the weekday before D. announcement_instant(D) is 20:00 ET
  // on D-1, so for Tuesday-Friday listings the cutoff is that instant minus 6 h; a Monday
  // listing (announced Sunday) closes on Friday 14:00 ET.
  auto cutoff = [&](Date d) {
    sys_days day{d};
    std::chrono::weekday wd{day};
    Date before = wd == std::chrono::Monday ? Date{day - days{2}} : d;
    return calendar.announcement_instant(before) - std::chrono::hours{6};
  };
  return {cutoff(calendar.previous_listing_before(listing_date)), cutoff(listing_date)};
}

bool in_submission_window(const SubmissionWindow& window, std::chrono::sys_seconds submitted) {
  const auto minute = std::chrono::floor<std::chrono::minutes>(submitted);
  return minute > window.from && minute <= window.to;
}

std::string api_query_url(const FetchOptions& options, const SubmissionWindow& window,
                          std::size_t start) {
  std::vector<std::string> cats;
  for (const auto& c : options.categories) cats.push_back("cat:" + c);
  // submittedDate bounds are inclusive minutes in GMT; start one minute after the previous cutoff.
  std::string query =
      fmt::format("({}) AND submittedDate:[{} TO {}]", fmt::join(cats, " OR "),
                  gmt_stamp(window.from + std::chrono::minutes{1}), gmt_stamp(window.to));
  return with_query(options.api_url,
                    fmt::format("search_query={}&start={}&max_results={}&sortBy=submittedDate&"
                                "sortOrder=ascending",
                                url_encode(query), start, options.api_page_size));
}

std::vector<Paper> fetch_papers_by_id(HttpClient& http, const FetchOptions& options,
                                      const std::vector<ArxivId>& ids) {
  constexpr std::size_t kIdsPerRequest = 100;
  std::vector<Paper> found;
  const std::size_t requests = (ids.size() + kIdsPerRequest - 1) / kIdsPerRequest;
  for (std::size_t r = 0; r < requests; ++r) {
    std::vector<std::string> batch;
    for (std::size_t i = r * kIdsPerRequest; i < std::min(ids.size(), (r + 1) * kIdsPerRequest);
         ++i)
      batch.push_back(ids[i].str());
    const std::string url =
        with_query(options.api_url,
                   fmt::format("id_list={}&start=0&max_results={}",
                               url_encode(fmt::format("{}", fmt::join(batch, ","))), batch.size()));
    HttpResponse response = get_ok(http, url, options, /*body_explains_400=*/true, r + 1, requests);
    ParsedApiPage page = parse_api_atom(response.body, url);  // quotes arXiv's error entry
    if (response.status == 400)
      throw HttpStatusError(400, url, fmt::format("{} answered HTTP 400", url));
    // arXiv sometimes serves short pages: an id must not be taken for unknown because of one.
    if (page.listing.declared_total && *page.listing.declared_total > page.listing.papers.size())
      throw IncompleteFetchError(fmt::format("{} declares {} papers but holds {}", url,
                                             *page.listing.declared_total,
                                             page.listing.papers.size()));
    for (Paper& p : page.listing.papers) found.push_back(std::move(p));
  }
  return merge_papers(std::move(found));
}

std::vector<Paper> merge_papers(std::vector<Paper> papers) {
  std::map<std::string, Paper> by_key;
  for (auto& p : papers) {
    auto [it, inserted] = by_key.try_emplace(p.id.key(), p);
    if (inserted) continue;
    Paper& kept = it->second;
    AnnounceType best = std::min(kept.announce_type, p.announce_type);
    if (p.id.version() > kept.id.version()) {
      std::vector<std::string> cats = std::move(kept.categories);
      kept = std::move(p);
      for (const auto& c : cats) kept.add_category(c);
    } else {
      for (const auto& c : p.categories) kept.add_category(c);
    }
    kept.announce_type = best;
  }
  std::vector<Paper> out;
  out.reserve(by_key.size());
  for (auto& [key, p] : by_key) out.push_back(std::move(p));
  std::sort(out.begin(), out.end(), [](const Paper& a, const Paper& b) { return a.id < b.id; });
  return out;
}

namespace {

class RssSource final : public AnnouncementSource {
 public:
  SourceKind kind() const noexcept override { return SourceKind::kRss; }
  FetchResult fetch(HttpClient& http, const FetchOptions& options,
                    const AnnouncementCalendar& calendar, Announcement base) const override {
    return fetch_rss(http, options, calendar, std::move(base));
  }
};

class ListingSource final : public AnnouncementSource {
 public:
  SourceKind kind() const noexcept override { return SourceKind::kListing; }
  FetchResult fetch(HttpClient& http, const FetchOptions& options, const AnnouncementCalendar&,
                    Announcement base) const override {
    return fetch_listing(http, options, std::move(base));
  }
};

class ApiSource final : public AnnouncementSource {
 public:
  SourceKind kind() const noexcept override { return SourceKind::kApi; }
  FetchResult fetch(HttpClient& http, const FetchOptions& options,
                    const AnnouncementCalendar& calendar, Announcement base) const override {
    return fetch_api(http, options, calendar, std::move(base));
  }
};

}  // namespace

const AnnouncementSource& announcement_source(SourceKind kind) {
  static const RssSource rss;
  static const ListingSource listing;
  static const ApiSource api;
  switch (kind) {
    case SourceKind::kRss: return rss;
    case SourceKind::kListing: return listing;
    case SourceKind::kApi: return api;
  }
  throw ConfigError(fmt::format("unknown source kind {}", static_cast<int>(kind)));
}

FetchResult fetch_announcement(HttpClient& http, const FetchOptions& options,
                               const AnnouncementCalendar& calendar, const Env& env) {
  if (options.categories.empty()) throw ConfigError("no categories to fetch");
  Announcement base;
  base.categories = options.categories;
  base.source = options.source;
  base.fetched_at = env.now();
  if (options.listing_date) base.listing_date = *options.listing_date;
  FetchResult result =
      announcement_source(options.source).fetch(http, options, calendar, std::move(base));
  result.announcement.complete = result.status == FetchResult::Status::kFetched;
  return result;
}

}  // namespace arxiv_digest
