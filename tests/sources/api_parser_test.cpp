#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "sources/parse_util.hpp"
#include "sources/parsed_source.hpp"
#include "sources/parser_test_support.hpp"

namespace arxiv_digest {
namespace {

using namespace std::chrono;
using testing::fixture;
using testing::parse_error;
using testing::remove_span;
using testing::replace_once;

constexpr const char* kSource = "https://export.arxiv.org/api/query?id_list=x";
constexpr const char* kSingle = "api/api2026_id_1707.08567_s0_m100_6a1afebfc6a3_http200.xml";
constexpr const char* kHundred = "api/api2026_q_testing_s0_m100_cfe7536492ca_http200.xml";

sys_seconds utc(int y, unsigned m, unsigned d, int hh, int mm, int ss) {
  return sys_days{year{y} / month{m} / day{d}} + hours{hh} + minutes{mm} + seconds{ss};
}

using testing::count_of;

TEST(ParseApiAtom, Reads2026SingleEntry) {
  ParsedApiPage page = parse_api_atom(fixture(kSingle), kSource);
  EXPECT_EQ(page.listing.declared_total, std::optional<std::size_t>(1));
  EXPECT_EQ(page.start_index, 0u);
  EXPECT_EQ(page.items_per_page, 100u);
  EXPECT_EQ(page.listing.feed_title,
            "arXiv Query: search_query=&id_list=1707.08567&start=0&max_results=100");
  EXPECT_FALSE(page.listing.listing_date.has_value());
  ASSERT_EQ(page.listing.papers.size(), 1u);
  const Paper& p = page.listing.papers[0];
  EXPECT_EQ(p.id.str(), "1707.08567v1");
  EXPECT_EQ(p.title,
            "Proceedings of Workshop AEW10: Concepts in Information Theory and Communications");
  ASSERT_EQ(p.authors.size(), 34u);
  EXPECT_EQ(p.authors.front(), "Kees A. Schouhamer Immink");
  EXPECT_EQ(p.authors[32], "Dirk Wübben");
  EXPECT_EQ(p.comments, "44 pages, editors for the proceedings: Yanling Chen and A. J. Han Vinck");
  EXPECT_EQ(p.categories, std::vector<std::string>{"cs.IT"});
  EXPECT_EQ(p.primary_category, "cs.IT");
  EXPECT_EQ(p.submitted, utc(2017, 7, 27, 8, 18, 33));
  EXPECT_EQ(p.updated, utc(2017, 7, 27, 8, 18, 33));
  EXPECT_EQ(p.announce_type, AnnounceType::kNew);
  EXPECT_EQ(
      p.abstract.rfind("The 10th Asia-Europe workshop in \"Concepts in Information Theory", 0), 0u);
}

TEST(ParseApiAtom, ReadsOldStyleIdsAndDecodesEntities) {
  ParsedApiPage page = parse_api_atom(
      fixture("api/api2026_id_astro-ph_0601001_s0_m100_3150dca9dc76_http200.xml"), kSource);
  ASSERT_EQ(page.listing.papers.size(), 1u);
  const Paper& p = page.listing.papers[0];
  EXPECT_EQ(p.id.str(), "astro-ph/0601001v1");
  EXPECT_TRUE(p.id.old_style());
  EXPECT_EQ(p.journal_ref, "ActaAstron.56:1-50,2006");
  EXPECT_EQ(p.categories, std::vector<std::string>{"astro-ph"});
  EXPECT_EQ(p.authors, (std::vector<std::string>{"Andrew Gould", "Susan Dorsher", "B. Scott Gaudi",
                                                 "Andrzej Udalski"}));
  EXPECT_EQ(p.abstract.rfind("We derive the frequencies of hot Jupiters", 0), 0u);  // trimmed
  EXPECT_NE(p.abstract.find("following Gould & Morgan (2003)"), std::string::npos);
  EXPECT_NE(p.abstract.find("limit of V_max<17.5."), std::string::npos);
  EXPECT_NE(p.abstract.find("(1/310)(1^{+1.39}_{-0.59})"), std::string::npos);  // TeX verbatim
}

TEST(ParseApiAtom, ReadsTheClassic2016Layout) {
  ParsedApiPage page = parse_api_atom(fixture("api/classic2016_id_list_1111.2011v2.xml"), kSource);
  EXPECT_EQ(page.listing.declared_total, std::optional<std::size_t>(1));
  EXPECT_EQ(page.items_per_page, 10u);
  ASSERT_EQ(page.listing.papers.size(), 1u);
  const Paper& p = page.listing.papers[0];
  EXPECT_EQ(p.id.str(), "1111.2011v2");
  // Hard-wrapped title joined.
  EXPECT_EQ(p.title,
            "Quantum Criticality for Extended Nodes on a Bethe Lattice in the Large Connectivity "
            "Limit");
  EXPECT_EQ(p.abstract.find('\n'), std::string::npos);
  EXPECT_EQ(p.abstract.find("  "), std::string::npos);
  EXPECT_EQ(p.abstract.rfind("Theoretical description of anisotropic systems, such as layered "
                             "superconductors",
                             0),
            0u);
  EXPECT_EQ(p.doi, "10.1103/PhysRevB.85.115117");
  EXPECT_EQ(p.comments, "8 pages, 3 figures. Published version");
  EXPECT_EQ(p.journal_ref, "Phys. Rev. B 85, 115117 (2012)");
  // <arxiv:primary_category> comes after the authors here, yet it is first.
  EXPECT_EQ(p.categories, (std::vector<std::string>{"cond-mat.str-el", "cond-mat.stat-mech"}));
  EXPECT_EQ(p.submitted, utc(2011, 11, 8, 18, 48, 36));
  EXPECT_EQ(p.updated, utc(2012, 4, 2, 12, 38, 54));
}

TEST(ParseApiAtom, ReadsFullPagesOfBothLayouts) {
  struct Case {
    std::string file;
    std::size_t total;
  };
  for (const Case& c :
       {Case{kHundred, 214881},
        Case{"api/api2026_q_testing_s0_m10_bc5a6c384fe9_http200.xml", 214881},
        Case{"api/classic2016_search_au_del_maestro.xml", 0},
        Case{"api/api2026_id_quant-ph_0201082v1_s0_m100_86989fe779ef_http200.xml", 1}}) {
    const std::string body = fixture(c.file);
    ParsedApiPage page = parse_api_atom(body, c.file);
    EXPECT_EQ(page.listing.papers.size(), count_of(body, "<entry>")) << c.file;
    if (c.total > 0) {
      EXPECT_EQ(page.listing.declared_total, std::optional<std::size_t>(c.total));
    }
    for (const Paper& p : page.listing.papers) {
      EXPECT_TRUE(p.id.has_version()) << p.id.str();
      EXPECT_FALSE(p.title.empty()) << p.id.str();
      EXPECT_FALSE(p.abstract.empty()) << p.id.str();
      EXPECT_FALSE(p.authors.empty()) << p.id.str();
      ASSERT_FALSE(p.categories.empty()) << p.id.str();
      EXPECT_EQ(p.categories.front(), p.primary_category) << p.id.str();
      for (const auto& cat : p.categories) {
        EXPECT_TRUE(parse_detail::is_arxiv_category(cat)) << p.id.str() << " " << cat;
      }
      EXPECT_EQ(p.title.find("  "), std::string::npos) << p.id.str();
      EXPECT_EQ(p.abstract.find('\n'), std::string::npos) << p.id.str();
      ASSERT_TRUE(p.submitted.has_value() && p.updated.has_value()) << p.id.str();
      EXPECT_LE(*p.submitted, *p.updated) << p.id.str();
    }
  }
}

TEST(ParseApiAtom, ZeroResultsIsAnEmptyPage) {
  ParsedApiPage page =
      parse_api_atom(fixture("api/api2026_id_0000.0000_s0_m100_8b51d9633a68_http200.xml"), kSource);
  EXPECT_TRUE(page.listing.papers.empty());
  EXPECT_EQ(page.listing.declared_total, std::optional<std::size_t>(0));
}

TEST(ParseApiAtom, ErrorEntryQuotesArxivsMessage) {
  const std::string body = fixture("api/api2026_id_abc_s0_m100_b79c8dcf6bc3_http400.xml");
  auto e =
      parse_error([&] { parse_api_atom(body, "https://export.arxiv.org/api/query?id_list=abc"); });
  ASSERT_TRUE(e);
  EXPECT_EQ(e->field(), "entry");
  EXPECT_EQ(e->line(), 9u);
  EXPECT_EQ(e->column(), 3u);
  EXPECT_NE(std::string(e->what()).find("'incorrect id format for abc'"), std::string::npos)
      << e->what();
}

TEST(ParseApiAtom, KeepsOnlyArxivCategoryTerms) {
  std::string body = fixture(kSingle);
  body = replace_once(body, "<category term=\"cs.IT\" scheme=\"http://arxiv.org/schemas/atom\"/>",
                      "<category term=\"cs.IT\" scheme=\"http://arxiv.org/schemas/atom\"/>\n"
                      "    <category term=\"68T05\" scheme=\"http://arxiv.org/schemas/atom\"/>\n"
                      "    <category term=\"I.2.6\" scheme=\"http://arxiv.org/schemas/atom\"/>\n"
                      "    <category term=\"math.IT\" scheme=\"http://arxiv.org/schemas/atom\"/>");
  ParsedApiPage page = parse_api_atom(body, kSource);
  EXPECT_EQ(page.listing.papers.at(0).categories, (std::vector<std::string>{"cs.IT", "math.IT"}));
}

TEST(ParseApiAtom, TruncatedResponsesAreErrorsAtTheCut) {
  const auto errors = testing::truncation_errors(
      fixture(kHundred),
      {{"<opensearch:totalResults>2", "opensearch:totalResults"},
       {"<entry>\n    <id>http://arxiv.org/abs/", "id"},
       {"<summary>Deep Learning (DL) has", "summary"},
       {"</entry>", "feed"},
       {"<author>\n      <na", "na"}},
      [](const std::string& body) { (void)parse_api_atom(body, kSource); });
  for (const auto& [truncated, e] : errors)
    EXPECT_EQ(e.line(), testing::at(truncated, truncated.size() - 1).line) << e.what();
}

TEST(ParseApiAtom, BrokenVariantsAreErrorsWithLineAndField) {
  const std::string body = fixture(kSingle);
  struct Case {
    std::string name;
    std::string mutated;
    std::string field;
    std::string at_text;
    std::string message;
  };
  const std::vector<Case> cases = {
      {"bad byte in an author",
       replace_once(body,
                    "Dirk W\xC3\xBC"
                    "bben",
                    "Dirk W\xFC"
                    "bben"),
       "name", "\xFC", "not valid UTF-8"},
      {"missing id", remove_span(body, "<id>http://arxiv.org/abs/1707.08567v1", "</id>"), "id",
       "<entry>", "has no <id>"},
      {"id not an abstract URL",
       replace_once(body, "<id>http://arxiv.org/abs/1707.08567v1",
                    "<id>http://arxiv.org/1707.08567v1"),
       "id", "<id>http://arxiv.org/1707", "not an arXiv abstract URL"},
      {"malformed id", replace_once(body, "abs/1707.08567v1</id>", "abs/1707.8567v1</id>"), "id",
       "<id>http://arxiv.org/abs/1707.8567v1", "not an arXiv identifier"},
      {"missing title", remove_span(body, "<title>Proceedings of Workshop", "</title>"), "title",
       "<entry>", "has no <title>"},
      {"bad published date",
       replace_once(body, "<published>2017-07-27T08:18:33Z", "<published>27 July 2017"),
       "published", "<published>27 July", "'27 July 2017'"},
      {"bad totalResults",
       replace_once(body, "<opensearch:totalResults>1<", "<opensearch:totalResults>one<"),
       "totalResults", "<opensearch:totalResults>one", "'one'"},
      {"mismatched tag", replace_once(body, "</summary>", "</summmary>"), "summary", "",
       "not well-formed"},
      {"html page",
       "<!DOCTYPE html>\n<html><head><title>503 Service Unavailable</title></head>"
       "<body></body></html>",
       "html", "<!DOCTYPE", "HTML page"},
      {"rss feed", fixture("rss/cs.LG_empty_2026-06-20.xml"), "rss", "<rss",
       "root element is <rss>"},
  };
  for (const auto& c : cases) {
    auto e = parse_error([&] { parse_api_atom(c.mutated, kSource); });
    ASSERT_TRUE(e) << c.name;
    EXPECT_EQ(e->field(), c.field) << c.name << ": " << e->what();
    EXPECT_NE(std::string(e->what()).find(c.message), std::string::npos)
        << c.name << ": " << e->what();
    if (c.at_text.empty()) {
      EXPECT_GT(e->line(), 1u) << c.name;
      continue;
    }
    auto offset = c.mutated.find(c.at_text);
    ASSERT_NE(offset, std::string::npos) << c.name;
    auto pos = testing::at(c.mutated, offset);
    EXPECT_EQ(e->line(), pos.line) << c.name << ": " << e->what();
    EXPECT_EQ(e->column(), pos.column) << c.name << ": " << e->what();
  }
}

}  // namespace
}  // namespace arxiv_digest
