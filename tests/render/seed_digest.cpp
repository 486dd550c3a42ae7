#include "render/seed_digest.hpp"

#include <chrono>
#include <map>
#include <stdexcept>
#include <vector>

#include "match/topic_selector.hpp"
#include "support/test_support.hpp"

namespace arxiv_digest::testing {

namespace {

using namespace std::chrono_literals;

std::vector<std::string_view> split(std::string_view text, std::string_view separator) {
  std::vector<std::string_view> parts;
  std::size_t begin = 0;
  while (true) {
    const std::size_t end = text.find(separator, begin);
    if (end == std::string_view::npos) {
      parts.push_back(text.substr(begin));
      return parts;
    }
    parts.push_back(text.substr(begin, end - begin));
    begin = end + separator.size();
  }
}

bool starts_with(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

class SeedParser {
 public:
  explicit SeedParser(std::string_view text) : lines_(split(text, "\n")) {}

  Digest parse(bool with_translations) {
    Digest digest;
    digest.listing_date = std::chrono::year{2026} / 6 / 18;
    digest.generated_at = std::chrono::sys_days{digest.listing_date} + 11h + 52min + 58s;
    digest.announced_at = std::chrono::sys_days{digest.listing_date};
    digest.time_zone = "Asia/Shanghai";
    digest.categories = {"cs.AI", "cs.CL", "cs.CV", "cs.LG", "cs.RO"};
    digest.source = SourceKind::kRss;
    digest.announced_count = kSeedAnnouncedCount;

    expect_prefix(next(), "生成时间: ");
    expect_prefix(next(), "今天共有 ");
    std::map<std::string, std::size_t> index_of_key;
    std::vector<std::optional<PaperTranslation>> translations;
    while (!at_end()) {
      const std::string_view keyword = expect_prefix(next(), "Keyword: ");
      TopicResult result;
      result.topic.name = std::string(keyword);
      result.topic.query = std::string(keyword);
      if (!at_end() && peek() == "There is no result") {
        next();
      } else {
        while (!at_end() && !starts_with(peek(), "Keyword: ")) {
          auto [paper, translation] = parse_paper();
          const auto [it, inserted] = index_of_key.emplace(paper.id.key(), digest.papers.size());
          if (inserted) {
            digest.papers.push_back(std::move(paper));
            translations.push_back(std::move(translation));
          }
          result.papers.push_back(it->second);
        }
      }
      digest.topics.push_back(std::move(result));
    }
    if (with_translations) digest.translations = std::move(translations);
    add_reasons(digest);
    return digest;
  }

 private:
  // Why each paper matched, as the real selector reports it (terms, spans) for the topic's query.
  static void add_reasons(Digest& digest) {
    for (TopicResult& result : digest.topics) {
      std::vector<const Paper*> papers;
      for (std::size_t index : result.papers) papers.push_back(&digest.papers[index]);
      TopicSelector::Selection selection = TopicSelector({result.topic}).select(papers).front();
      if (selection.papers.size() != papers.size())
        throw std::runtime_error("seed topic '" + result.topic.name + "': the query selects " +
                                 std::to_string(selection.papers.size()) + " of its " +
                                 std::to_string(papers.size()) + " papers");
      result.reasons.resize(papers.size());
      for (std::size_t i = 0; i < selection.papers.size(); ++i)
        result.reasons[selection.papers[i]] = std::move(selection.reasons[i]);
    }
  }

  std::pair<Paper, std::optional<PaperTranslation>> parse_paper() {
    Paper paper;
    std::optional<PaperTranslation> translation;
    paper.title = std::string(next());
    if (!starts_with(peek(), "- Authors: ")) {
      translation = PaperTranslation{};
      translation->title = std::string(next());
    }
    for (const std::string_view author : split(expect_prefix(next(), "- Authors: "), ", "))
      paper.authors.emplace_back(author);
    if (expect_prefix(next(), "- Subjects: ") != "Subjects:") fail("a two-line subjects entry");
    for (const std::string_view label : split(next(), "; ")) {
      const std::size_t open = label.rfind('(');
      if (open == std::string_view::npos || label.back() != ')') fail("'Name (code)'");
      paper.add_category(label.substr(open + 1, label.size() - open - 2));
    }
    paper.id = ArxivId::parse(expect_prefix(next(), "- Arxiv link: https://arxiv.org/abs/"));
    if (expect_prefix(next(), "- Pdf link: https://arxiv.org/pdf/") != paper.id.key())
      fail("the pdf link of the same id");
    expect_prefix(next(), "- Abstract");
    paper.abstract = std::string(next());
    if (!at_end() && peek() == "- 中文摘要") {
      next();
      if (!translation) fail("a Chinese title before a Chinese abstract");
      translation->abstract = std::string(next());
    } else if (translation) {
      fail("a Chinese abstract after a Chinese title");
    }
    return {std::move(paper), std::move(translation)};
  }

  bool at_end() const { return pos_ >= lines_.size(); }
  std::string_view peek() const { return at_end() ? std::string_view() : lines_[pos_]; }
  std::string_view next() {
    if (at_end()) fail("more lines");
    return lines_[pos_++];
  }
  std::string_view expect_prefix(std::string_view line, std::string_view prefix) const {
    if (!starts_with(line, prefix))
      fail(std::string("a line starting '") + std::string(prefix) + "'");
    return line.substr(prefix.size());
  }
  [[noreturn]] void fail(const std::string& expected) const {
    throw std::runtime_error("seed digest line " + std::to_string(pos_) + ": expected " + expected);
  }

  std::vector<std::string_view> lines_;
  std::size_t pos_ = 0;
};

}  // namespace

Digest parse_seed_digest(std::string_view text, bool with_translations) {
  return SeedParser(text).parse(with_translations);
}

Digest load_seed_digest(bool with_translations) {
  const std::string text = read_file(data_path(kSeedDigestFile));
  return parse_seed_digest(text, with_translations);
}

}  // namespace arxiv_digest::testing
