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
  }
  return "text";
}

std::optional<Format> format_from_string(std::string_view name) noexcept {
  const std::string lower = ascii_lower(name);
  if (lower == "text") return Format::kText;
  if (lower == "markdown" || lower == "md") return Format::kMarkdown;
  if (lower == "json") return Format::kJson;
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
  }
  return "txt";
}

std::optional<Format> format_from_extension(std::string_view extension) noexcept {
  if (!extension.empty() && extension.front() == '.') extension.remove_prefix(1);
  const std::string lower = ascii_lower(extension);
  if (lower == "txt" || lower == "text") return Format::kText;
  if (lower == "md" || lower == "markdown") return Format::kMarkdown;
  if (lower == "json") return Format::kJson;
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
  }
  return render_text(digest, options);
}

std::string abs_url(const ArxivId& id) { return "https://arxiv.org/abs/" + id.key(); }
std::string pdf_url(const ArxivId& id) { return "https://arxiv.org/pdf/" + id.key(); }

namespace render_detail {

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
      if (!reason.nearest_example.empty())
        out += fmt::format(" to \"{}\"", reason.nearest_example);
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
