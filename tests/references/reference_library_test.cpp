#include "references/reference_library.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "sources/parser_test_support.hpp"

namespace arxiv_digest {
namespace {

using testing::fixture;
using testing::parse_error;
using testing::replace_once;

std::string id_of(const ReferenceEntry& entry) {
  return entry.arxiv_id ? entry.arxiv_id->str() : std::string();
}

// --- Detection and counts on the real exports ----------------------------------------------

struct DetectCase {
  const char* file;
  ReferenceFormat format;
  std::size_t entries;
};

class ReferenceDetect : public ::testing::TestWithParam<DetectCase> {};

TEST_P(ReferenceDetect, DetectsFormatAndCountsEntries) {
  const DetectCase& c = GetParam();
  const std::string text = fixture(std::string("references/") + c.file);
  ReferenceLibrary library = parse_reference_library(text, c.file);
  EXPECT_EQ(library.format, c.format);
  EXPECT_EQ(library.entries.size(), c.entries);
}

INSTANTIATE_TEST_SUITE_P(
    ReferenceFixtures, ReferenceDetect,
    ::testing::Values(DetectCase{"zotero_bibtex_boldt.bib", ReferenceFormat::kBibtex, 4},
                      DetectCase{"zotero_biblatex_mou.bib", ReferenceFormat::kBibtex, 4},
                      DetectCase{"ris_duheng.ris", ReferenceFormat::kRis, 2},
                      DetectCase{"ris_amao.ris", ReferenceFormat::kRis, 3},
                      DetectCase{"better_csl_j1c.json", ReferenceFormat::kCslJson, 4},
                      DetectCase{"seed_rl.bib", ReferenceFormat::kBibtex, 4},
                      DetectCase{"seed_rl.ris", ReferenceFormat::kRis, 4},
                      DetectCase{"seed_rl.json", ReferenceFormat::kCslJson, 4}));

// --- Exact field values on the real exports ------------------------------------------------

struct EntryCase {
  const char* file;
  std::size_t index;
  std::size_t line;
  const char* arxiv_id;  // "" = none
  const char* title;
  const char* doi;
  std::size_t author_count;
  const char* first_author;
  const char* last_author;
  const char* abstract_start;  // "" = empty abstract
};

class ReferenceEntries : public ::testing::TestWithParam<EntryCase> {};

TEST_P(ReferenceEntries, ReadsFields) {
  const EntryCase& c = GetParam();
  const std::string text = fixture(std::string("references/") + c.file);
  ReferenceLibrary library = parse_reference_library(text, c.file);
  ASSERT_LT(c.index, library.entries.size());
  const ReferenceEntry& e = library.entries[c.index];
  EXPECT_EQ(e.line, c.line);
  EXPECT_EQ(id_of(e), c.arxiv_id);
  EXPECT_EQ(e.title, c.title);
  EXPECT_EQ(e.doi, c.doi);
  ASSERT_EQ(e.authors.size(), c.author_count);
  if (c.author_count > 0) {
    EXPECT_EQ(e.authors.front(), c.first_author);
    EXPECT_EQ(e.authors.back(), c.last_author);
  }
  if (std::string_view(c.abstract_start).empty()) {
    EXPECT_EQ(e.abstract, "");
  } else {
    EXPECT_EQ(e.abstract.rfind(c.abstract_start, 0), 0u) << e.abstract;
  }
}

INSTANTIATE_TEST_SUITE_P(
    ReferenceZoteroBibtex, ReferenceEntries,
    ::testing::Values(
        // id from url (journal "arXiv:1706.05125 [cs]" and note "arXiv: 1706.05125" agree)
        EntryCase{"zotero_bibtex_boldt.bib", 0, 2, "1706.05125",
                  "Deal or No Deal? End-to-End Learning for Negotiation Dialogues", "", 5,
                  "Mike Lewis", "Dhruv Batra", "Much of human dialogue occurs in semi-cooperative"},
        EntryCase{"zotero_bibtex_boldt.bib", 1, 17, "",
                  "Human-like Natural Language Generation Using Monte Carlo Tree Search",
                  "10.18653/v1/W16-5502", 6, "Kaori Kumagai", "Takayuki Nagai", ""},
        EntryCase{"zotero_bibtex_boldt.bib", 2, 32, "",
                  "α- Rank: Multi-Agent Evaluation by Evolution", "10.1038/s41598-019-45619-9", 10,
                  "Shayegan Omidshafiei", "Remi Munos", "We introduce α-Rank, a principled"},
        // A journal DOI plus an arXiv URL: the DOI is kept, the id comes from the URL.
        EntryCase{"zotero_bibtex_boldt.bib", 3, 52, "1809.01201", "Random Language Model",
                  "10.1103/PhysRevLett.122.128301", 1, "E. DeGiuli", "E. DeGiuli",
                  "Many complex generative systems"}));

INSTANTIATE_TEST_SUITE_P(
    ReferenceBetterBiblatex, ReferenceEntries,
    ::testing::Values(
        // No author, no eprint: the id comes from the arXiv DOI; "{{PDF}}" braces removed.
        EntryCase{"zotero_biblatex_mou.bib", 0, 1, "2210.04261",
                  "[PDF] Noise-Robust De-Duplication at Scale | Semantic Scholar",
                  "10.48550/arXiv.2210.04261", 0, "", "", "It is shown that the bi-encoder"},
        EntryCase{"zotero_biblatex_mou.bib", 1, 13, "2303.09540",
                  "SemDeDup: Data-efficient Learning at Web-Scale through Semantic Deduplication",
                  "", 5, "Amro Abbas", "Ari S. Morcos", "Progress in machine learning"},
        // journaltitle "arXiv" alone is no id: title-only entry.
        EntryCase{"zotero_biblatex_mou.bib", 2, 30, "",
                  "HTLM: Hyper-Text Pre-Training and Prompting of Language Models", "", 7,
                  "Armen Aghajanyan", "Luke Zettlemoyer", "We introduce HTLM"},
        EntryCase{"zotero_biblatex_mou.bib", 3, 39, "2303.09752",
                  "CoLT5: Faster Long-Range Transformers with Conditional Computation",
                  "10.48550/arXiv.2303.09752", 12, "Joshua Ainslie", "Sumit Sanghai",
                  "Many natural language processing tasks"}));

INSTANTIATE_TEST_SUITE_P(
    ReferenceRis, ReferenceEntries,
    ::testing::Values(
        EntryCase{"ris_duheng.ris", 0, 1, "2410.08164",
                  "Agent S: An Open Agentic Framework that Uses Computers Like a Human",
                  "10.48550/arXiv.2410.08164", 6, "Saaket Agashe", "Xin Eric Wang",
                  "Combines computer-use planning and interaction"},
        EntryCase{"ris_duheng.ris", 1, 23, "",
                  "Discovering faster matrix multiplication algorithms with reinforcement learning",
                  "10.1038/s41586-022-05172-4", 13, "Alhussein Fawzi", "Pushmeet Kohli",
                  "Searches matrix-multiplication decompositions"},
        EntryCase{"ris_amao.ris", 0, 1, "",
                  "Optical multilayer thin film structure inverse design: From optimization to "
                  "deep learning",
                  "10.1016/j.isci.2025.112222", 3, "Taigao Ma", "L. Jay Guo", ""},
        EntryCase{"ris_amao.ris", 1, 16, "1712.00409",
                  "Deep Learning Scaling is Predictable, Empirically", "", 9, "Joel Hestness",
                  "Yanqi Zhou", ""},
        EntryCase{"ris_amao.ris", 2, 34, "1912.01703",
                  "PyTorch: An Imperative Style, High-Performance Deep Learning Library", "", 21,
                  "Adam Paszke", "Soumith Chintala", ""}));

INSTANTIATE_TEST_SUITE_P(
    ReferenceBetterCslJson, ReferenceEntries,
    ::testing::Values(
        EntryCase{"better_csl_j1c.json", 0, 2, "", "Holm’s Sequential Bonferroni Procedure", "", 1,
                  "Herve Abdi", "Herve Abdi", ""},
        EntryCase{"better_csl_j1c.json", 1, 3, "", "Graphs in Statistical Analysis",
                  "10.1080/00031305.1973.10478966", 1, "F. J. Anscombe", "F. J. Anscombe", ""},
        EntryCase{"better_csl_j1c.json", 2, 4, "1701.08140",
                  "Network classification with applications to brain connectomics", "", 4,
                  "Jesús D. Arroyo-Relión", "Stephan F. Taylor",
                  "While statistical analysis of a single network"},
        EntryCase{"better_csl_j1c.json", 3, 5, "1806.01401",
                  "On estimation and inference in latent structure random graphs", "", 4,
                  "Avanti Athreya", "Carey E. Priebe", "We define a latent structure model"}));

TEST(ReferenceBibtex, ExtendedNameFormAndUtf8Names) {
  ReferenceLibrary library = parse_bibtex(fixture("references/zotero_biblatex_mou.bib"), "mou.bib");
  const auto& authors = library.entries[3].authors;
  ASSERT_EQ(authors.size(), 12u);
  EXPECT_EQ(authors[2], "Michiel de Jong");  // family=Jong, given=Michiel, prefix=de
  EXPECT_EQ(authors[3], "Santiago Ontañón");
  EXPECT_EQ(library.entries[1].authors[2], "Dániel Simig");
}

// --- The seed exports: same papers as the reference day ------------------------------------

struct SeedPaper {
  std::string id, title, abstract;
  std::vector<std::string> authors;
};

std::vector<SeedPaper> seed_papers(const std::vector<std::string>& ids) {
  std::vector<SeedPaper> out;
  for (const std::string& id : ids) {
    for (const std::string& line : testing::split_lines(fixture("seed/seed_papers.jsonl"))) {
      auto j = nlohmann::json::parse(line);
      if (j["id"] != id) continue;
      out.push_back({id, j["title"], j["abstract"], j["authors"]});
    }
  }
  return out;
}

class ReferenceSeed : public ::testing::TestWithParam<const char*> {};

TEST_P(ReferenceSeed, MatchesTheSeedPapers) {
  const std::string file = std::string("references/") + GetParam();
  ReferenceLibrary library = parse_reference_library(fixture(file), file);
  const auto papers = seed_papers({"2606.18594", "2606.18625", "2606.18747", "2606.18786"});
  ASSERT_EQ(papers.size(), 4u);
  ASSERT_EQ(library.entries.size(), papers.size());
  for (std::size_t i = 0; i < papers.size(); ++i) {
    const ReferenceEntry& e = library.entries[i];
    SCOPED_TRACE(papers[i].id);
    EXPECT_EQ(id_of(e), papers[i].id);
    EXPECT_EQ(e.title, papers[i].title);
    EXPECT_EQ(e.authors, papers[i].authors);
    EXPECT_EQ(e.doi, "10.48550/arXiv." + papers[i].id);
    std::string abstract = e.abstract;
    // Zotero's BibTeX export escapes '%' ("+/-3\%"); TeX is left as written.
    if (library.format == ReferenceFormat::kBibtex) {
      for (auto at = abstract.find("\\%"); at != std::string::npos; at = abstract.find("\\%"))
        abstract.erase(at, 1);
    }
    EXPECT_EQ(abstract, papers[i].abstract);
  }
}

INSTANTIATE_TEST_SUITE_P(ReferenceZotero, ReferenceSeed,
                         ::testing::Values("seed_rl.bib", "seed_rl.ris", "seed_rl.json"));

TEST(ReferenceSeedLines, EntriesStartWhereTheFileSaysSo) {
  auto lines = [](const char* file) {
    std::vector<std::size_t> out;
    for (const auto& e : parse_reference_library(fixture(file), file).entries) {
      out.push_back(e.line);
    }
    return out;
  };
  EXPECT_EQ(lines("references/seed_rl.bib"), (std::vector<std::size_t>{2, 16, 30, 44}));
  EXPECT_EQ(lines("references/seed_rl.ris"), (std::vector<std::size_t>{1, 23, 46, 67}));
  EXPECT_EQ(lines("references/seed_rl.json"), (std::vector<std::size_t>{2, 54, 114, 162}));
}

TEST(ReferenceBibtex, ProtectedCapitalsLoseTheirBraces) {
  ReferenceLibrary library = parse_bibtex(fixture("references/seed_rl.bib"), "seed_rl.bib");
  // Written as "{SRL}: {Combining} {SLIP} ..." and "{R2D}-{RL}: {A} {RoboCup} {2D} ...".
  EXPECT_EQ(library.entries[1].title,
            "SRL: Combining SLIP Model and Reinforcement Learning for Agile Robotic Jumping");
  EXPECT_EQ(library.entries[3].title,
            "R2D-RL: A RoboCup 2D Soccer Environment for Multi-Agent Reinforcement Learning");
}

// --- arXiv id extraction from every place ----------------------------------------------------

struct IdCase {
  const char* name;
  ReferenceFormat format;
  const char* text;
  const char* id;
};

class ReferenceIds : public ::testing::TestWithParam<IdCase> {};

TEST_P(ReferenceIds, FindsTheId) {
  const IdCase& c = GetParam();
  ReferenceLibrary library = parse_reference_library(c.text, "ids");
  EXPECT_EQ(library.format, c.format);
  ASSERT_EQ(library.entries.size(), 1u);
  EXPECT_EQ(id_of(library.entries[0]), c.id);
}

INSTANTIATE_TEST_SUITE_P(
    ReferenceAllPlaces, ReferenceIds,
    ::testing::Values(
        IdCase{"BibEprint", ReferenceFormat::kBibtex,
               "@misc{k, title={T}, eprint={2303.09540v2}, archivePrefix={arXiv}}", "2303.09540v2"},
        IdCase{"BibEprintNoPrefix", ReferenceFormat::kBibtex,
               "@misc{k, title={T}, eprint={hep-th/9901001}}", "hep-th/9901001"},
        IdCase{"BibEprintOtherArchive", ReferenceFormat::kBibtex,
               "@misc{k, title={T}, eprint={2303.09540}, archivePrefix={HAL}}", ""},
        IdCase{"BibEprinttype", ReferenceFormat::kBibtex,
               "@online{k, title={T}, eprint={2303.09752}, eprinttype={arxiv}}", "2303.09752"},
        IdCase{"BibUrlAbs", ReferenceFormat::kBibtex,
               "@misc{k, title={T}, url={https://arxiv.org/abs/1706.03762v5}}", "1706.03762v5"},
        IdCase{"BibUrlPdf", ReferenceFormat::kBibtex,
               "@misc{k, title={T}, url={http://arxiv.org/pdf/1706.03762.pdf}}", "1706.03762"},
        IdCase{"BibUrlOldStyle", ReferenceFormat::kBibtex,
               "@misc{k, title={T}, url={https://arxiv.org/abs/math.GT/0309136}}",
               "math.GT/0309136"},
        IdCase{"BibDoi", ReferenceFormat::kBibtex,
               "@misc{k, title={T}, doi={10.48550/arXiv.2402.08052}}", "2402.08052"},
        IdCase{"BibJournal", ReferenceFormat::kBibtex,
               "@article{k, title={T}, journal={arXiv preprint arXiv:1810.04805}}", "1810.04805"},
        IdCase{"BibNote", ReferenceFormat::kBibtex,
               "@article{k, title={T}, note={arXiv: 1809.01201}}", "1809.01201"},
        IdCase{"BibNumber", ReferenceFormat::kBibtex,
               "@misc{k, title={T}, number={arXiv:2406.06875}}", "2406.06875"},
        IdCase{"BibEid", ReferenceFormat::kBibtex,
               "@article{k, title={T}, journal={arXiv e-prints}, eid={arXiv:1907.03329}}",
               "1907.03329"},
        IdCase{"BibNone", ReferenceFormat::kBibtex,
               "@article{k, title={T}, journal={Nature}, url={https://example.org/arxiv}}", ""},
        IdCase{"RisUrl", ReferenceFormat::kRis,
               "TY  - GEN\nTI  - T\nUR  - https://arxiv.org/abs/1712.00409\nER  - \n",
               "1712.00409"},
        IdCase{"RisPdfLink", ReferenceFormat::kRis,
               "TY  - GEN\nTI  - T\nL1  - http://arxiv.org/pdf/2606.18594v1\nER  - \n",
               "2606.18594v1"},
        IdCase{"RisDoi", ReferenceFormat::kRis,
               "TY  - GEN\nTI  - T\nDO  - 10.48550/arXiv.2410.08164\nER  - \n", "2410.08164"},
        IdCase{"RisM3", ReferenceFormat::kRis, "TY  - GEN\nTI  - T\nM3  - arXiv:2501.00001\nER  -",
               "2501.00001"},
        IdCase{"RisId", ReferenceFormat::kRis, "TY  - GEN\nTI  - T\nID  - arXiv:2501.00002\nER  -",
               "2501.00002"},
        IdCase{"RisNote", ReferenceFormat::kRis,
               "TY  - GEN\nTI  - T\nN1  - arXiv: 2410.08164\nER  -", "2410.08164"},
        IdCase{"CslNumber", ReferenceFormat::kCslJson,
               R"([{"title":"T","number":"arXiv:2306.13455"}])", "2306.13455"},
        IdCase{"CslUrl", ReferenceFormat::kCslJson,
               R"([{"title":"T","URL":"http://arxiv.org/abs/2306.13455v2"}])", "2306.13455v2"},
        IdCase{"CslDoi", ReferenceFormat::kCslJson,
               R"([{"title":"T","DOI":"10.48550/arXiv.2306.13455"}])", "2306.13455"},
        IdCase{"CslId", ReferenceFormat::kCslJson, R"([{"title":"T","id":"arXiv:2101.00001"}])",
               "2101.00001"},
        IdCase{"CslContainerTitle", ReferenceFormat::kCslJson,
               R"([{"title":"T","container-title":"arXiv:1701.08140 [stat]"}])", "1701.08140"}),
    [](const ::testing::TestParamInfo<IdCase>& p) { return p.param.name; });

// --- BibTeX syntax ----------------------------------------------------------------------------

TEST(ReferenceBibtex, MacrosConcatenationAndDelimiters) {
  const std::string text =
      "This line is a comment.\n"
      "@Comment{jabref-meta: databaseType:bibtex;}\n"
      "@PREAMBLE{ \"\\newcommand{\\noop}[1]{}\" }\n"
      "@String{rl = \"Reinforcement Learning\"}\n"
      "@string(pre = {Deep })\n"
      "@ARTICLE(key1,\n"
      "  TITLE = pre # rl # \" for {RL} Agents\",\n"
      "  Author = \"Sutton, Richard S. and Barto, Andrew G.\",\n"
      "  month = jun, year = 2018,\n"
      "  note = \"arXiv:\" # \"1811.12560\"\n"
      ")\n";
  ReferenceLibrary library = parse_bibtex(text, "macros.bib");
  ASSERT_EQ(library.entries.size(), 1u);
  const ReferenceEntry& e = library.entries[0];
  EXPECT_EQ(e.line, 6u);
  EXPECT_EQ(e.title, "Deep Reinforcement Learning for RL Agents");
  EXPECT_EQ(e.authors, (std::vector<std::string>{"Richard S. Sutton", "Andrew G. Barto"}));
  EXPECT_EQ(id_of(e), "1811.12560");
}

struct NameCase {
  const char* author;
  std::vector<std::string> names;
};

class ReferenceBibtexNames : public ::testing::TestWithParam<NameCase> {};

TEST_P(ReferenceBibtexNames, DisplayOrder) {
  const std::string text = std::string("@misc{k, title={T}, author={") + GetParam().author + "}}";
  EXPECT_EQ(parse_bibtex(text, "names.bib").entries[0].authors, GetParam().names);
}

INSTANTIATE_TEST_SUITE_P(
    ReferenceForms, ReferenceBibtexNames,
    ::testing::Values(
        NameCase{"Lewis, Mike and Dauphin, Yann N.", {"Mike Lewis", "Yann N. Dauphin"}},
        NameCase{"Quan Gu and Xiaoduo Li AND Hongxia Liu",
                 {"Quan Gu", "Xiaoduo Li", "Hongxia Liu"}},
        NameCase{"King, Jr., Martin Luther", {"Martin Luther King, Jr."}},
        NameCase{"{Kov{\\'a}cs-Stermeczky}, Zs{\\'o}fia V. and {Vink{\\'o}}, J{\\'o}zsef",
                 {"Zs{\\'o}fia V. Kov{\\'a}cs-Stermeczky", "J{\\'o}zsef Vink{\\'o}"}},
        NameCase{"{The LIGO Scientific Collaboration} and Abbott, B. P.",
                 {"The LIGO Scientific Collaboration", "B. P. Abbott"}},
        NameCase{"{Barnes and Noble} and Sandra\nMirnig", {"Barnes and Noble", "Sandra Mirnig"}},
        NameCase{"Wolf, Lorenz and others", {"Lorenz Wolf"}},
        NameCase{"Ra{\\'{u}}l V{\\'{a}}zquez and J{\\\"{o}}rg Tiedemann",
                 {"Ra{\\'{u}}l V{\\'{a}}zquez", "J{\\\"{o}}rg Tiedemann"}}));

TEST(ReferenceBibtex, QuotedBracedValuesAndBom) {
  const std::string text =
      "\xEF\xBB\xBF@ARTICLE{2023PASP..135c4102K,\n"
      "        title = \"{Comparison of Different Tidal Disruption Event Light Curve Models}\",\n"
      "archivePrefix = {arXiv},\n"
      "       eprint = {2302.08441},\n"
      "}\n";
  ReferenceLibrary library = parse_reference_library(text, "ads.bib");
  ASSERT_EQ(library.entries.size(), 1u);
  EXPECT_EQ(library.entries[0].title,
            "Comparison of Different Tidal Disruption Event Light Curve Models");
  EXPECT_EQ(id_of(library.entries[0]), "2302.08441");
  EXPECT_EQ(library.entries[0].line, 1u);
}

TEST(ReferenceBibtex, TexAccentsAndEscapesStayAsWritten) {
  ReferenceLibrary library = parse_bibtex(
      "@misc{k, title = {Caf{\\'e} \\{sets\\} $\\alpha$-{RL}},\n abstract = {50\\% of\n  "
      "{LAION}}}",
      "tex.bib");
  EXPECT_EQ(library.entries[0].title, "Caf{\\'e} \\{sets\\} $\\alpha$-RL");
  EXPECT_EQ(library.entries[0].abstract, "50\\% of LAION");
}

TEST(ReferenceBibtex, EntryWithIdButNoTitleIsValid) {
  ReferenceLibrary library =
      parse_bibtex("@misc{k, eprint = {2606.18594}, archivePrefix = {arXiv}}", "x.bib");
  ASSERT_EQ(library.entries.size(), 1u);
  EXPECT_EQ(library.entries[0].title, "");
  EXPECT_EQ(id_of(library.entries[0]), "2606.18594");
}

// --- RIS --------------------------------------------------------------------------------------

TEST(ReferenceRis, CrlfAlternativeTagsAndContinuations) {
  const std::string text =
      "Provider: exporter header\r\n\r\n"
      "TY  - JOUR\r\n"
      "T1  - Playing Atari with\r\n"
      "      Deep Reinforcement Learning\r\n"
      "A1  - Mnih, Volodymyr\r\n"
      "A1  - Silver, David, Jr\r\n"
      "N2  - We present the first deep learning model\r\n"
      "UR  - https://arxiv.org/abs/1312.5602\r\n"
      "ER  -\r\n";
  ReferenceLibrary library = parse_reference_library(text, "atari.ris");
  EXPECT_EQ(library.format, ReferenceFormat::kRis);
  ASSERT_EQ(library.entries.size(), 1u);
  const ReferenceEntry& e = library.entries[0];
  EXPECT_EQ(e.line, 3u);
  EXPECT_EQ(e.title, "Playing Atari with Deep Reinforcement Learning");
  EXPECT_EQ(e.authors, (std::vector<std::string>{"Volodymyr Mnih", "David Silver, Jr"}));
  EXPECT_EQ(e.abstract, "We present the first deep learning model");
  EXPECT_EQ(id_of(e), "1312.5602");
}

TEST(ReferenceRis, SeedExportUsesCrlf) {
  const std::string text = fixture("references/seed_rl.ris");
  EXPECT_NE(text.find("\r\nER  - \r\n"), std::string::npos);
  EXPECT_EQ(parse_ris(text, "seed_rl.ris").entries.size(), 4u);
}

// --- CSL-JSON ---------------------------------------------------------------------------------

TEST(ReferenceCslJson, SingleItemLiteralAndParticles) {
  const std::string text = R"({
  "id": 42,
  "type": "article",
  "title": "Equation of state",
  "number": 1701,
  "author": [
    {"family": "Waals", "non-dropping-particle": "van der", "given": "J. D."},
    {"literal": "The LIGO Scientific Collaboration"},
    {"family": "King", "given": "Martin Luther", "suffix": "Jr."}
  ]
})";
  ReferenceLibrary library = parse_reference_library(text, "one.json");
  EXPECT_EQ(library.format, ReferenceFormat::kCslJson);
  ASSERT_EQ(library.entries.size(), 1u);
  EXPECT_EQ(library.entries[0].line, 1u);
  EXPECT_EQ(library.entries[0].authors,
            (std::vector<std::string>{"J. D. van der Waals", "The LIGO Scientific Collaboration",
                                      "Martin Luther King, Jr."}));
  EXPECT_FALSE(library.entries[0].arxiv_id.has_value());
}

TEST(ReferenceCslJson, EmptyArrayIsAnEmptyLibrary) {
  EXPECT_TRUE(parse_csl_json("[]\n", "empty.json").entries.empty());
}

// --- Errors -----------------------------------------------------------------------------------

using Parser = ReferenceLibrary (*)(std::string_view, std::string_view);

struct ErrorCase {
  const char* name;
  Parser parse;
  std::string text;
  std::size_t line;
  std::size_t column;
  const char* field;
  const char* message_part;
};

class ReferenceErrors : public ::testing::TestWithParam<ErrorCase> {};

TEST_P(ReferenceErrors, ThrowsParseErrorWithPosition) {
  const ErrorCase& c = GetParam();
  auto error = parse_error([&] { (void)c.parse(c.text, "lib/refs.txt"); });
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->source(), "lib/refs.txt");
  EXPECT_EQ(error->line(), c.line) << error->what();
  EXPECT_EQ(error->column(), c.column) << error->what();
  EXPECT_EQ(error->field(), c.field) << error->what();
  EXPECT_NE(std::string(error->what()).find(c.message_part), std::string::npos) << error->what();
  EXPECT_NE(std::string(error->what()).find("lib/refs.txt"), std::string::npos) << error->what();
}

std::string with_bad_byte() {
  std::string text = "@misc{k,\n  title = {Caf\xE9}}\n";
  return text;
}

INSTANTIATE_TEST_SUITE_P(
    ReferenceAll, ReferenceErrors,
    ::testing::Values(
        ErrorCase{
            "BibUnclosedBrace", parse_bibtex,
            "@misc{a, title = {A}}\n\n@misc{b,\n  title = {Unclosed {brace},\n  year = 2020\n}\n",
            4, 11, "title", "not closed"},
        ErrorCase{"BibUnclosedEntry", parse_bibtex, "@misc{a,\n  title = {A},\n", 1, 6, "title",
                  "not closed"},
        ErrorCase{"BibUnclosedQuote", parse_bibtex, "@misc{a,\n  title = \"Open\n}\n", 2, 11,
                  "title", "unclosed '\"'"},
        ErrorCase{"BibUndefinedMacro", parse_bibtex, "@misc{a,\n  journal = pasp,\n title={T}}", 2,
                  13, "journal", "undefined @string macro 'pasp'"},
        ErrorCase{"BibMissingEquals", parse_bibtex, "@misc{a,\n  title {T}}", 2, 3, "title",
                  "expected 'field = value'"},
        ErrorCase{"BibMissingComma", parse_bibtex, "@misc{a,\n  title = {T}\n  year = 2020}", 3, 3,
                  "title", "expected ',' or '}'"},
        ErrorCase{"BibNoTitleNoId", parse_bibtex,
                  "@misc{ok, title={T}}\n@article{lost,\n  author = {A, B},\n  year = 2020}\n", 2,
                  1, "title", "entry 'lost' has neither a title nor an arXiv id"},
        ErrorCase{"BibBadEprint", parse_bibtex,
                  "@misc{a,\n  eprint = {2303.9540}, archivePrefix = {arXiv}}", 1, 1, "eprint",
                  "'2303.9540'"},
        ErrorCase{"BibNotUtf8", parse_bibtex, with_bad_byte(), 2, 15, "", "not valid UTF-8"},
        ErrorCase{"BibEmpty", parse_bibtex, " \n\t\n", 1, 1, "", "empty"},
        ErrorCase{"RisNoEr", parse_ris, "TY  - JOUR\nTI  - A\nER  - \n\nTY  - JOUR\nTI  - B\n", 5,
                  1, "ER", "not closed by 'ER  - '"},
        ErrorCase{"RisNoErBeforeTy", parse_ris, "TY  - JOUR\nTI  - A\nTY  - JOUR\nTI  - B\nER  -",
                  1, 1, "ER", "before the next 'TY  - ' on line 3"},
        ErrorCase{"RisTagOutsideRecord", parse_ris, "TY  - JOUR\nTI  - A\nER  -\nTI  - B\n", 4, 1,
                  "TI", "outside a record"},
        ErrorCase{"RisNoTitleNoId", parse_ris,
                  "TY  - JOUR\nTI  - A\nER  -\nTY  - JOUR\nID  - smith2020\nAU  - Smith, J\nER  -",
                  4, 1, "title", "RIS record 'smith2020' has neither"},
        ErrorCase{"CslBadJson", parse_csl_json, "[\n  {\"title\": \"A\",}\n]", 2, 17, "",
                  "malformed JSON"},
        ErrorCase{"CslTitleNotString", parse_csl_json,
                  "[\n  {\"id\": \"a\", \"title\": \"A\"},\n  {\"id\": \"b\", \"title\": 7}\n]", 3,
                  3, "title", "'title' must be a string"},
        ErrorCase{"CslNoTitleNoId", parse_csl_json,
                  "[\n  {\"id\": \"a\", \"title\": \"A\"},\n  {\"id\": \"b\", \"author\": []}\n]",
                  3, 3, "title", "CSL-JSON item 'b' has neither"},
        ErrorCase{"CslItemNotObject", parse_csl_json, "[\"x\"]", 1, 1, "", "not an object"},
        ErrorCase{"DetectUnknown", parse_reference_library, "Title: A paper\nAuthor: B\n", 1, 1, "",
                  "not a reference library"}),
    [](const ::testing::TestParamInfo<ErrorCase>& p) { return p.param.name; });

TEST(ReferenceErrorsSize, RejectsInputsAboveTheLimit) {
  std::string big(kMaxLibraryBytes + 1, ' ');
  auto error = parse_error([&] { (void)parse_reference_library(big, "big.bib"); });
  ASSERT_TRUE(error.has_value());
  EXPECT_NE(std::string(error->what()).find("limit"), std::string::npos);
}

TEST(ReferenceErrorsSize, SelfConcatenatedMacrosStopAtTheLimitInsteadOfExhaustingMemory) {
  // Each @string doubles the previous one: 40 lines would ask for 16 * 2^40 bytes.
  std::string text = "@string{m0 = \"xxxxxxxxxxxxxxxx\"}\n";
  for (int i = 1; i <= 40; ++i)
    text += "@string{m" + std::to_string(i) + " = m" + std::to_string(i - 1) + " # m" +
            std::to_string(i - 1) + "}\n";
  text += "@misc{a, title = m40}\n";
  auto error = parse_error([&] { (void)parse_bibtex(text, "bomb.bib"); });
  ASSERT_TRUE(error.has_value());
  EXPECT_NE(std::string(error->what()).find("expands to more than"), std::string::npos)
      << error->what();
}

TEST(ReferenceBibtex, AtSignsInCommentTextAreIgnoredLikeBibtexDoes) {
  const auto library =
      parse_bibtex("% contact me@example.org about @these entries\n@misc{a, title = {X}}\n",
                   "c.bib");
  ASSERT_EQ(library.entries.size(), 1u);
  EXPECT_EQ(library.entries[0].title, "X");
  EXPECT_EQ(library.entries[0].line, 2u);
}

TEST(ReferenceErrors, DeeplyNestedCslValueIsAnErrorNotAStackOverflow) {
  const std::string nested = std::string(200000, '[') + std::string(200000, ']');
  auto error = parse_error(
      [&] { (void)parse_csl_json("[{\"id\": \"a\", \"title\": " + nested + "}]", "deep.json"); });
  ASSERT_TRUE(error.has_value());
  EXPECT_NE(std::string(error->what()).find("'title' must be a string but is a array"),
            std::string::npos)
      << error->what();
}

TEST(ReferenceErrorsFixture, UnclosedBraceInRealExportNamesItsLine) {
  // The real Zotero export with the closing brace of one title removed.
  const std::string text = replace_once(fixture("references/zotero_bibtex_boldt.bib"),
                                        "\ttitle = {Random {Language} {Model}},",
                                        "\ttitle = {Random {Language} {Model},");
  auto error = parse_error([&] { (void)parse_bibtex(text, "boldt.bib"); });
  ASSERT_TRUE(error.has_value());
  // The title's value swallows the rest of the file: reported where it starts.
  EXPECT_EQ(error->line(), 53u) << error->what();
  EXPECT_EQ(error->column(), 10u) << error->what();
  EXPECT_EQ(error->field(), "title");
}

}  // namespace
}  // namespace arxiv_digest
