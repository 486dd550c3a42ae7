#include "sources/oai_parser.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "sources/parse_util.hpp"
#include "sources/parser_test_support.hpp"

namespace arxiv_digest {
namespace {

using namespace std::chrono;
using testing::fixture;
using testing::parse_error;
using testing::remove_span;
using testing::replace_once;

constexpr const char* kSource = "https://oaipmh.arxiv.org/oai?verb=ListRecords";
constexpr const char* kHepEx =
    "oai/hepcrawl_ListRecords_arXiv_set-physics-hep-ex_from-2017-12-14_trimmed3.xml";
constexpr const char* kHepTh =
    "oai/hepcrawl_ListRecords_arXiv_set-physics-hep-th_from-2017-12-14_trimmed3.xml";
constexpr const char* kArxivSingle = "oai/hepcrawl_GetRecord_arXiv_1401.2122_2018.xml";
constexpr const char* kRawList =
    "oai/mikesaelim_ListRecords_arXivRaw_from-2014-10-01_trimmed6_resumptionToken.xml";
constexpr const char* kRawSingle = "oai/mikesaelim_GetRecord_arXivRaw_1302.2146_2015.xml";
constexpr const char* kDcList =
    "oai/atomiklabs_ListRecords_oai_dc_set-cs_from-2024-01-25_trimmed5_resumptionToken.xml";
constexpr const char* kRawToken =
    "<resumptionToken cursor=\"0\" completeListSize=\"58011\">726959|1001</resumptionToken>";

sys_seconds utc(int y, unsigned m, unsigned d, int hh = 0, int mm = 0, int ss = 0) {
  return sys_days{year{y} / month{m} / day{d}} + hours{hh} + minutes{mm} + seconds{ss};
}

bool ends_with(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

using testing::count_of;

// The header identifiers of every record, in document order ("oai:arXiv.org:" removed).
std::vector<std::string> header_ids(const std::string& body) {
  std::vector<std::string> out;
  const std::string open = "<identifier>oai:arXiv.org:";
  for (auto at = body.find(open); at != std::string::npos; at = body.find(open, at + 1)) {
    auto start = at + open.size();
    out.push_back(body.substr(start, body.find('<', start) - start));
  }
  return out;
}

std::vector<std::string> keys(const OaiPage& page) {
  std::vector<std::string> out;
  for (const Paper& p : page.papers) out.push_back(p.id.key());
  return out;
}

// DERIVED (in memory, not stored): the record with header identifier `oai_id` turned into a
// deleted record as OAI-PMH 2.0 specifies one: <header status="deleted"> and no <metadata>.
std::string delete_record(std::string body, const std::string& oai_id) {
  auto id_at = body.find("<identifier>" + oai_id + "</identifier>");
  auto header_at = body.rfind("<header>", id_at);
  auto meta_at = body.find("<metadata>", id_at);
  auto meta_end = body.find("</metadata>", meta_at);
  if (id_at == std::string::npos || header_at == std::string::npos ||
      meta_end == std::string::npos) {
    ADD_FAILURE() << "no record " << oai_id;
    return body;
  }
  body.erase(meta_at, meta_end + std::string("</metadata>").size() - meta_at);
  body.replace(header_at, std::string("<header>").size(), "<header status=\"deleted\">");
  return body;
}

TEST(OaiPmhParser, CountsRecordsTokensAndFormatOfEveryFixture) {
  struct Case {
    std::string file;
    std::size_t papers;
    std::string prefix;
    std::optional<std::string> token;
    std::optional<std::size_t> complete_list_size;
  };
  const std::vector<Case> cases = {
      {kHepEx, 3, "arXiv", std::nullopt, std::nullopt},
      {kHepTh, 3, "arXiv", std::nullopt, std::nullopt},
      {kArxivSingle, 1, "arXiv", std::nullopt, std::nullopt},
      {kRawList, 6, "arXivRaw", "726959|1001", 58011},
      {kRawSingle, 1, "arXivRaw", std::nullopt, std::nullopt},
      {kDcList, 5, "oai_dc", "6960524|1001", 1162},
  };
  for (const Case& c : cases) {
    const std::string body = fixture(c.file);
    OaiPage page = parse_oai_pmh(body, c.file);
    EXPECT_EQ(page.papers.size(), c.papers) << c.file;
    EXPECT_EQ(page.papers.size(), count_of(body, "<record>")) << c.file;
    EXPECT_EQ(keys(page), header_ids(body)) << c.file;  // document order
    EXPECT_EQ(page.deleted, 0u) << c.file;
    EXPECT_EQ(page.metadata_prefix, c.prefix) << c.file;
    EXPECT_EQ(page.resumption_token, c.token) << c.file;
    EXPECT_EQ(page.has_more(), c.token.has_value()) << c.file;
    EXPECT_EQ(page.complete_list_size, c.complete_list_size) << c.file;
    for (const Paper& p : page.papers) {
      EXPECT_FALSE(p.title.empty()) << p.id.str();
      EXPECT_FALSE(p.abstract.empty()) << p.id.str();
      EXPECT_FALSE(p.authors.empty()) << p.id.str();
      EXPECT_EQ(p.announce_type, AnnounceType::kNew) << p.id.str();
      EXPECT_EQ(p.title.find('\n'), std::string::npos) << p.id.str();
      EXPECT_EQ(p.abstract.find("  "), std::string::npos) << p.id.str();
      EXPECT_EQ(p.abstract.find('\n'), std::string::npos) << p.id.str();
      ASSERT_TRUE(p.submitted && p.updated) << p.id.str();
      EXPECT_LE(*p.submitted, *p.updated) << p.id.str();
      if (c.prefix == "oai_dc") continue;  // oai_dc has subject names, not codes
      ASSERT_FALSE(p.categories.empty()) << p.id.str();
      EXPECT_EQ(p.primary_category, p.categories.front()) << p.id.str();
    }
  }
}

TEST(OaiPmhParser, ReadsEveryFieldOfTheArxivFormat) {
  OaiPage page = parse_oai_pmh(fixture(kArxivSingle), kSource);
  ASSERT_EQ(page.papers.size(), 1u);
  const Paper& p = page.papers[0];
  EXPECT_EQ(p.id.str(), "1401.2122");
  EXPECT_FALSE(p.id.has_version());
  EXPECT_EQ(p.title, "New integrable (3+1)-dimensional systems and contact geometry");
  EXPECT_EQ(p.authors, std::vector<std::string>{"A. Sergyeyev"});
  EXPECT_EQ(p.categories, (std::vector<std::string>{"math.AP", "hep-th", "math-ph", "math.DG",
                                                    "math.MP", "nlin.SI"}));
  EXPECT_EQ(p.primary_category, "math.AP");
  EXPECT_EQ(p.comments,
            "16 pages, LaTeX, no figures, revised and abridged, in this version (v5) the typos "
            "were fixed (including some that have unfortunately crept into the published version "
            "too), Letters in Mathematical Physics (2017)");
  EXPECT_EQ(p.journal_ref, "Lett. Math. Phys. 108 (2018), no. 2, 359-376");
  EXPECT_EQ(p.doi, "10.1007/s11005-017-1013-4");
  EXPECT_EQ(p.license, "http://arxiv.org/licenses/nonexclusive-distrib/1.0/");
  EXPECT_EQ(p.abstract,
            "We introduce a novel systematic construction for integrable (3+1)-dimensional "
            "dispersionless systems using nonisospectral Lax pairs that involve contact vector "
            "fields. In particular, we present new large classes of (3+1)-dimensional integrable "
            "dispersionless systems associated to the Lax pairs which are polynomial and rational "
            "in the spectral parameter.");
  EXPECT_EQ(p.submitted, utc(2014, 1, 9));
  EXPECT_EQ(p.updated, utc(2017, 10, 23));
  EXPECT_EQ(p.announce_type, AnnounceType::kNew);
}

TEST(OaiPmhParser, ArxivFormatListKeepsAuthorOrderAndOptionalFields) {
  OaiPage page = parse_oai_pmh(fixture(kHepEx), kSource);
  ASSERT_EQ(page.papers.size(), 3u);
  const Paper& first = page.papers[0];
  EXPECT_EQ(first.title,
            "Evaluation of Silicon Photomultipliers for use as Photosensors in Liquid Xenon "
            "Detectors");
  ASSERT_EQ(first.authors.size(), 13u);
  EXPECT_EQ(first.authors.front(), "Tyler Anderson");
  EXPECT_EQ(first.authors.back(), "Mani Tripathi");
  EXPECT_EQ(first.categories, (std::vector<std::string>{"physics.ins-det", "hep-ex"}));
  EXPECT_TRUE(first.doi.empty());
  EXPECT_TRUE(first.journal_ref.empty());

  const Paper& second = page.papers[1];
  EXPECT_EQ(second.id.str(), "1706.09418");
  EXPECT_EQ(second.authors,
            (std::vector<std::string>{"Daniel Dercks", "Herbi Dreiner", "Manuel E. Krauss",
                                      "Toby Opferkuch", "Annika Reinert"}));
  EXPECT_EQ(second.journal_ref, "Eur. Phys. J. C (2017) 77:856");
  EXPECT_EQ(second.doi, "10.1140/epjc/s10052-017-5414-4");
  EXPECT_EQ(second.submitted, utc(2017, 6, 28));
  EXPECT_EQ(second.updated, utc(2017, 11, 26));

  const Paper& third = page.papers[2];
  EXPECT_EQ(third.title,
            "Implications of right-handed neutrinos in $B-L$ extended standard model with scalar "
            "dark matter");  // TeX verbatim, hard wrap joined
  EXPECT_EQ(third.categories, (std::vector<std::string>{"hep-ph", "astro-ph.CO", "hep-ex"}));
  EXPECT_TRUE(ends_with(third.abstract, "$m_{Z'} \\sim 5.5$ TeV.")) << third.abstract;
}

TEST(OaiPmhParser, ArxivFormatWithoutUpdatedIsVersionOne) {
  // DERIVED: the <updated> element removed (what arXiv sends for a paper with one version).
  std::string body = remove_span(fixture(kArxivSingle), "<updated>2017-10-23", "</updated>");
  OaiPage page = parse_oai_pmh(body, kSource);
  ASSERT_EQ(page.papers.size(), 1u);
  EXPECT_EQ(page.papers[0].submitted, utc(2014, 1, 9));
  EXPECT_EQ(page.papers[0].updated, utc(2014, 1, 9));
}

TEST(OaiPmhParser, ReadsEveryFieldOfTheArxivRawFormat) {
  OaiPage page = parse_oai_pmh(fixture(kRawSingle), kSource);
  ASSERT_EQ(page.papers.size(), 1u);
  const Paper& p = page.papers[0];
  EXPECT_EQ(p.id.str(), "1302.2146v2");  // latest <version>
  EXPECT_EQ(p.title, "The Same-Sign Dilepton Signature of RPV/MFV SUSY");
  EXPECT_EQ(p.authors, (std::vector<std::string>{"Joshua Berger", "Maxim Perelstein",
                                                 "Michael Saelim", "Philip Tanedo"}));
  EXPECT_EQ(p.categories, (std::vector<std::string>{"hep-ph", "hep-ex"}));
  EXPECT_EQ(p.primary_category, "hep-ph");
  EXPECT_EQ(p.comments, "18 pages, 6 figures; v2: References added");
  EXPECT_EQ(p.license, "http://arxiv.org/licenses/nonexclusive-distrib/1.0/");
  EXPECT_TRUE(p.journal_ref.empty());
  EXPECT_TRUE(p.doi.empty());
  EXPECT_EQ(p.abstract.rfind("The lack of observation of superpartners at the Large Hadron "
                             "Collider so far has led to a renewed interest",
                             0),
            0u);
  EXPECT_TRUE(ends_with(p.abstract, "TeV LHC with a 100 fb^-1 data set.")) << p.abstract;
  EXPECT_NE(p.abstract.find("at 95% confidence level"), std::string::npos);
  EXPECT_EQ(p.submitted, utc(2013, 2, 8, 21, 0, 1));  // Fri, 8 Feb 2013 21:00:01 GMT
  EXPECT_EQ(p.updated, utc(2013, 4, 2, 1, 50, 8));    // Tue, 2 Apr 2013 01:50:08 GMT
}

TEST(OaiPmhParser, ArxivRawListSplitsAuthorLinesAndKeepsVersionHistory) {
  OaiPage page = parse_oai_pmh(fixture(kRawList), kSource);
  ASSERT_EQ(page.papers.size(), 6u);
  const Paper& shetty = page.papers[0];
  EXPECT_EQ(shetty.id.str(), "0704.0471v1");
  EXPECT_EQ(shetty.authors,
            (std::vector<std::string>{"D.V. Shetty", "S.J. Yennello", "G.A. Souliotis"}));
  EXPECT_EQ(shetty.title,
            "Density dependence of the symmetry energy and the nuclear equation of state: A "
            "Dynamical and Statistical model perspective");
  EXPECT_EQ(shetty.doi, "10.1103/PhysRevC.76.024606 10.1103/PhysRevC.76.039902");
  EXPECT_EQ(shetty.journal_ref, "Phys.Rev.C76:024606,2007; Erratum-ibid.C76:039902,2007");
  EXPECT_TRUE(shetty.license.empty());
  EXPECT_NE(shetty.abstract.find("an extremely \" stiff \" and \" soft \" form"),
            std::string::npos);  // &quot; decoded
  EXPECT_EQ(shetty.submitted, utc(2007, 4, 3, 22, 4, 11));
  EXPECT_EQ(shetty.updated, shetty.submitted);

  const Paper& richard = page.papers[1];
  EXPECT_EQ(richard.id.str(), "0704.0716v4");
  EXPECT_EQ(richard.categories, (std::vector<std::string>{"math-ph", "math.MP"}));
  EXPECT_EQ(richard.journal_ref,
            "Polygons, polyominoes and polycubes, 247-299, Lecture Notes in Phys., 775, "
            "Springer, Dordrecht, 2009");
  EXPECT_EQ(richard.submitted, utc(2007, 4, 5, 12, 45, 3));
  EXPECT_EQ(richard.updated, utc(2008, 11, 14, 9, 7, 25));

  EXPECT_EQ(page.papers[3].authors,
            (std::vector<std::string>{"Valeria M. Rosa", "Patricio S. letelier"}));
  EXPECT_EQ(page.papers[5].title,
            "Core excitation in the elastic scattering and breakup of $^{11}$Be on protons");
}

TEST(OaiPmhParser, ReadsTheOaiDcFormat) {
  OaiPage page = parse_oai_pmh(fixture(kDcList), kSource);
  ASSERT_EQ(page.papers.size(), 5u);
  const Paper& p = page.papers[0];
  EXPECT_EQ(p.id.str(), "1303.2033");
  EXPECT_EQ(p.title, "Extended Fourier analysis of signals");
  EXPECT_EQ(p.authors, std::vector<std::string>{"Vilnis Liepins"});
  // dc:subject holds names ("Computer Science - Information Theory"), not codes.
  EXPECT_TRUE(p.categories.empty());
  EXPECT_TRUE(p.primary_category.empty());
  EXPECT_EQ(p.comments, "32 pages, 9 figures");
  EXPECT_EQ(p.abstract.rfind("This summary of the doctoral thesis is created to emphasize", 0), 0u);
  EXPECT_TRUE(ends_with(p.abstract, "EDFT application could be considered as a real alternative."))
      << p.abstract;
  EXPECT_EQ(p.submitted, utc(2013, 3, 8));
  EXPECT_EQ(p.updated, utc(2024, 1, 23));

  EXPECT_EQ(page.papers[1].authors,
            (std::vector<std::string>{"Chuankun Li", "Shuai Li", "Yanbo Gao", "Ping Chen",
                                      "Jian Li", "Wanqing Li"}));
  const Paper& last = page.papers[4];
  EXPECT_EQ(last.id.str(), "2401.14040");
  EXPECT_EQ(last.comments, "Accepted to the Findings of EACL 2024");
  EXPECT_EQ(last.submitted, utc(2024, 1, 25));
  EXPECT_EQ(last.updated, utc(2024, 1, 25));
}

TEST(OaiPmhParser, OaiDcSubjectsAreKeptOnlyWhenTheyAreArxivCodes) {
  // DERIVED: one subject name replaced by a category code.
  std::string body =
      replace_once(fixture(kDcList),
                   "<dc:subject>Computer Science - Data Structures and Algorithms</dc:subject>",
                   "<dc:subject>cs.DS</dc:subject>");
  OaiPage page = parse_oai_pmh(body, kSource);
  EXPECT_EQ(page.papers.at(0).categories, std::vector<std::string>{"cs.DS"});
  EXPECT_EQ(page.papers.at(0).primary_category, "cs.DS");
}

TEST(OaiPmhParser, ReadsOldStyleIdsFromTheOaiIdentifier) {
  // DERIVED: the oai_dc record (id only in the header) renamed to an old-style id.
  std::string body = replace_once(fixture(kDcList), "<identifier>oai:arXiv.org:1303.2033<",
                                  "<identifier>oai:arXiv.org:hep-th/9901001<");
  OaiPage page = parse_oai_pmh(body, kSource);
  const Paper& p = page.papers.at(0);
  EXPECT_EQ(p.id.str(), "hep-th/9901001");
  EXPECT_TRUE(p.id.old_style());
  EXPECT_EQ(p.title, "Extended Fourier analysis of signals");
}

TEST(OaiPmhParser, DeletedRecordsAreSkippedAndCounted) {
  // DERIVED: the middle record (1507.07790) deleted; arXiv's fixtures hold no deleted record.
  std::string body = delete_record(fixture(kHepTh), "oai:arXiv.org:1507.07790");
  OaiPage page = parse_oai_pmh(body, kSource);
  EXPECT_EQ(page.deleted, 1u);
  EXPECT_EQ(keys(page), (std::vector<std::string>{"1412.8323", "1607.01710"}));
  EXPECT_EQ(page.metadata_prefix, "arXiv");

  // A page of deleted records only: empty, format taken from the request.
  std::string all_deleted = delete_record(fixture(kRawSingle), "oai:arXiv.org:1302.2146");
  page = parse_oai_pmh(all_deleted, kSource);
  EXPECT_TRUE(page.papers.empty());
  EXPECT_EQ(page.deleted, 1u);
  EXPECT_EQ(page.metadata_prefix, "arXivRaw");
}

TEST(OaiPmhParser, ResumptionTokenPresentEmptyAbsentAndWithoutSize) {
  const std::string body = fixture(kRawList);
  struct Case {
    std::string name;
    std::string token_element;
    std::optional<std::string> token;
    std::optional<std::size_t> size;
    bool more;
  };
  // DERIVED variants of the real token: the empty token OAI-PMH sends on the last page, the
  // 2025 rewrite's token without completeListSize, and no token at all.
  const std::vector<Case> cases = {
      {"real", kRawToken, "726959|1001", 58011, true},
      {"last page", "<resumptionToken cursor=\"57000\" completeListSize=\"58011\"/>", "", 58011,
       false},
      {"last page, spaces", "<resumptionToken completeListSize=\"58011\">  </resumptionToken>", "",
       58011, false},
      {"no size", "<resumptionToken>726959|1001</resumptionToken>", "726959|1001", std::nullopt,
       true},
      {"absent", "", std::nullopt, std::nullopt, false},
  };
  for (const Case& c : cases) {
    OaiPage page = parse_oai_pmh(replace_once(body, kRawToken, c.token_element), kSource);
    EXPECT_EQ(page.papers.size(), 6u) << c.name;
    EXPECT_EQ(page.resumption_token, c.token) << c.name;
    EXPECT_EQ(page.complete_list_size, c.size) << c.name;
    EXPECT_EQ(page.has_more(), c.more) << c.name;
  }
}

TEST(OaiPmhParser, NoRecordsMatchIsAnEmptyPageNotAnError) {
  OaiPage page = parse_oai_pmh(fixture("oai/mikesaelim_ErrorResponseNoRecordsMatch.xml"), kSource);
  EXPECT_TRUE(page.papers.empty());
  EXPECT_EQ(page.deleted, 0u);
  EXPECT_FALSE(page.resumption_token.has_value());
  EXPECT_FALSE(page.has_more());
  EXPECT_FALSE(page.complete_list_size.has_value());
  EXPECT_EQ(page.metadata_prefix, "arXivRaw");  // from <request metadataPrefix>
}

TEST(OaiPmhParser, ErrorResponsesThrowWithCodeAndMessage) {
  struct Case {
    std::string file;
    std::string code;
    std::string message;
  };
  const std::vector<Case> cases = {
      {"oai/mikesaelim_ErrorResponseBadArgument.xml", "badArgument",
       "Verb 'ListRecords', illegal argument 'identifier'."},
      {"oai/mikesaelim_ErrorResponseBadResumptionToken.xml", "badResumptionToken",
       "The resumptionToken supplied is illegal for this repository"},
      {"oai/mikesaelim_ErrorResponseBadVerb.xml", "badVerb",
       "Bad verb. Verb 'wah' not implemented."},
      {"oai/mikesaelim_ErrorResponseIdDoesNotExist.xml", "idDoesNotExist",
       "Identifier 'oai:arXiv.org:0813.2274' has correct form but does not correspond to an item "
       "in this repository"},
  };
  for (const Case& c : cases) {
    const std::string body = fixture(c.file);
    auto e = parse_error([&] { (void)parse_oai_pmh(body, kSource); });
    ASSERT_TRUE(e) << c.file;
    EXPECT_EQ(e->source(), kSource);
    EXPECT_EQ(e->field(), "error") << c.file;
    const std::string what = e->what();
    EXPECT_EQ(what.rfind(kSource, 0), 0u) << what;
    EXPECT_NE(what.find("'" + c.code + "'"), std::string::npos) << what;
    EXPECT_NE(what.find("'" + c.message + "'"), std::string::npos) << what;
    auto pos = testing::at(body, body.find("<error"));
    EXPECT_EQ(e->line(), pos.line) << c.file;
    EXPECT_EQ(e->column(), pos.column) << c.file;
  }
}

TEST(OaiPmhParser, TruncatedResponsesAreErrorsAtTheCut) {
  const auto errors = testing::truncation_errors(
      fixture(kRawList),
      {{"<responseDate>2015", "responseDate"},
       {"<authors>D.V. Shetty, S.J.", "authors"},
       {"<abstract>  We discuss the asymptotic", "abstract"},
       {"</record>", "ListRecords"},
       {"<resumptionToken cursor=\"0\" compl", "resumptionToken"}},
      [](const std::string& body) { (void)parse_oai_pmh(body, "page-3.xml"); });
  for (const auto& [truncated, e] : errors) {
    EXPECT_EQ(e.source(), "page-3.xml");
    EXPECT_EQ(e.line(), testing::at(truncated, truncated.size() - 1).line) << e.what();
  }
}

TEST(OaiPmhParser, BrokenVariantsAreErrorsWithLineAndField) {
  const std::string arxiv = fixture(kArxivSingle);
  const std::string raw = fixture(kRawSingle);
  const std::string dc = fixture(kDcList);
  struct Case {
    std::string name;
    std::string mutated;
    std::string field;
    std::string at_text;
    std::string message;
  };
  // DERIVED in memory from the real fixtures, one defect each.
  const std::vector<Case> cases = {
      {"non-UTF-8 byte in an author line",
       replace_once(raw, "Michael Saelim and", "Michael S\xE6lim and"), "authors", "\xE6",
       "not valid UTF-8"},
      {"html page",
       "<!DOCTYPE html>\n<html><head><title>503 Service Unavailable</title></head>"
       "<body></body></html>",
       "html", "<!DOCTYPE", "HTML page"},
      {"api atom feed", fixture("api/api2026_id_1707.08567_s0_m100_6a1afebfc6a3_http200.xml"),
       "feed", "<feed", "root element is <feed>"},
      {"mismatched tag", replace_once(arxiv, "</abstract>", "</abstrakt>"), "abstract", "",
       "not well-formed"},
      {"malformed metadata id", replace_once(arxiv, "<id>1401.2122</id>", "<id>1401.21</id>"), "id",
       "<id>1401.21", "'1401.21', not an arXiv identifier"},
      {"foreign oai identifier",
       replace_once(dc, "<identifier>oai:arXiv.org:1303.2033", "<identifier>oai:example.org:1"),
       "identifier", "<identifier>oai:example.org:1", "not an arXiv OAI identifier"},
      {"missing title", remove_span(arxiv, "<title>New integrable", "</title>"), "title", "<arXiv ",
       "has no <title>"},
      {"bad created date", replace_once(arxiv, "<created>2014-01-09", "<created>2014-13-09"),
       "created", "<created>", "'2014-13-09', not a YYYY-MM-DD date"},
      {"bad version date",
       replace_once(raw, "<date>Fri, 8 Feb 2013 21:00:01 GMT", "<date>8/2/2013"), "date",
       "<date>8/2/2013", "'8/2/2013', not an RFC 822 date-time"},
      {"bad version tag", replace_once(raw, "version=\"v2\"", "version=\"two\""), "version",
       "<version version=\"two\"", "'two'"},
      {"unknown metadata format",
       replace_once(replace_once(arxiv, "<arXiv xmlns=\"http://arxiv.org/OAI/arXiv/\"",
                                 "<marc xmlns=\"http://www.loc.gov/MARC21/slim\""),
                    "</arXiv>", "</marc>"),
       "metadata", "<marc", "unknown format <marc>"},
      {"record without metadata", remove_span(arxiv, "<metadata>", "</metadata>"), "metadata",
       "<record>", "has no <metadata>"},
      {"bad completeListSize",
       replace_once(fixture(kRawList), "completeListSize=\"58011\"", "completeListSize=\"many\""),
       "resumptionToken", "<resumptionToken", "'many'"},
      {"identify response",
       replace_once(replace_once(arxiv, "<GetRecord>", "<Identify>"), "</GetRecord>",
                    "</Identify>"),
       "OAI-PMH", "<OAI-PMH", "expected <ListRecords> or <GetRecord>"},
  };
  for (const auto& c : cases) {
    auto e = parse_error([&] { (void)parse_oai_pmh(c.mutated, kSource); });
    ASSERT_TRUE(e) << c.name;
    EXPECT_EQ(e->source(), kSource) << c.name;
    EXPECT_EQ(std::string(e->what()).rfind(kSource, 0), 0u) << c.name << ": " << e->what();
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

TEST(OaiPmhParser, EmptyBodyIsAnError) {
  auto e = parse_error([] { (void)parse_oai_pmh(" \n", kSource); });
  ASSERT_TRUE(e);
  EXPECT_EQ(e->source(), kSource);
  EXPECT_NE(std::string(e->what()).find("empty"), std::string::npos) << e->what();
}

}  // namespace
}  // namespace arxiv_digest
