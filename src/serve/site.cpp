#include "serve/site.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <system_error>

#include "core/error.hpp"
#include "core/taxonomy.hpp"
#include "core/text.hpp"
#include "render/renderer.hpp"
#include "serve/assets.hpp"
#include "serve/digest_json.hpp"

namespace arxiv_digest::serve {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::ordered_json;

// Scripts, styles and fonts from this site only: KaTeX's auto-render is started by serve.js, not
// by an inline handler. KaTeX sets its sizes through the CSSOM, which style-src does not govern.
constexpr const char* kCsp =
    "default-src 'none'; script-src 'self'; style-src 'self'; font-src 'self'; img-src 'self'; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

constexpr std::size_t kMaxStaticBytes = 8u << 20;  // KaTeX's largest file is ~300 kB

std::string esc(std::string_view text) { return escape_html(text); }

// Percent-encodes a query parameter value (RFC 3986 unreserved kept).
std::string url_encode(std::string_view text) {
  std::string out;
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) != 0 || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += fmt::format("%{:02X}", c);
    }
  }
  return out;
}

class BadRequest : public Error {
 public:
  using Error::Error;
};

class NotFound : public Error {
 public:
  using Error::Error;
};

Date parse_date_or_400(std::string_view text, std::string_view what) {
  const auto date = text.size() == 10 ? parse_date(text) : std::nullopt;
  if (!date) throw BadRequest(fmt::format("{} '{}' is not a date like 2026-06-18", what, text));
  return *date;
}

ArxivId parse_id_or_400(std::string_view text) {
  ArxivId id;
  std::string why;
  if (text.size() > 40 || !ArxivId::try_parse(std::string(text), id, &why))
    throw BadRequest(fmt::format("'{}' is not an arXiv id: {}", text, why));
  return id;
}

// ---- page frame ---------------------------------------------------------------------------------

struct Page {
  std::string title;
  std::string body;
  bool math = false;
  std::string search_value;
};

std::string frame(const Page& page, bool katex) {
  std::string out;
  out += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  out += "<meta name=\"color-scheme\" content=\"light dark\">\n";
  out += fmt::format("<title>{} · arxiv-digest</title>\n", esc(page.title));
  out += "<link rel=\"stylesheet\" href=\"/static/serve.css\">\n";
  if (page.math && katex) {
    out += "<link rel=\"stylesheet\" href=\"/static/katex/katex.min.css\">\n";
    out += "<script defer src=\"/static/katex/katex.min.js\"></script>\n";
    out += "<script defer src=\"/static/katex/contrib/auto-render.min.js\"></script>\n";
  }
  out += "<script defer src=\"/static/serve.js\"></script>\n";
  out += "<link rel=\"alternate\" type=\"application/atom+xml\" title=\"Latest digest\" "
         "href=\"/feeds/digest.atom\">\n</head>\n<body>\n";
  out += "<header class=\"top\"><a class=\"home\" href=\"/\" accesskey=\"h\">arxiv-digest</a>\n";
  out += fmt::format(
      "<form class=\"search\" action=\"/search\" method=\"get\" role=\"search\">"
      "<input type=\"search\" name=\"q\" value=\"{}\" placeholder=\"Search: ti:diffusion AND "
      "cat:cs.RO\" aria-label=\"Search query\" accesskey=\"s\" maxlength=\"256\">"
      "<button type=\"submit\">Search</button></form>\n</header>\n",
      esc(page.search_value));
  out += "<main id=\"main\">\n" + page.body + "</main>\n";
  out += "<footer class=\"help\">Keys: <kbd>j</kbd>/<kbd>k</kbd> next/previous paper, "
         "<kbd>/</kbd> search, <kbd>Alt</kbd>+<kbd>Shift</kbd>+<kbd>h</kbd> home.</footer>\n";
  out += "</body>\n</html>\n";
  return out;
}

Response html(int status, std::string body) {
  Response response;
  response.status = status;
  response.body = std::move(body);
  return response;
}

Response error_page(int status, std::string_view message, bool katex) {
  const char* title = status == 400   ? "Bad request"
                      : status == 404 ? "Not found"
                      : status == 405 ? "Method not allowed"
                                      : "Server error";
  Page page{fmt::format("{} {}", status, title),
            fmt::format("<h1>{} {}</h1>\n<p class=\"error\">{}</p>\n<p><a href=\"/\">All digests</a></p>\n",
                        status, title, esc(message)),
            false, ""};
  return html(status, frame(page, katex));
}

Response json_response(const Json& value, int status = 200) {
  Response response;
  response.status = status;
  response.content_type = "application/json; charset=utf-8";
  response.body = value.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
  return response;
}

// ---- highlights -----------------------------------------------------------------------------

using Ranges = std::vector<std::pair<std::size_t, std::size_t>>;

// TeX math spans ($...$, $$...$$, delimiters included): a <mark> inside one would break KaTeX.
Ranges math_spans(std::string_view text) {
  Ranges out;
  std::size_t i = 0;
  while (i < text.size()) {
    if (text[i] == '\\') {
      i += 2;
      continue;
    }
    if (text[i] != '$') {
      ++i;
      continue;
    }
    const std::size_t delimiter = i + 1 < text.size() && text[i + 1] == '$' ? 2 : 1;
    std::size_t j = i + delimiter;
    std::size_t close = std::string_view::npos;
    while (j < text.size()) {
      if (text[j] == '\\') {
        j += 2;
        continue;
      }
      if (text.compare(j, delimiter, delimiter == 2 ? "$$" : "$") == 0) {
        close = j;
        break;
      }
      ++j;
    }
    if (close == std::string_view::npos) break;
    out.emplace_back(i, close + delimiter);
    i = close + delimiter;
  }
  return out;
}

Ranges field_ranges(const std::vector<MatchSpan>& spans, MatchField field, std::string_view text) {
  Ranges ranges;
  for (const MatchSpan& span : spans)
    if (span.field == field && span.begin < span.end && span.end <= text.size())
      ranges.emplace_back(span.begin, span.end);
  std::sort(ranges.begin(), ranges.end());
  Ranges merged;
  for (const auto& range : ranges) {
    if (!merged.empty() && range.first <= merged.back().second)
      merged.back().second = std::max(merged.back().second, range.second);
    else
      merged.push_back(range);
  }
  const Ranges math = math_spans(text);
  std::erase_if(merged, [&](const auto& range) {
    return std::any_of(math.begin(), math.end(), [&](const auto& m) {
      return range.first < m.second && m.first < range.second;
    });
  });
  return merged;
}

// `text` escaped, with `ranges` in <mark>.
std::string highlighted(std::string_view text, const Ranges& ranges) {
  std::string out;
  std::size_t at = 0;
  for (const auto& [begin, end] : ranges) {
    out += esc(text.substr(at, begin - at));
    out += "<mark>" + esc(text.substr(begin, end - begin)) + "</mark>";
    at = end;
  }
  out += esc(text.substr(at));
  return out;
}

// ---- papers -----------------------------------------------------------------------------------

enum class Lang { kBoth, kEnglish, kChinese };

Lang parse_lang(const Request& request) {
  const auto value = request.param("lang");
  if (!value || value->empty() || *value == "both") return Lang::kBoth;
  if (*value == "en") return Lang::kEnglish;
  if (*value == "zh") return Lang::kChinese;
  throw BadRequest(fmt::format("lang '{}' is not one of both, en, zh", *value));
}

std::string paper_links(const Paper& paper) {
  return fmt::format(
      "<a href=\"{}\" rel=\"noopener\">abs</a> · <a href=\"{}\" rel=\"noopener\">pdf</a>",
      esc(abs_url(paper.id)), esc(pdf_url(paper.id)));
}

std::string authors_line(const Paper& paper) {
  std::string out;
  for (std::size_t i = 0; i < paper.authors.size(); ++i) {
    if (i > 0) out += ", ";
    out += esc(paper.authors[i]);
  }
  return out;
}

std::string categories_line(const Paper& paper) {
  std::string out;
  for (std::size_t i = 0; i < paper.categories.size(); ++i) {
    if (i > 0) out += " ";
    out += fmt::format("<span class=\"cat\">{}</span>", esc(paper.categories[i]));
  }
  return out;
}

// One paper as an <article>: the title (a link to its page) and abstract in the chosen
// language(s), the words its topic found in <mark>.
std::string paper_article(const Paper& paper, const PaperTranslation* translation,
                          const std::vector<MatchSpan>& spans, Lang lang, std::string_view note) {
  const bool has_zh_title = translation != nullptr && !translation->title.empty();
  const bool has_zh_abstract = translation != nullptr && !translation->abstract.empty();
  const bool show_en = lang != Lang::kChinese;
  const bool show_zh = lang != Lang::kEnglish;
  std::string out = fmt::format("<article class=\"paper\" tabindex=\"-1\" data-id=\"{}\">\n",
                                esc(paper.id.key()));
  const std::string title_en = highlighted(paper.title, field_ranges(spans, MatchField::kTitle, paper.title));
  const std::string link = "/paper/" + paper.id.key();
  if (show_en || !has_zh_title) {
    out += fmt::format("<h3 lang=\"en\"><a href=\"{}\">{}</a></h3>\n", esc(link), title_en);
    if (show_zh && has_zh_title)
      out += fmt::format("<p class=\"zh title-zh\" lang=\"zh-Hans\">{}</p>\n", esc(translation->title));
  } else {
    out += fmt::format("<h3 lang=\"zh-Hans\"><a href=\"{}\">{}</a></h3>\n", esc(link),
                       esc(translation->title));
  }
  out += fmt::format("<p class=\"meta\"><span class=\"id\">{}</span> · {} · {}</p>\n",
                     esc(paper.id.str()), authors_line(paper), paper_links(paper));
  out += fmt::format("<p class=\"cats\">{}</p>\n", categories_line(paper));
  if (!note.empty()) out += fmt::format("<p class=\"why\">{}</p>\n", esc(note));
  if (show_en || !has_zh_abstract)
    out += fmt::format("<p class=\"abstract\" lang=\"en\">{}</p>\n",
                       highlighted(paper.abstract,
                                   field_ranges(spans, MatchField::kAbstract, paper.abstract)));
  if (show_zh && has_zh_abstract)
    out += fmt::format("<p class=\"abstract zh\" lang=\"zh-Hans\">{}</p>\n", esc(translation->abstract));
  out += "</article>\n";
  return out;
}

std::string lang_switch(std::string_view base, Lang current) {
  struct Choice {
    Lang lang;
    const char* value;
    const char* label;
  };
  constexpr std::array<Choice, 3> kChoices = {{{Lang::kBoth, "both", "English + 中文"},
                                               {Lang::kEnglish, "en", "English"},
                                               {Lang::kChinese, "zh", "中文"}}};
  std::string out = "<nav class=\"lang\" aria-label=\"Language\">";
  for (const Choice& choice : kChoices) {
    const std::string href = fmt::format("{}{}lang={}", base,
                                         base.find('?') == std::string_view::npos ? "?" : "&amp;",
                                         choice.value);
    // The current choice is plain text, not a link (tidy's HTML5 does not know aria-current).
    if (choice.lang == current)
      out += fmt::format("<strong class=\"current\">{}</strong> ", choice.label);
    else
      out += fmt::format("<a href=\"{}\" hreflang=\"{}\">{}</a> ", href, choice.value, choice.label);
  }
  return out + "</nav>\n";
}

std::string describe(const TopicResult& topic, std::size_t position) {
  if (position >= topic.reasons.size()) return {};
  const MatchReason& reason = topic.reasons[position];
  std::string out;
  for (const std::string& term : reason.terms) out += (out.empty() ? "" : ", ") + term;
  if (!out.empty()) out = "matched " + out;
  if (reason.score) out += fmt::format("{}score {:.2f}", out.empty() ? "" : "; ", *reason.score);
  return out;
}

// The schema's paper objects for `papers`, from render's JSON renderer (one definition of the
// field names: docs/json-schema.md).
Json papers_json(const std::vector<Paper>& papers, Date date) {
  Digest digest;
  digest.listing_date = date;
  digest.papers = papers;
  return Json::parse(render_json(digest))["papers"];
}

std::string content_type_for(const fs::path& path) {
  static const std::map<std::string, std::string> kTypes = {
      {".css", "text/css; charset=utf-8"},  {".js", "text/javascript; charset=utf-8"},
      {".woff2", "font/woff2"},            {".woff", "font/woff"},
      {".ttf", "font/ttf"},                {".json", "application/json; charset=utf-8"},
      {".svg", "image/svg+xml"},           {".txt", "text/plain; charset=utf-8"}};
  const auto found = kTypes.find(path.extension().string());
  return found != kTypes.end() ? found->second : "application/octet-stream";
}

// `relative` under `root`, or nullopt when it could leave it (see site.hpp) or is not a file.
std::optional<fs::path> contained_file(const fs::path& root, std::string_view relative) {
  if (relative.empty() || relative.front() == '/') return std::nullopt;
  if (relative.find_first_of(std::string_view("\\%\0", 3)) != std::string_view::npos) return std::nullopt;
  std::size_t start = 0;
  while (start <= relative.size()) {
    const std::size_t slash = std::min(relative.find('/', start), relative.size());
    const std::string_view segment = relative.substr(start, slash - start);
    if (segment.empty() || segment == "." || segment == "..") return std::nullopt;
    start = slash + 1;
  }
  std::error_code error;
  const fs::path canonical_root = fs::canonical(root, error);
  if (error) return std::nullopt;
  const fs::path file = fs::canonical(canonical_root / fs::path(std::string(relative)), error);
  if (error || !fs::is_regular_file(file, error)) return std::nullopt;
  // Symlinks resolved: the file must still be inside the root.
  const auto [root_end, ignored] =
      std::mismatch(canonical_root.begin(), canonical_root.end(), file.begin(), file.end());
  if (root_end != canonical_root.end()) return std::nullopt;
  return file;
}

std::optional<std::string> read_small_file(const fs::path& path, std::size_t limit) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::string data;
  char buffer[1 << 14];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    data.append(buffer, static_cast<std::size_t>(in.gcount()));
    if (data.size() > limit) return std::nullopt;
  }
  return data;
}

std::string short_date(const std::optional<std::chrono::sys_seconds>& when) {
  if (!when) return "";
  return format_date(Date{std::chrono::floor<std::chrono::days>(*when)});
}

}  // namespace

// ---- Request / Response ----------------------------------------------------------------------

std::optional<std::string> Request::param(std::string_view name) const {
  for (const auto& [key, value] : params)
    if (key == name) return value;
  return std::nullopt;
}

std::string Response::header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (key.size() == name.size() &&
        std::equal(key.begin(), key.end(), name.begin(), [](char a, char b) {
          return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
        }))
      return value;
  }
  return {};
}

// ---- Site -------------------------------------------------------------------------------------

Site::Site(Archive& archive, SiteOptions options) : archive_(archive), options_(std::move(options)) {}

const char* Site::content_security_policy() noexcept { return kCsp; }

Response Site::handle(const Request& request) {
  const bool katex = !options_.katex_dir.empty();
  Response response;
  try {
    if (request.method != "GET" && request.method != "HEAD") {
      response = error_page(405, "only GET and HEAD are served: this site is read-only", katex);
      response.headers.emplace_back("Allow", "GET, HEAD");
    } else {
      for (const auto& [key, value] : request.params) {
        const std::size_t cap = key == "q" ? options_.max_query_bytes : options_.max_param_bytes;
        if (value.size() > cap)
          throw BadRequest(fmt::format("parameter '{}' is longer than {} bytes", esc(key).substr(0, 32), cap));
      }
      response = route(request);
    }
  } catch (const BadRequest& e) {
    response = error_page(400, e.what(), katex);
  } catch (const ParseError& e) {
    response = error_page(400, e.what(), katex);
  } catch (const NotFound& e) {
    response = error_page(404, e.what(), katex);
  } catch (const std::exception& e) {
    response = error_page(500, e.what(), katex);
  }
  const bool is_api = request.path.starts_with("/api/");
  if (is_api && response.status >= 400 && response.content_type.starts_with("text/html")) {
    // The API answers errors as JSON too.
    const std::string message = response.body;
    const auto begin = message.find("<p class=\"error\">");
    const auto end = message.find("</p>", begin);
    std::string text = begin == std::string::npos ? "" : message.substr(begin + 17, end - begin - 17);
    const int status = response.status;
    std::vector<std::pair<std::string, std::string>> headers = std::move(response.headers);
    response = json_response(Json{{"error", {{"status", status}, {"message", text}}}}, status);
    response.headers = std::move(headers);
  }
  if (response.content_type.starts_with("text/html"))
    response.headers.emplace_back("Content-Security-Policy", kCsp);
  response.headers.emplace_back("X-Content-Type-Options", "nosniff");
  response.headers.emplace_back("Referrer-Policy", "no-referrer");
  response.headers.emplace_back("X-Frame-Options", "DENY");
  if (request.method == "HEAD") response.body.clear();
  return response;
}

Response Site::route(const Request& request) {
  const std::string_view path = request.path;
  auto after = [&](std::string_view prefix) -> std::optional<std::string_view> {
    if (path.starts_with(prefix) && path.size() > prefix.size()) return path.substr(prefix.size());
    return std::nullopt;
  };
  if (path == "/") return index_page(request);
  if (auto date = after("/digest/")) return digest_page(request, *date);
  if (auto id = after("/paper/")) return paper_page(request, *id);
  if (path == "/search") return search_page(request);
  if (auto file = after("/feeds/")) return feed(*file);
  if (path == "/api/digests") return api_digests(request);
  if (auto date = after("/api/digest/")) return api_digest(*date);
  if (auto id = after("/api/paper/")) return api_paper(*id);
  if (path == "/api/search") return api_search(request);
  if (auto file = after("/static/")) return static_file(*file);
  throw NotFound(fmt::format("there is no page at '{}'", path));
}

std::optional<Digest> Site::load_digest(Date date) {
  std::vector<fs::path> candidates;
  for (const DigestRecord& record : archive_.digests_for(date))
    if (record.format == "json") candidates.emplace_back(record.path);
  if (!options_.digest_dir.empty())
    candidates.push_back(options_.digest_dir / (format_date(date) + ".json"));
  for (const fs::path& path : candidates) {
    std::error_code error;
    if (!fs::is_regular_file(path, error)) continue;
    const auto text = read_small_file(path, 64u << 20);
    if (!text) continue;
    return digest_from_json(*text, path.string());
  }
  return std::nullopt;
}

Response Site::index_page(const Request&) {
  const std::vector<Date> dates = archive_.listing_dates(options_.max_dates);
  std::string body = "<h1>Digests</h1>\n";
  if (dates.empty()) body += "<p>The archive holds no listing yet: run <code>arxiv-digest run</code>.</p>\n";
  body += "<ul class=\"dates\">\n";
  for (const Date& date : dates) {
    std::size_t count = 0;
    bool digest = false;
    for (const DigestRecord& record : archive_.digests_for(date)) {
      digest = true;
      count = std::max(count, record.paper_count);
    }
    const std::string day = format_date(date);
    if (digest)
      body += fmt::format("<li><a href=\"/digest/{0}\">{0}</a> <span class=\"count\">{1} papers</span></li>\n",
                          day, count);
    else
      body += fmt::format("<li><a href=\"/digest/{0}\">{0}</a> <span class=\"count\">announcement only</span></li>\n", day);
  }
  body += "</ul>\n<p class=\"feeds\"><a href=\"/feeds/digest.atom\">Atom feed of the latest digest</a> · "
          "<a href=\"/api/digests\">JSON</a></p>\n";
  return html(200, frame(Page{"Digests", body, false, ""}, !options_.katex_dir.empty()));
}

Response Site::digest_page(const Request& request, std::string_view date_text) {
  const Date date = parse_date_or_400(date_text, "date");
  const Lang lang = parse_lang(request);
  const auto digest = load_digest(date);
  if (!digest) throw NotFound(fmt::format("no digest was recorded for {}", format_date(date)));
  const auto topic_param = request.param("topic");
  std::optional<std::size_t> only;
  if (topic_param && !topic_param->empty()) {
    for (std::size_t t = 0; t < digest->topics.size(); ++t)
      if (topic_slug(digest->topics[t].topic.name) == *topic_param) only = t;
    if (!only) throw NotFound(fmt::format("the digest of {} has no topic '{}'", format_date(date), *topic_param));
  }
  const std::string day = format_date(date);
  std::string base = "/digest/" + day;
  if (only) base += "?topic=" + url_encode(*topic_param);
  std::string body = fmt::format("<h1>arXiv digest · {}</h1>\n", day);
  body += fmt::format("<p class=\"summary\">{} papers selected from {} announced in {}.</p>\n",
                      digest->papers.size(), digest->announced_count,
                      esc(fmt::format("{}", fmt::join(digest->categories, ", "))));
  body += lang_switch(base, lang);
  const std::string lang_suffix = lang == Lang::kBoth ? "" : lang == Lang::kEnglish ? "&amp;lang=en" : "&amp;lang=zh";
  body += "<nav class=\"topics\" aria-label=\"Topics\"><ul>\n";
  for (const TopicResult& topic : digest->topics) {
    const std::string slug = topic_slug(topic.topic.name);
    body += fmt::format(
        "<li><a href=\"/digest/{}?topic={}{}\">{}</a> <span class=\"count\">{}</span> "
        "<a class=\"feed\" href=\"/feeds/{}.atom\" title=\"Atom feed\">feed</a></li>\n",
        day, esc(url_encode(slug)), lang_suffix, esc(topic.topic.name), topic.papers.size(),
        esc(url_encode(slug)));
  }
  body += "</ul></nav>\n";
  for (std::size_t t = 0; t < digest->topics.size(); ++t) {
    if (only && *only != t) continue;
    const TopicResult& topic = digest->topics[t];
    body += fmt::format("<section class=\"topic\" id=\"topic-{}\">\n<h2>Keyword: {} <span "
                        "class=\"count\">({})</span></h2>\n",
                        esc(topic_slug(topic.topic.name)), esc(topic.topic.name), topic.papers.size());
    if (topic.papers.empty()) body += "<p>No paper today.</p>\n";
    for (std::size_t i = 0; i < topic.papers.size(); ++i) {
      const std::size_t index = topic.papers[i];
      const Paper& paper = digest->papers[index];
      const PaperTranslation* translation =
          index < digest->translations.size() && digest->translations[index] ? &*digest->translations[index]
                                                                             : nullptr;
      static const std::vector<MatchSpan> kNoSpans;
      const std::vector<MatchSpan>& spans = i < topic.reasons.size() ? topic.reasons[i].spans : kNoSpans;
      body += paper_article(paper, translation, spans, lang, describe(topic, i));
    }
    body += "</section>\n";
  }
  return html(200, frame(Page{"Digest " + day, body, true, ""}, !options_.katex_dir.empty()));
}

Response Site::paper_page(const Request& request, std::string_view id_text) {
  const ArxivId id = parse_id_or_400(id_text);
  const Lang lang = parse_lang(request);
  const std::vector<Paper> versions = archive_.paper_versions(id.key());
  if (versions.empty()) throw NotFound(fmt::format("the archive has no paper {}", id.key()));
  const Paper& latest = versions.back();
  const std::vector<Archive::PaperListing> listings = archive_.paper_listings(id.key());

  // Which digests and topics included it: the digests of the days that announced it.
  std::string included;
  std::optional<PaperTranslation> translation;
  std::vector<MatchSpan> spans;
  std::set<std::string> seen_days;
  for (const Archive::PaperListing& listing : listings) {
    const std::string day = format_date(listing.listing_date);
    if (!seen_days.insert(day).second) continue;
    const auto digest = load_digest(listing.listing_date);
    if (!digest) continue;
    for (std::size_t p = 0; p < digest->papers.size(); ++p) {
      if (digest->papers[p].id.key() != id.key()) continue;
      if (!translation && p < digest->translations.size() && digest->translations[p])
        translation = digest->translations[p];
      for (const TopicResult& topic : digest->topics) {
        const auto at = std::find(topic.papers.begin(), topic.papers.end(), p);
        if (at == topic.papers.end()) continue;
        const std::size_t position = static_cast<std::size_t>(at - topic.papers.begin());
        if (spans.empty() && position < topic.reasons.size()) spans = topic.reasons[position].spans;
        const std::string slug = topic_slug(topic.topic.name);
        included += fmt::format("<li><a href=\"/digest/{0}?topic={1}\">{0} · {2}</a></li>\n", day,
                                esc(url_encode(slug)), esc(topic.topic.name));
      }
    }
  }
  // Spans are offsets into the version the digest had; only trust them on the same text.
  std::string body = paper_article(latest, translation ? &*translation : nullptr, spans, lang, "");
  body = "<h1 class=\"visually-hidden\">" + esc(latest.id.key()) + "</h1>\n" + lang_switch("/paper/" + id.key(), lang) + body;
  body += "<h2>Versions</h2>\n<table class=\"versions\"><thead><tr><th>Version</th><th>Updated</th>"
          "<th>Links</th></tr></thead><tbody>\n";
  for (const Paper& version : versions) {
    const std::string vid = version.id.str();
    body += fmt::format(
        "<tr><td>{0}</td><td>{1}</td><td><a href=\"https://arxiv.org/abs/{2}\" rel=\"noopener\">abs</a> · "
        "<a href=\"https://arxiv.org/pdf/{2}\" rel=\"noopener\">pdf</a></td></tr>\n",
        esc(vid), esc(short_date(version.updated ? version.updated : version.submitted)), esc(url_encode(vid)));
  }
  body += "</tbody></table>\n<h2>Announced</h2>\n<ul class=\"listings\">\n";
  for (const Archive::PaperListing& listing : listings) {
    body += fmt::format("<li><a href=\"/digest/{0}\">{0}</a> · {1} · {2}{3}</li>\n",
                        format_date(listing.listing_date), esc(listing.categories),
                        to_string(listing.announce_type),
                        listing.version > 0 ? fmt::format(" · v{}", listing.version) : "");
  }
  if (listings.empty()) body += "<li>in no saved announcement (looked up by id)</li>\n";
  body += "</ul>\n<h2>In digests</h2>\n<ul class=\"included\">\n";
  body += included.empty() ? "<li>no topic selected it</li>\n" : included;
  body += "</ul>\n";
  return html(200, frame(Page{latest.id.key() + ": " + latest.title, body, true, ""},
                         !options_.katex_dir.empty()));
}

namespace {

SearchQuery search_query(const Request& request, const SiteOptions& options) {
  SearchQuery query;
  query.query = std::string(trim(request.param("q").value_or("")));
  if (const auto since = request.param("since"); since && !since->empty())
    query.since = parse_date_or_400(*since, "since");
  if (const auto until = request.param("until"); until && !until->empty())
    query.until = parse_date_or_400(*until, "until");
  if (query.since && query.until && *query.until < *query.since)
    throw BadRequest("until is before since");
  if (const auto cat = request.param("cat"); cat && !cat->empty()) {
    const bool plain = std::all_of(cat->begin(), cat->end(), [](char c) {
      return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '.' || c == '-';
    });
    if (!plain || cat->size() > 32) throw BadRequest(fmt::format("cat '{}' is not a category code", *cat));
    query.category = *cat;
  }
  query.limit = options.default_limit;
  if (const auto limit = request.param("limit"); limit && !limit->empty()) {
    std::size_t value = 0;
    const auto [end, error] = std::from_chars(limit->data(), limit->data() + limit->size(), value);
    if (error != std::errc() || end != limit->data() + limit->size() || value == 0)
      throw BadRequest(fmt::format("limit '{}' is not a positive number", *limit));
    query.limit = std::min(value, options.max_limit);
  }
  return query;
}

}  // namespace

Response Site::search_page(const Request& request) {
  if (!options_.search) throw NotFound("search is not available in this build");
  const Lang lang = parse_lang(request);
  const SearchQuery query = search_query(request, options_);
  std::string body = "<h1>Search</h1>\n";
  body += fmt::format(
      "<form class=\"filters\" action=\"/search\" method=\"get\">"
      "<label>Query <input name=\"q\" value=\"{}\" maxlength=\"256\"></label> "
      "<label>Since <input type=\"date\" name=\"since\" value=\"{}\"></label> "
      "<label>Until <input type=\"date\" name=\"until\" value=\"{}\"></label> "
      "<label>Category <input name=\"cat\" value=\"{}\" size=\"8\" maxlength=\"32\"></label> "
      "<button type=\"submit\">Search</button></form>\n",
      esc(query.query), query.since ? format_date(*query.since) : "",
      query.until ? format_date(*query.until) : "", esc(query.category));
  body += "<p class=\"help\">The topic query language: words, <code>\"phrases\"</code>, "
          "<code>ti:</code> <code>abs:</code> <code>au:</code> <code>cat:</code>, AND / OR / NOT, "
          "parentheses.</p>\n";
  if (!query.query.empty()) {
    const SearchResults results = options_.search(query);
    body += fmt::format("<p class=\"summary\">{}{} results{}.{}</p>\n",
                        results.truncated ? "at least " : "", results.total,
                        results.total > results.hits.size()
                            ? fmt::format(" (the first {} shown)", results.hits.size())
                            : "",
                        results.truncated ? " The search stopped at its time budget: narrow it "
                                            "with since, until or cat."
                                          : "");
    for (const SearchHit& hit : results.hits) {
      const std::string note = hit.listing_date ? "announced " + format_date(*hit.listing_date) : "";
      body += paper_article(hit.paper, hit.translation ? &*hit.translation : nullptr, hit.spans, lang, note);
    }
  }
  return html(200, frame(Page{query.query.empty() ? "Search" : "Search: " + query.query, body, true, query.query},
                         !options_.katex_dir.empty()));
}

Response Site::feed(std::string_view file) {
  if (!file.ends_with(".atom") || file.size() > 200) throw NotFound(fmt::format("no feed '{}'", file));
  const std::string_view slug = file.substr(0, file.size() - 5);
  // The latest digest that has this topic (or any digest, for digest.atom); a bounded look back.
  for (const Date& date : archive_.listing_dates(30)) {
    const auto digest = load_digest(date);
    if (!digest) continue;
    AtomOptions atom;
    if (!options_.feed_base_url.empty()) {
      atom.base_url = options_.feed_base_url + "/feeds";
      atom.self_file = std::string(file);
    }
    Response response;
    response.content_type = "application/atom+xml; charset=utf-8";
    if (slug == "digest") {
      response.body = render_atom(*digest, atom);
      return response;
    }
    for (std::size_t t = 0; t < digest->topics.size(); ++t) {
      if (topic_slug(digest->topics[t].topic.name) == slug) {
        response.body = render_atom_topic(*digest, t, atom);
        return response;
      }
    }
  }
  throw NotFound(fmt::format("no recent digest has a topic with the feed '{}'", file));
}

Response Site::api_digests(const Request& request) {
  std::size_t limit = options_.max_dates;
  if (const auto text = request.param("limit"); text && !text->empty()) {
    const auto [end, error] = std::from_chars(text->data(), text->data() + text->size(), limit);
    if (error != std::errc() || end != text->data() + text->size() || limit == 0)
      throw BadRequest(fmt::format("limit '{}' is not a positive number", *text));
    limit = std::min(limit, options_.max_dates);
  }
  Json list = Json::array();
  for (const Date& date : archive_.listing_dates(limit)) {
    Json formats = Json::array();
    std::size_t count = 0;
    for (const DigestRecord& record : archive_.digests_for(date)) {
      if (std::find(formats.begin(), formats.end(), record.format) == formats.end())
        formats.push_back(record.format);
      count = std::max(count, record.paper_count);
    }
    const std::string day = format_date(date);
    list.push_back(Json{{"listing_date", day},
                        {"paper_count", formats.empty() ? Json(nullptr) : Json(count)},
                        {"formats", formats},
                        {"url", "/api/digest/" + day}});
  }
  return json_response(Json{{"digests", list}});
}

Response Site::api_digest(std::string_view date_text) {
  const Date date = parse_date_or_400(date_text, "date");
  const auto digest = load_digest(date);
  if (!digest) throw NotFound(fmt::format("no digest was recorded for {}", format_date(date)));
  Response response;
  response.content_type = "application/json; charset=utf-8";
  response.body = render_json(*digest);
  return response;
}

Response Site::api_paper(std::string_view id_text) {
  const ArxivId id = parse_id_or_400(id_text);
  const std::vector<Paper> versions = archive_.paper_versions(id.key());
  if (versions.empty()) throw NotFound(fmt::format("the archive has no paper {}", id.key()));
  Json listings = Json::array();
  Json digests = Json::array();
  std::set<std::string> seen_days;
  for (const Archive::PaperListing& listing : archive_.paper_listings(id.key())) {
    const std::string day = format_date(listing.listing_date);
    listings.push_back(Json{{"listing_date", day},
                            {"categories", listing.categories},
                            {"version", listing.version > 0 ? Json(listing.version) : Json(nullptr)},
                            {"announce_type", to_string(listing.announce_type)}});
    if (!seen_days.insert(day).second) continue;
    const auto digest = load_digest(listing.listing_date);
    if (!digest) continue;
    for (std::size_t p = 0; p < digest->papers.size(); ++p) {
      if (digest->papers[p].id.key() != id.key()) continue;
      Json topics = Json::array();
      for (const TopicResult& topic : digest->topics)
        if (std::find(topic.papers.begin(), topic.papers.end(), p) != topic.papers.end())
          topics.push_back(topic.topic.name);
      digests.push_back(Json{{"listing_date", day}, {"topics", topics}});
    }
  }
  const Date date = listings.empty() ? Date{} : *parse_date(listings.front()["listing_date"].get<std::string>());
  return json_response(Json{{"key", id.key()},
                            {"versions", papers_json(versions, date.ok() ? date : Date{std::chrono::year{2000}, std::chrono::January, std::chrono::day{1}})},
                            {"listings", listings},
                            {"digests", digests}});
}

Response Site::api_search(const Request& request) {
  if (!options_.search) throw NotFound("search is not available in this build");
  const SearchQuery query = search_query(request, options_);
  if (query.query.empty()) throw BadRequest("q is required");
  const SearchResults results = options_.search(query);
  std::vector<Paper> papers;
  for (const SearchHit& hit : results.hits) papers.push_back(hit.paper);
  Json objects = papers_json(papers, Date{std::chrono::year{2000}, std::chrono::January, std::chrono::day{1}});
  Json hits = Json::array();
  for (std::size_t i = 0; i < results.hits.size(); ++i) {
    const SearchHit& hit = results.hits[i];
    Json paper = objects[i];
    if (hit.translation)
      paper["translation"] = Json{{"title", hit.translation->title.empty() ? Json(nullptr) : Json(hit.translation->title)},
                                  {"abstract", hit.translation->abstract.empty() ? Json(nullptr) : Json(hit.translation->abstract)}};
    hits.push_back(Json{{"paper", paper},
                        {"listing_date", hit.listing_date ? Json(format_date(*hit.listing_date)) : Json(nullptr)},
                        {"score", hit.score}});
  }
  return json_response(Json{{"query", query.query}, {"total", results.total},
                            {"truncated", results.truncated}, {"hits", hits}});
}

Response Site::static_file(std::string_view path) {
  if (const auto asset = builtin_asset(path)) {
    Response response;
    response.content_type = std::string(asset->content_type);
    response.body = std::string(asset->text);
    response.headers.emplace_back("Cache-Control", "no-cache");
    return response;
  }
  if (path.starts_with("katex/") && !options_.katex_dir.empty()) {
    if (const auto file = contained_file(options_.katex_dir, path.substr(6))) {
      if (auto data = read_small_file(*file, kMaxStaticBytes)) {
        Response response;
        response.content_type = content_type_for(*file);
        response.body = std::move(*data);
        response.headers.emplace_back("Cache-Control", "max-age=86400");
        return response;
      }
    }
  }
  throw NotFound(fmt::format("no static file '{}'", path));
}

}  // namespace arxiv_digest::serve
