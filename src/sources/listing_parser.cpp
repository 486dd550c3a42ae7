// parse_listing_page: the HTML page https://arxiv.org/list/<cat>/new, parsed with gumbo
// (tolerant HTML5 parsing), markup per arXiv/arxiv-browse templates list/new.html and
// list/list_macros.html:
//
//   <h3>Showing new listings for Thursday, 18 June 2026</h3>
//   <div class='paging'>Total of 7 entries ...</div>           (only when there are entries)
//   <dl id='articles'><h3>New submissions (showing 3 of 3 entries)</h3>
//     <dt>... <a href="/abs/2606.18284" title="Abstract" id="2606.18284">arXiv:2606.18284</a>
//         [(cross-list from cs.AI) | (replaced)] ...</dt>
//     <dd><div class='list-title mathjax'><span class='descriptor'>Title:</span> ...</div>
//         <div class='list-authors'><a ...>Name</a>, ...</div>
//         [<div class='list-comments mathjax'>...] [<div class='list-journal-ref'>...]
//         <div class='list-subjects'><span class='descriptor'>Subjects:</span>
//           <span class="primary-subject">Machine Learning (cs.LG)</span>; Artificial ... (cs.AI)
//         </div>
//         <p class='mathjax'>abstract</p></dd> ...</dl>
//   (one dl per section: "New submissions", "Cross submissions", "Replacement submissions";
//    older headings read "New submissions for <date> (showing first 25 of 80 entries )")
//   <p>No updates today.</p>                                    (a day without papers)
//
// Announce type: New section -> kNew, Cross -> kCross, Replacement -> kReplace, or
// kReplaceCross when the <dt> says "cross-list from" or when the paper's primary category is
// outside the page's own category (taken from "/list/<cat>/" in `source`; an archive page such
// as /list/cs/new compares archives), which is how arXiv's RSS labels such replacements.
// A section without a heading takes the type from the <dt> markers.
//
// Completeness policy (an incomplete page is an error, never a quiet day). A document that
// cannot be read is a ParseError; a readable one whose own counts disagree with the entries it
// holds is an IncompleteFetchError (exit 7, like any fetch short of what the source declared),
// its message starting "source:line:column:" at the element carrying the count:
//   * The page must end with </html>; otherwise it is truncated -> ParseError (field = the
//     element open at the cut).
//   * Each section's "showing n of N entries" must match the number of <dt> entries present:
//     fewer means entries were lost -> IncompleteFetchError (at the section's <dl>).
//   * The section totals N must add up to "Total of N entries" -> IncompleteFetchError (at
//     div.paging); sections declaring entries while none is present -> IncompleteFetchError.
//   * Entries without a "Total of N entries" (nothing to check them against), a count that
//     cannot be read, or a section showing more entries than it has -> ParseError.
//   * n < N in a section is legal only for a paged view (?skip=&show=, or days above 2000
//     entries): the parser accepts it and reports declared_total = "Total of N"; the caller
//     compares declared_total with papers.size() and raises IncompleteFetchError (or fetches
//     the remaining pages).
// A page with neither the "Showing new listings for" heading, nor sections, nor "No updates
// today." is not a /new listing page -> ParseError (field "h3").
#include <fmt/format.h>
#include <gumbo.h>

#include <cstddef>
#include <cstdlib>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include "core/arxiv_id.hpp"
#include "core/error.hpp"
#include "core/text.hpp"
#include "sources/parse_util.hpp"
#include "sources/parsed_source.hpp"

namespace arxiv_digest {
namespace {

using parse_detail::error_at;
using parse_detail::excerpt;
using parse_detail::trim;

constexpr std::string_view kWhat = "listing page";

// Bump allocator for one gumbo parse. gumbo frees its tree recursively (one stack frame per
// nesting level: a page of 300k nested <div>s overflows the stack), so the tree is allocated
// here and released in one go, and gumbo_destroy_output is never called.
class GumboArena {
 public:
  GumboArena() = default;
  GumboArena(const GumboArena&) = delete;
  GumboArena& operator=(const GumboArena&) = delete;
  ~GumboArena() {
    for (void* chunk : chunks_) std::free(chunk);
  }

  // C callbacks (must not throw: they run inside gumbo).
  static void* allocate(void* self, std::size_t size) noexcept {
    return static_cast<GumboArena*>(self)->allocate(size);
  }
  static void deallocate(void*, void*) noexcept {}

 private:
  static constexpr std::size_t kChunk = 64 * 1024;
  static constexpr std::size_t kAlign = alignof(std::max_align_t);

  void* allocate(std::size_t size) noexcept {
    size = (size + kAlign - 1) / kAlign * kAlign;
    if (size == 0) size = kAlign;
    if (size > kChunk / 4) return new_chunk(size);  // large blocks get their own chunk
    if (size > left_) {
      next_ = static_cast<std::byte*>(new_chunk(kChunk));
      left_ = next_ == nullptr ? 0 : kChunk;
      if (next_ == nullptr) return nullptr;
    }
    void* out = next_;
    next_ += size;
    left_ -= size;
    return out;
  }
  void* new_chunk(std::size_t size) noexcept {
    void* chunk = std::malloc(size);
    if (chunk == nullptr) return nullptr;
    try {
      chunks_.push_back(chunk);
    } catch (...) {
      std::free(chunk);
      return nullptr;
    }
    return chunk;
  }

  std::vector<void*> chunks_;
  std::byte* next_ = nullptr;
  std::size_t left_ = 0;
};

// Move-only owner of a gumbo parse tree and the arena holding it.
class GumboTree {
 public:
  explicit GumboTree(std::string_view body) : arena_(std::make_unique<GumboArena>()) {
    GumboOptions options = kGumboDefaultOptions;
    options.allocator = &GumboArena::allocate;
    options.deallocator = &GumboArena::deallocate;
    options.userdata = arena_.get();
    options.max_errors = 100;  // the error list is unused; bound its memory on garbage input
    output_ = gumbo_parse_with_options(&options, body.data(), body.size());
    if (output_ == nullptr) throw Error("gumbo failed to allocate a parse tree");
  }
  // Dropping the arena frees the whole tree (see GumboArena).
  ~GumboTree() = default;
  GumboTree(GumboTree&& other) noexcept
      : arena_(std::move(other.arena_)), output_(std::exchange(other.output_, nullptr)) {}
  GumboTree& operator=(GumboTree&& other) noexcept {
    arena_ = std::move(other.arena_);
    output_ = std::exchange(other.output_, nullptr);
    return *this;
  }
  GumboTree(const GumboTree&) = delete;
  GumboTree& operator=(const GumboTree&) = delete;

  const GumboNode* root() const { return output_->root; }

 private:
  std::unique_ptr<GumboArena> arena_;
  GumboOutput* output_ = nullptr;
};

bool is_element(const GumboNode* node) { return node->type == GUMBO_NODE_ELEMENT; }
bool is_tag(const GumboNode* node, GumboTag tag) {
  return is_element(node) && node->v.element.tag == tag;
}

std::string_view attribute(const GumboNode* node, const char* name) {
  if (!is_element(node)) return {};
  const GumboAttribute* a = gumbo_get_attribute(&node->v.element.attributes, name);
  return a == nullptr ? std::string_view() : std::string_view(a->value);
}

bool has_class(const GumboNode* node, std::string_view cls) {
  std::string_view classes = attribute(node, "class");
  std::size_t i = 0;
  while (i < classes.size()) {
    while (i < classes.size() && (classes[i] == ' ' || classes[i] == '\t' || classes[i] == '\n'))
      ++i;
    std::size_t start = i;
    while (i < classes.size() && classes[i] != ' ' && classes[i] != '\t' && classes[i] != '\n') ++i;
    if (classes.substr(start, i - start) == cls) return true;
  }
  return false;
}

std::size_t offset_of(const GumboNode* node) {
  switch (node->type) {
    case GUMBO_NODE_ELEMENT:
    case GUMBO_NODE_TEMPLATE:
      return node->v.element.start_pos.offset;
    case GUMBO_NODE_DOCUMENT:
      return 0;
    default:
      return node->v.text.start_pos.offset;
  }
}

std::size_t child_count(const GumboNode* node) {
  if (node->type == GUMBO_NODE_ELEMENT || node->type == GUMBO_NODE_TEMPLATE)
    return node->v.element.children.length;
  if (node->type == GUMBO_NODE_DOCUMENT) return node->v.document.children.length;
  return 0;
}
const GumboNode* child_at(const GumboNode* node, std::size_t i) {
  const GumboVector& v =
      node->type == GUMBO_NODE_DOCUMENT ? node->v.document.children : node->v.element.children;
  return static_cast<const GumboNode*>(v.data[i]);
}

// Pre-order traversal without recursion. `visit(node)` returns false to skip the subtree.
template <typename Visit>
void walk(const GumboNode* top, Visit&& visit) {
  std::vector<std::pair<const GumboNode*, std::size_t>> stack;
  if (!visit(top)) return;
  stack.emplace_back(top, 0);
  while (!stack.empty()) {
    auto& [node, next] = stack.back();
    if (next >= child_count(node)) {
      stack.pop_back();
      continue;
    }
    const GumboNode* c = child_at(node, next++);
    if (visit(c)) stack.emplace_back(c, 0);
  }
}

// Text content; <br> becomes a space; span.descriptor labels ("Title:") and scripts skipped.
std::string text_of(const GumboNode* node) {
  std::string out;
  walk(node, [&](const GumboNode* n) {
    switch (n->type) {
      case GUMBO_NODE_TEXT:
      case GUMBO_NODE_CDATA:
      case GUMBO_NODE_WHITESPACE:
        out += n->v.text.text;
        return false;
      case GUMBO_NODE_ELEMENT:
        if (is_tag(n, GUMBO_TAG_BR)) out += ' ';
        if (is_tag(n, GUMBO_TAG_SCRIPT) || is_tag(n, GUMBO_TAG_STYLE)) return false;
        return n == node || !has_class(n, "descriptor");
      default:
        return n->type == GUMBO_NODE_DOCUMENT || n->type == GUMBO_NODE_TEMPLATE;
    }
  });
  return out;
}

// First descendant (excluding `top`) for which `pred` holds, or nullptr.
template <typename Pred>
const GumboNode* find(const GumboNode* top, Pred&& pred) {
  const GumboNode* found = nullptr;
  walk(top, [&](const GumboNode* n) {
    if (found != nullptr) return false;
    if (n != top && is_element(n) && pred(n)) {
      found = n;
      return false;
    }
    return true;
  });
  return found;
}

bool istarts_with(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() &&
         ascii_lower(text.substr(0, prefix.size())) == ascii_lower(prefix);
}

// Tokens of `text` split at spaces, parentheses, commas and colons.
std::vector<std::string_view> tokens(std::string_view text) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  auto sep = [](char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '(' || c == ')' || c == ',' ||
           c == ':';
  };
  while (i < text.size()) {
    while (i < text.size() && sep(text[i])) ++i;
    std::size_t start = i;
    while (i < text.size() && !sep(text[i])) ++i;
    if (i > start) out.push_back(text.substr(start, i - start));
  }
  return out;
}

std::optional<std::size_t> to_count(std::string_view digits) {
  if (digits.empty() || digits.size() > 9) return std::nullopt;
  std::size_t v = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + static_cast<std::size_t>(c - '0');
  }
  return v;
}

// "(showing first 25 of 80 entries )" -> {25, 80}.
std::optional<std::pair<std::size_t, std::size_t>> showing_counts(std::string_view heading) {
  auto t = tokens(heading);
  for (std::size_t i = 1; i + 2 < t.size(); ++i) {
    if (t[i] == "of" && istarts_with(t[i + 2], "entr")) {
      auto n = to_count(t[i - 1]);
      auto total = to_count(t[i + 1]);
      if (n && total) return std::make_pair(*n, *total);
    }
  }
  return std::nullopt;
}

// "Total of 7 entries" (any case) -> 7.
std::optional<std::size_t> total_entries(std::string_view text) {
  auto t = tokens(text);
  for (std::size_t i = 0; i + 2 < t.size(); ++i) {
    if (ascii_lower(t[i]) == "total" && t[i + 1] == "of") return to_count(t[i + 2]);
  }
  return std::nullopt;
}

// Category code from "Machine Learning (cs.LG)": the text in the last parentheses.
std::string code_in_parens(std::string_view text) {
  auto close = text.rfind(')');
  if (close == std::string_view::npos) return {};
  auto open = text.rfind('(', close);
  if (open == std::string_view::npos) return {};
  return std::string(trim(text.substr(open + 1, close - open - 1)));
}

// The page's own category from "/list/<cat>/" in the source URL or path.
std::string page_context(std::string_view source) {
  auto at = source.find("/list/");
  if (at == std::string_view::npos) return {};
  std::string_view rest = source.substr(at + 6);
  rest = rest.substr(0, rest.find_first_of("/?#"));
  return std::string(rest);
}

// Name of the first element of a markup document, skipping the XML declaration, comments
// and DOCTYPE.
std::string first_element_name(std::string_view text) {
  std::size_t i = 0;
  while ((i = text.find('<', i)) != std::string_view::npos) {
    if (i + 1 < text.size() && (text[i + 1] == '?' || text[i + 1] == '!')) {
      ++i;
      continue;
    }
    std::size_t end = i + 1;
    while (end < text.size() && text[end] != '>' && text[end] != '/' && text[end] != ' ' &&
           text[end] != '\t' && text[end] != '\n' && text[end] != '\r')
      ++end;
    return std::string(text.substr(i + 1, end - i - 1));
  }
  return {};
}

struct Section {
  const GumboNode* dl = nullptr;
  const GumboNode* heading = nullptr;                                  // h3, may be null
  std::vector<std::pair<const GumboNode*, const GumboNode*>> entries;  // dt, dd (dd may be null)
};

class ListingParser {
 public:
  ListingParser(std::string_view body, std::string_view source)
      : body_(body), source_(source), context_(page_context(source)) {}

  ParsedListing parse() {
    parse_detail::check_body(body_, source_, kWhat);
    std::string_view start = trim(body_);
    if (start.substr(0, 3) == "\xEF\xBB\xBF") start = trim(start.substr(3));
    if (start.substr(0, 5) == "<?xml" || start.substr(0, 4) == "<rss" ||
        start.substr(0, 5) == "<feed") {
      std::string root = first_element_name(start);
      throw error_at(
          source_, body_, 0, root,
          fmt::format("expected an HTML listing page but got an XML document{}",
                      root.empty() ? std::string() : fmt::format(" (root element <{}>)", root)));
    }
    GumboTree tree(body_);
    collect(tree.root());
    if (date_heading_ == nullptr && sections_.empty() && no_updates_ == nullptr) {
      throw error_at(
          source_, body_, 0, "h3",
          fmt::format(
              "not an arXiv /new listing page: no 'Showing new listings for' "
              "heading, no article list and no 'No updates today.'{}",
              title_.empty() ? std::string() : fmt::format(" (page title '{}')", excerpt(title_))));
    }
    check_not_truncated();

    ParsedListing out;
    out.feed_title = h1_text_;
    if (date_heading_ != nullptr) {
      std::string text = normalize_whitespace(text_of(date_heading_));
      std::string_view date_text = std::string_view(text).substr(25);  // after "Showing ... for "
      out.listing_date = parse_detail::parse_long_date(date_text);
      if (!out.listing_date) {
        fail(date_heading_, "h3",
             fmt::format("the heading '{}' does not end in a date like 'Thursday, 18 June 2026'",
                         excerpt(text)));
      }
    }

    std::size_t sum_of_totals = 0;
    std::size_t entries = 0;
    for (const Section& section : sections_) {
      std::string heading =
          section.heading ? normalize_whitespace(text_of(section.heading)) : std::string();
      std::optional<AnnounceType> kind;
      if (istarts_with(heading, "New"))
        kind = AnnounceType::kNew;
      else if (istarts_with(heading, "Cross"))
        kind = AnnounceType::kCross;
      else if (istarts_with(heading, "Replace"))
        kind = AnnounceType::kReplace;
      if (!section.heading) {
        // Heading-less list: trust the entries' markers.
      } else if (!kind) {
        fail(section.heading, "h3",
             fmt::format("unknown listing section '{}' (expected New / Cross / Replacement "
                         "submissions)",
                         excerpt(heading)));
      }
      if (!out.listing_date && section.heading) {
        // Older pages: "New submissions for Thursday, 18 June 2026 (showing ...)".
        std::string_view h = heading;
        auto f = h.find(" for ");
        auto p = h.find('(');
        if (f != std::string_view::npos && p != std::string_view::npos && p > f)
          out.listing_date = parse_detail::parse_long_date(h.substr(f + 5, p - f - 5));
      }
      for (const auto& [dt, dd] : section.entries) {
        out.papers.push_back(parse_entry(dt, dd, kind, out.papers.size() + 1));
      }
      entries += section.entries.size();
      if (section.heading) {
        auto counts = showing_counts(heading);
        if (!counts) {
          fail(section.heading, "h3",
               fmt::format("section heading '{}' has no 'showing n of N entries' count",
                           excerpt(heading)));
        }
        if (counts->first != section.entries.size()) {
          incomplete(
              section.dl,
              fmt::format("section '{}' announces {} entries but the page holds {}: the page "
                          "is incomplete",
                          excerpt(heading), counts->first, section.entries.size()));
        }
        if (counts->first > counts->second) {
          fail(
              section.heading, "h3",
              fmt::format("section heading '{}' shows more entries than it has", excerpt(heading)));
        }
        sum_of_totals += counts->second;
      } else {
        sum_of_totals += section.entries.size();
      }
    }

    if (paging_ != nullptr) {
      std::string text = normalize_whitespace(text_of(paging_));
      out.declared_total = total_entries(text);
      if (!out.declared_total) {
        fail(paging_, "paging",
             fmt::format("cannot read 'Total of N entries' in '{}'", excerpt(text)));
      }
      if (*out.declared_total != sum_of_totals) {
        incomplete(paging_,
                   fmt::format("the page says 'Total of {} entries' but its sections add up to {}: "
                               "the page is incomplete",
                               *out.declared_total, sum_of_totals));
      }
    } else if (entries > 0) {
      fail(sections_.front().dl, "paging",
           fmt::format("the page lists {} entries but has no 'Total of N entries' line to "
                       "check them against",
                       entries));
    } else if (!sections_.empty() && sum_of_totals > 0) {
      incomplete(sections_.front().dl,
                 fmt::format("the sections declare {} entries but none is present: the page is "
                             "incomplete",
                             sum_of_totals));
    }
    return out;
  }

 private:
  [[noreturn]] void fail(const GumboNode* at, std::string field, const std::string& message) const {
    throw error_at(source_, body_, at ? offset_of(at) : 0, std::move(field), message);
  }
  [[noreturn]] void incomplete(const GumboNode* at, const std::string& message) const {
    throw parse_detail::incomplete_at(source_, body_, at ? offset_of(at) : 0, message);
  }

  // One pass over the tree: headings, paging, sections with their dt/dd pairs.
  void collect(const GumboNode* root) {
    walk(root, [&](const GumboNode* n) {
      if (!is_element(n)) return n->type == GUMBO_NODE_DOCUMENT;
      switch (n->v.element.tag) {
        case GUMBO_TAG_TITLE:
          if (title_.empty()) title_ = normalize_whitespace(text_of(n));
          return false;
        case GUMBO_TAG_H1:
          if (h1_text_.empty()) h1_text_ = normalize_whitespace(text_of(n));
          return false;
        case GUMBO_TAG_H3: {
          if (date_heading_ == nullptr &&
              istarts_with(normalize_whitespace(text_of(n)), "Showing new listings for "))
            date_heading_ = n;
          return false;
        }
        case GUMBO_TAG_DIV:
          if (paging_ == nullptr && has_class(n, "paging")) {
            paging_ = n;
            return false;
          }
          return true;
        case GUMBO_TAG_P:
          if (no_updates_ == nullptr && normalize_whitespace(text_of(n)) == "No updates today.")
            no_updates_ = n;
          return true;
        case GUMBO_TAG_DL:
          if (attribute(n, "id") == "articles") {
            collect_section(n);
            return false;
          }
          return true;
        default:
          return true;
      }
    });
  }

  void collect_section(const GumboNode* dl) {
    Section section;
    section.dl = dl;
    walk(dl, [&](const GumboNode* n) {
      if (n == dl) return true;
      if (!is_element(n)) return false;
      switch (n->v.element.tag) {
        case GUMBO_TAG_H3:
          if (section.heading == nullptr) section.heading = n;
          return false;
        case GUMBO_TAG_DT:
          section.entries.emplace_back(n, nullptr);
          return false;
        case GUMBO_TAG_DD:
          if (!section.entries.empty() && section.entries.back().second == nullptr)
            section.entries.back().second = n;
          return false;
        case GUMBO_TAG_DL:
          return false;  // nested list: not ours
        default:
          return true;
      }
    });
    sections_.push_back(std::move(section));
  }

  void check_not_truncated() const {
    // A complete page ends with </html> (whatever the case). Look in the tail only.
    std::size_t tail = body_.size() > 4096 ? body_.size() - 4096 : 0;
    if (ascii_lower(body_.substr(tail)).find("</html>") != std::string::npos) return;
    std::string field = parse_detail::open_element_at(body_, body_.size());
    throw error_at(
        source_, body_, body_.size(), field,
        fmt::format("the listing page is truncated: it does not end with </html>{}",
                    field.empty() ? std::string() : fmt::format(" (cut inside <{}>)", field)));
  }

  Paper parse_entry(const GumboNode* dt, const GumboNode* dd, std::optional<AnnounceType> kind,
                    std::size_t index) const {
    Paper paper;
    const GumboNode* link = find(dt, [](const GumboNode* n) {
      return is_tag(n, GUMBO_TAG_A) && attribute(n, "title") == "Abstract";
    });
    if (link == nullptr) {
      fail(dt, "dt", fmt::format("entry {} has no abstract link (<a title=\"Abstract\">)", index));
    }
    std::string id_text(trim(attribute(link, "id")));
    if (id_text.empty()) {
      std::string_view href = attribute(link, "href");
      if (auto abs = href.find("/abs/"); abs != std::string_view::npos)
        id_text = std::string(trim(href.substr(abs + 5)));
    }
    if (id_text.empty()) id_text = normalize_whitespace(text_of(link));
    std::string why;
    if (!ArxivId::try_parse(id_text, paper.id, &why)) {
      fail(link, "dt",
           fmt::format("entry {} has id '{}', not an arXiv identifier: {}", index, excerpt(id_text),
                       why));
    }

    std::string dt_text = ascii_lower(normalize_whitespace(text_of(dt)));
    bool cross_marker = dt_text.find("cross-list from") != std::string::npos;
    bool replaced_marker = dt_text.find("(replaced)") != std::string::npos;

    if (dd == nullptr) {
      fail(dt, "dd", fmt::format("entry {} ({}) has no <dd> metadata", index, paper.id.str()));
    }
    const GumboNode* title = find(dd, [](const GumboNode* n) {
      return is_tag(n, GUMBO_TAG_DIV) && has_class(n, "list-title");
    });
    if (title != nullptr) paper.title = normalize_whitespace(text_of(title));
    if (paper.title.empty()) {
      fail(title ? title : dd, "list-title",
           fmt::format("entry {} ({}) has {} title", index, paper.id.str(),
                       title ? "an empty" : "no"));
    }

    if (const GumboNode* authors = find(dd, [](const GumboNode* n) {
          return is_tag(n, GUMBO_TAG_DIV) && has_class(n, "list-authors");
        })) {
      walk(authors, [&](const GumboNode* n) {
        if (is_tag(n, GUMBO_TAG_A)) {
          std::string name = normalize_whitespace(text_of(n));
          if (!name.empty()) paper.authors.push_back(std::move(name));
          return false;
        }
        return true;
      });
      if (paper.authors.empty()) {
        std::string text = normalize_whitespace(text_of(authors));
        if (!text.empty() && text.front() != '(') paper.authors = parse_detail::split_authors(text);
      }
    }

    auto div_text = [&](std::string_view cls) {
      const GumboNode* div = find(
          dd, [&](const GumboNode* n) { return is_tag(n, GUMBO_TAG_DIV) && has_class(n, cls); });
      return div ? normalize_whitespace(text_of(div)) : std::string();
    };
    paper.comments = div_text("list-comments");
    paper.journal_ref = div_text("list-journal-ref");

    if (const GumboNode* subjects = find(dd, [](const GumboNode* n) {
          return is_tag(n, GUMBO_TAG_DIV) && has_class(n, "list-subjects");
        })) {
      if (const GumboNode* primary =
              find(subjects, [](const GumboNode* n) { return has_class(n, "primary-subject"); })) {
        paper.add_category(code_in_parens(normalize_whitespace(text_of(primary))));
      }
      std::string all = normalize_whitespace(text_of(subjects));
      std::string_view rest = all;
      while (!rest.empty()) {
        auto semi = rest.find(';');
        paper.add_category(code_in_parens(rest.substr(0, semi)));
        if (semi == std::string_view::npos) break;
        rest.remove_prefix(semi + 1);
      }
    }

    if (const GumboNode* abstract = find(dd, [](const GumboNode* n) {
          return is_tag(n, GUMBO_TAG_P) && has_class(n, "mathjax");
        })) {
      paper.abstract = normalize_whitespace(text_of(abstract));
    }

    // Announce type.
    if (!kind) {
      kind = cross_marker      ? AnnounceType::kCross
             : replaced_marker ? AnnounceType::kReplace
                               : AnnounceType::kNew;
    }
    if (*kind == AnnounceType::kReplace && (cross_marker || outside_context(paper))) {
      kind = AnnounceType::kReplaceCross;
    }
    paper.announce_type = *kind;
    return paper;
  }

  // True when the paper's primary category is not the page's own category (or archive).
  bool outside_context(const Paper& paper) const {
    if (context_.empty() || paper.primary_category.empty()) return false;
    if (context_.find('.') != std::string::npos) return paper.primary_category != context_;
    std::string_view primary = paper.primary_category;
    return primary.substr(0, primary.find('.')) != context_;
  }

  std::string_view body_;
  std::string_view source_;
  std::string context_;
  std::string title_;
  std::string h1_text_;
  const GumboNode* date_heading_ = nullptr;
  const GumboNode* paging_ = nullptr;
  const GumboNode* no_updates_ = nullptr;
  std::vector<Section> sections_;
};

}  // namespace

ParsedListing parse_listing_page(std::string_view body, std::string_view source) {
  return ListingParser(body, source).parse();
}

}  // namespace arxiv_digest
