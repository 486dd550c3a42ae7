#include "render/renderer.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "core/calendar.hpp"
#include "core/error.hpp"
#include "core/taxonomy.hpp"
#include "core/text.hpp"
#include "render/render_internal.hpp"

#ifndef ARXIV_DIGEST_VERSION
#error "ARXIV_DIGEST_VERSION must be defined by the build"
#endif

namespace arxiv_digest {

std::string_view to_string(Format format) noexcept {
  switch (format) {
    case Format::kText:
      return "text";
    case Format::kMarkdown:
      return "markdown";
    case Format::kJson:
      return "json";
    case Format::kHtml:
      return "html";
    case Format::kAtom:
      return "atom";
    case Format::kEmailHtml:
      return "email-html";
  }
  return "text";
}

std::optional<Format> format_from_string(std::string_view name) noexcept {
  const std::string lower = ascii_lower(name);
  if (lower == "text") return Format::kText;
  if (lower == "markdown" || lower == "md") return Format::kMarkdown;
  if (lower == "json") return Format::kJson;
  if (lower == "html") return Format::kHtml;
  if (lower == "atom") return Format::kAtom;
  if (lower == "email-html") return Format::kEmailHtml;
  return std::nullopt;
}

std::string_view file_extension(Format format) noexcept {
  switch (format) {
    case Format::kText:
      return "txt";
    case Format::kMarkdown:
      return "md";
    case Format::kJson:
      return "json";
    case Format::kHtml:
      return "html";
    case Format::kAtom:
      return "atom";
    case Format::kEmailHtml:
      return "email.html";
  }
  return "txt";
}

std::optional<Format> format_from_extension(std::string_view extension) noexcept {
  if (!extension.empty() && extension.front() == '.') extension.remove_prefix(1);
  const std::string lower = ascii_lower(extension);
  if (lower == "txt" || lower == "text") return Format::kText;
  if (lower == "md" || lower == "markdown") return Format::kMarkdown;
  if (lower == "json") return Format::kJson;
  if (lower == "html" || lower == "htm") return Format::kHtml;
  if (lower == "atom") return Format::kAtom;
  if (lower == "email.html") return Format::kEmailHtml;
  return std::nullopt;
}

std::string_view project_version() noexcept { return ARXIV_DIGEST_VERSION; }

std::string render(const Digest& digest, Format format, const RenderOptions& options) {
  switch (format) {
    case Format::kText:
      return render_text(digest, options);
    case Format::kMarkdown:
      return render_markdown(digest);
    case Format::kJson:
      return render_json(digest, options);
    case Format::kHtml:
      return render_html(digest, options.html);
    case Format::kAtom: {
      AtomOptions atom = options.atom;
      if (atom.tool_version.empty()) atom.tool_version = options.tool_version;
      return render_atom(digest, atom);
    }
    case Format::kEmailHtml:
      return render_html_email(digest, options.html);
  }
  return render_text(digest, options);
}

std::string abs_url(const ArxivId& id) { return "https://arxiv.org/abs/" + id.key(); }
std::string pdf_url(const ArxivId& id) { return "https://arxiv.org/pdf/" + id.key(); }

namespace {

// Appends code point `cp` as UTF-8.
void append_utf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

constexpr char32_t kReplacement = 0xFFFD;

// Decodes the UTF-8 sequence at text[i]: its code point and length, or (ok = false, length 1)
// when it is invalid (bad lead or continuation byte, overlong, surrogate, truncated, > U+10FFFF):
// each byte of a broken sequence then becomes one U+FFFD (WHATWG would use one per maximal
// subpart; either way the output is valid and nothing is dropped silently).
struct Decoded {
  char32_t cp = kReplacement;
  std::size_t length = 1;
  bool ok = false;
};
Decoded decode_utf8(std::string_view text, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char lead = byte(i);
  if (lead < 0x80) return {lead, 1, true};
  std::size_t length = 0;
  char32_t cp = 0;
  char32_t min = 0;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2, cp = lead & 0x1F, min = 0x80;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3, cp = lead & 0x0F, min = 0x800;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4, cp = lead & 0x07, min = 0x10000;
  } else {
    return {};
  }
  if (i + length > text.size()) return {};
  for (std::size_t k = 1; k < length; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return {};
    cp = (cp << 6) | (byte(i + k) & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return {};
  return {cp, length, true};
}

bool is_forbidden(char32_t cp) {
  if (cp == '\t' || cp == '\n' || cp == '\r') return false;
  return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0xFFFE || cp == 0xFFFF;
}

}  // namespace

std::string sanitize_text(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    const Decoded d = decode_utf8(text, i);
    if (d.ok && !is_forbidden(d.cp))
      out.append(text.substr(i, d.length));
    else
      append_utf8(out, kReplacement);
    i += d.length;
  }
  return out;
}

std::string escape_html(std::string_view text) {
  const std::string clean = sanitize_text(text);
  std::string out;
  out.reserve(clean.size() + clean.size() / 8);
  for (const char c : clean) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string topic_slug(std::string_view name) {
  std::string slug;
  bool dash = false;
  for (const char c : name) {
    const auto u = static_cast<unsigned char>(c);
    const bool alnum = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    if (alnum || u >= 0x80) {
      if (dash && !slug.empty()) slug += '-';
      dash = false;
      if (u >= 0x80)
        slug += fmt::format("%{:02X}", u);
      else
        slug += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    } else {
      dash = true;
    }
  }
  return slug.empty() ? std::string("topic") : slug;
}

namespace render_detail {

std::size_t find_math_close(std::string_view text, std::size_t from, std::size_t delimiter) {
  for (std::size_t i = from; i < text.size(); ++i) {
    if (text[i] == '\\') {
      ++i;
      continue;
    }
    if (text[i] != '$') continue;
    if (delimiter == 1) return i;
    if (i + 1 < text.size() && text[i + 1] == '$') return i;
  }
  return std::string_view::npos;
}

Ranges math_spans(std::string_view text) {
  Ranges spans;
  std::size_t i = 0;
  while (i < text.size()) {
    if (text[i] == '\\') {
      i += (i + 1 < text.size() && text[i + 1] == '$') ? 2u : 1u;
      continue;
    }
    if (text[i] != '$') {
      ++i;
      continue;
    }
    const std::size_t delimiter = (i + 1 < text.size() && text[i + 1] == '$') ? 2 : 1;
    const std::size_t close = find_math_close(text, i + delimiter, delimiter);
    if (close == std::string_view::npos) {
      ++i;
      continue;
    }
    spans.emplace_back(i, close + delimiter);
    i = close + delimiter;
  }
  return spans;
}

Ranges highlights_in(const MatchReason* reason, MatchField field, std::size_t size) {
  Ranges ranges;
  if (reason == nullptr) return ranges;
  for (const MatchSpan& span : reason->spans)
    if (span.field == field && span.begin < span.end && span.end <= size)
      ranges.emplace_back(span.begin, span.end);
  std::sort(ranges.begin(), ranges.end());
  Ranges merged;
  for (const auto& r : ranges) {
    if (!merged.empty() && r.first <= merged.back().second)
      merged.back().second = std::max(merged.back().second, r.second);
    else
      merged.push_back(r);
  }
  return merged;
}

Ranges snap_to_characters(std::string_view text, const Ranges& ranges) {
  std::vector<std::size_t> boundaries;
  for (std::size_t i = 0; i < text.size(); i += decode_utf8(text, i).length)
    boundaries.push_back(i);
  boundaries.push_back(text.size());
  const auto snap = [&boundaries](std::size_t offset) {
    return *std::lower_bound(boundaries.begin(), boundaries.end(),
                             std::min(offset, boundaries.back()));
  };
  Ranges snapped;
  for (const auto& [first, second] : ranges) {
    const std::size_t begin = std::max(snap(first), snapped.empty() ? 0 : snapped.back().second);
    const std::size_t end = snap(second);
    if (begin < end) snapped.emplace_back(begin, end);
  }
  return snapped;
}

Ranges visible_highlights(std::string_view text, const Ranges& requested) {
  Ranges visible;
  if (requested.empty()) return visible;
  const auto is_word_byte = [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           static_cast<unsigned char>(c) >= 0x80;
  };
  const Ranges math = math_spans(text);
  for (auto h : requested) {
    h.second = std::min(h.second, text.size());
    while (h.first < h.second && !is_word_byte(text[h.first])) ++h.first;
    while (h.second > h.first && !is_word_byte(text[h.second - 1])) --h.second;
    if (h.first >= h.second) continue;
    const bool in_math = std::any_of(math.begin(), math.end(), [&h](const auto& m) {
      return h.first < m.second && m.first < h.second;
    });
    if (!in_math) visible.push_back(h);
  }
  return visible;
}

void check_digest(const Digest& digest) {
  if (!digest.translations.empty() && digest.translations.size() != digest.papers.size())
    throw Error(fmt::format("digest has {} translations for {} papers (must be 0 or equal)",
                            digest.translations.size(), digest.papers.size()));
  for (const TopicResult& result : digest.topics) {
    for (const std::size_t index : result.papers) {
      if (index >= digest.papers.size())
        throw Error(fmt::format("digest topic '{}' refers to paper index {} of {}",
                                result.topic.name, index, digest.papers.size()));
    }
    if (!result.reasons.empty() && result.reasons.size() != result.papers.size())
      throw Error(fmt::format("digest topic '{}' has {} reasons for {} papers (must be 0 or equal)",
                              result.topic.name, result.reasons.size(), result.papers.size()));
  }
}

const MatchReason* reason_of(const TopicResult& result, std::size_t position) {
  return position < result.reasons.size() ? &result.reasons[position] : nullptr;
}

std::string describe_reason(const Topic& topic, const MatchReason& reason) {
  std::string out;
  for (std::size_t term = 0; term < reason.terms.size(); ++term) {
    std::vector<std::string_view> fields;
    for (const MatchSpan& span : reason.spans) {
      const std::string_view field = to_string(span.field);
      if (span.term == term && std::find(fields.begin(), fields.end(), field) == fields.end())
        fields.push_back(field);
    }
    if (!out.empty()) out += "; ";
    out += reason.terms[term];
    if (!fields.empty()) out += fmt::format(" ({})", fmt::join(fields, ", "));
  }
  if (reason.score) {
    if (!out.empty()) out += "; ";
    if (topic.by_example()) {
      out += fmt::format("similarity {:.2f}", *reason.score);
      if (!reason.nearest_example.empty()) out += fmt::format(" to \"{}\"", reason.nearest_example);
    } else {
      out += fmt::format("BM25 {:.2f}", *reason.score);
    }
  }
  return out;
}

const PaperTranslation* translation_of(const Digest& digest, std::size_t index) {
  if (index >= digest.translations.size() || !digest.translations[index]) return nullptr;
  return &*digest.translations[index];
}

std::vector<std::string> ordered_categories(const Paper& paper) {
  std::vector<std::string> codes;
  if (!paper.primary_category.empty()) codes.push_back(paper.primary_category);
  for (const std::string& code : paper.categories) {
    if (std::find(codes.begin(), codes.end(), code) == codes.end()) codes.push_back(code);
  }
  return codes;
}

std::string subjects_line(const Paper& paper) {
  std::string line;
  for (const std::string& code : ordered_categories(paper)) {
    if (!line.empty()) line += "; ";
    line += subject_label(code);
  }
  return line;
}

HeaderTimes header_times(const Digest& digest) {
  const ZonedMoment generated = to_zone(digest.generated_at, digest.time_zone);
  const ZonedMoment announced_et = to_zone(digest.announced_at, kArxivZone);
  const ZonedMoment announced_local = to_zone(digest.announced_at, digest.time_zone);
  return HeaderTimes{
      .generated_local = format_local(generated.local, /*with_seconds=*/true),
      .generated_offset = format_utc_offset(generated.offset),
      .announced_et = format_local(announced_et.local, /*with_seconds=*/false),
      .announced_et_abbreviation = announced_et.abbreviation,
      .announced_local = format_local(announced_local.local, /*with_seconds=*/false),
      .announced_offset = format_utc_offset(announced_local.offset),
  };
}

std::string rfc3339_utc(std::chrono::sys_seconds instant) {
  const auto day = std::chrono::floor<std::chrono::days>(instant);
  const std::chrono::year_month_day date{day};
  const std::chrono::hh_mm_ss time{instant - day};
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", static_cast<int>(date.year()),
                     static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                     time.hours().count(), time.minutes().count(), time.seconds().count());
}

}  // namespace render_detail
}  // namespace arxiv_digest
