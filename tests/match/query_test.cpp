// The query language on real titles and abstracts: tests/data/match/papers.jsonl (real records,
// see its PROVENANCE.md), the seed digest's 30 papers and the bundled sample day (219 papers).
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "match/matcher.hpp"
#include "match/query_set.hpp"
#include "support/test_support.hpp"

namespace arxiv_digest {
namespace {

std::vector<Paper> load_jsonl(const std::filesystem::path& path) {
  return testing::load_papers_jsonl(path);
}

const std::vector<Paper>& match_papers() {
  static const std::vector<Paper> papers = load_jsonl(testing::data_path("match/papers.jsonl"));
  return papers;
}

std::set<std::string> ids_matching(std::string_view query, const std::vector<Paper>& papers) {
  auto matcher = compile_query(query);
  std::set<std::string> ids;
  for (const Paper& p : papers)
    if (matcher->matches(p)) ids.insert(p.id.key());
  return ids;
}

TEST(Query, EveryOperatorScopeAndNormalisationRuleOnRealRecords) {
  ASSERT_EQ(match_papers().size(), 11u);
  struct Case {
    const char* query;
    std::set<std::string> ids;
  } cases[] = {
      // TeX accent escapes (\"o, \"{o}), UTF-8 accents and unaccented spellings are one word
      {"Schrödinger", {"0704.0383", "0704.0501", "0704.1726", "0704.1862", "2110.08887"}},
      {"Schrodinger equation", {"0704.0383", "0704.0501", "0704.1726", "0704.1862"}},
      {"\"Schrodinger equation\"", {"0704.0383", "0704.0501", "0704.1726", "0704.1862"}},
      {"ti:\"nonlinear Schr\\\"odinger equation\"", {"0704.0501", "0704.1862"}},  // line breaks
      {"Gröbner", {"0704.0019"}},
      {"Painleve", {"0704.0501"}},
      {"tritronquee", {"0704.0501"}},
      // phrases and plurals: "large language model" finds "Large Language Models"
      {"\"large language model\"", {"2405.13012", "2606.18372"}},
      {"=\"large language model\"", {}},
      {"\"large language models\"", {"2405.13012", "2606.18372"}},
      {"\"language model\"", {"2405.13012", "2606.18372", "2507.11906", "2110.08887"}},
      {"\"adversarial patch\"", {"2606.18318"}},  // "patches": +es
      {"=patch", {"2606.18318"}},                 // "patch" itself occurs in the abstract
      {"probability density", {"0704.1726"}},
      {"\"probability densities\"", {}},  // plurals are not reversed
      // operators
      {"Schrodinger AND equation", {"0704.0383", "0704.0501", "0704.1726", "0704.1862"}},
      {"Schrodinger -equation", {"2110.08887"}},
      {"Schrodinger NOT ti:equation", {"2110.08887"}},
      {"Schrodinger NOT (soliton OR Painleve OR smoothing)", {"0704.0383", "2110.08887"}},
      {"soliton OR Gröbner", {"0704.0019", "0704.1726"}},
      {"(soliton OR Gröbner) AND basis", {"0704.0019"}},
      // scopes
      {"ti:Gaussian", {"2606.18623"}},
      {"abs:SAM", {"2606.18623", "2507.11906"}},  // case-insensitive: "Sam" too
      {"ti:SAM", {"2507.11906"}},
      {"^SAM", {"2606.18623"}},  // case-sensitive acronym
      {"^\"SAM\"", {"2606.18623"}},
      {"^LLM", {"2405.13012", "2606.18372"}},  // "LLMs" is its plural
      {"cat:cs.CL", {"2405.13012", "2606.18372", "2110.08887"}},
      {"cat:math", {"0704.0019", "0704.0501", "0704.1862"}},
      {"cat:math-ph", {"0704.0501"}},
      {"cat:cs.C*", {"2405.13012", "2606.18372", "2110.08887", "2606.18318", "2606.18623"}},
      {"id:0704.0019", {"0704.0019"}},
      {"id:0704.*", {"0704.0019", "0704.0383", "0704.0501", "0704.1726", "0704.1862"}},
      {"cat:cs.CV -id:2606.18318", {"2606.18623"}},
      // authors: initials and accents
      {"au:\"Y. Bengio\"", {"2405.13012"}},
      {"au:\"Yoshua Bengio\"", {"2405.13012"}},
      {"au:Bengio", {"2405.13012"}},
      {"au:\"J. Bengio\"", {}},
      {"au:\"M. D. Pese\"", {"2606.18318"}},
      {"au:\"Mert Pesé\"", {"2606.18318"}},
      {"au:\"Rene Kizilcec\"", {"2606.18372"}},
      {"au:\"Francois Lespinasse\"", {"2405.13012"}},
      {"au:Dubrovin OR au:Grava", {"0704.0501"}},
      {"au:\"B. Grava\"", {}},
      // exact, stem, prefix
      {"=model", {"0704.1862", "2507.11906", "2606.18372", "2606.18623"}},
      {"~modelling",
       {"0704.1862", "2405.13012", "2507.11906", "2110.08887", "2606.18372", "2606.18623"}},
      {"~quantization", {"0704.1726"}},
      {"segment*", {"2606.18623"}},
      {"\"Gaussian segment*\"", {"2606.18623"}},
      {"diverg*", {"2405.13012"}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.query);
    EXPECT_EQ(ids_matching(c.query, match_papers()), c.ids);
  }
}

Paper paper_with(std::string title, std::string abstract) {
  Paper p;
  p.title = std::move(title);
  p.abstract = std::move(abstract);
  return p;
}

TEST(Query, WordsAndPhrasesMatchWholeWordsAcrossSoftGapsOnly) {
  auto m = compile_query("\"reinforcement learning\"");
  for (const char* text :
       {"Self-CTRL: Self-Consistency Training with Reinforcement Learning",
        "via Reinforcement-Learning.", "reinforcement\n  learning", "(reinforcement  learning)",
        "reinforcement\xE2\x80\x94learning", "deep reinforcement learnings"}) {
    SCOPED_TRACE(text);
    EXPECT_TRUE(m->matches(paper_with(text, "")));
    EXPECT_TRUE(m->matches(paper_with("", text)));
  }
  for (const char* text : {"reinforcementlearning", "nonreinforcement learning",
                           "reinforcement, learning", "reinforced learning"}) {
    SCOPED_TRACE(text);
    EXPECT_FALSE(m->matches(paper_with(text, text)));
  }
  // Plurals: +s, +es, consonant+y -> ies, but not vowel+y -> ies.
  auto policy = compile_query("\"diffusion policy\"");
  EXPECT_TRUE(policy->matches(paper_with("Diffusion Policies for Manipulation", "")));
  EXPECT_TRUE(policy->matches(paper_with("Diffusion-Policy", "")));
  EXPECT_FALSE(policy->matches(paper_with("Diffusion Policymaking", "")));
  auto key = compile_query("key");
  EXPECT_TRUE(key->matches(paper_with("keys", "")));
  EXPECT_FALSE(key->matches(paper_with("kies", "")));
  // A query with punctuation between words accepts any gap there.
  auto gpt = compile_query("\"GPT-3.5\"");
  EXPECT_TRUE(gpt->matches(paper_with("GPT 3.5 and GPT-4", "")));
  EXPECT_TRUE(gpt->matches(paper_with("GPT-3, 5", "")));
  EXPECT_FALSE(gpt->matches(paper_with("GPT-35", "")));
}

TEST(Query, ReportsSpansOfPositiveTermsOnly) {
  auto m = compile_query("(ti:\"diffusion policy\" OR abs:robot*) -survey");
  Paper p = paper_with("Diffusion-Policies", "Two robots and a robotic arm.");
  auto spans = m->find(p);
  ASSERT_EQ(spans.size(), 3u);
  EXPECT_EQ(spans[0].field, MatchField::kTitle);
  EXPECT_EQ(spans[0].begin, 0u);
  EXPECT_EQ(spans[0].end, 18u);
  EXPECT_EQ(spans[0].term, 0u);
  EXPECT_EQ(spans[1].field, MatchField::kAbstract);
  EXPECT_EQ(p.abstract.substr(spans[1].begin, spans[1].end - spans[1].begin), "robots");
  EXPECT_EQ(spans[1].term, 1u);
  EXPECT_EQ(p.abstract.substr(spans[2].begin, spans[2].end - spans[2].begin), "robotic");
  EXPECT_TRUE(m->find(paper_with("Diffusion policy: a survey", "")).empty());

  QuerySet set({"au:\"Y. Bengio\" creativity"});
  const Paper& bengio = *std::find_if(match_papers().begin(), match_papers().end(),
                                      [](const Paper& r) { return r.id.key() == "2405.13012"; });
  auto hits = set.match(bengio);
  ASSERT_EQ(hits.size(), 1u);
  ASSERT_EQ(hits[0].spans.size(), 4u);  // "Creativity" in the title, twice in the abstract; author
  EXPECT_EQ(hits[0].spans[0].field, MatchField::kTitle);
  EXPECT_EQ(hits[0].spans[3].field, MatchField::kAuthors);
  EXPECT_EQ(bengio.authors[hits[0].spans[3].item], "Yoshua Bengio");
  EXPECT_EQ(set.term_text(0, hits[0].spans[3].term), "au:\"Y. Bengio\"");
  EXPECT_EQ(set.term_text(0, hits[0].spans[0].term), "creativity");
}

TEST(Query, CommentsScope) {
  Paper p = paper_with("A title", "An abstract");
  p.comments = "Accepted to ICRA 2026; 8 pages";
  EXPECT_TRUE(compile_query("co:ICRA")->matches(p));
  EXPECT_FALSE(compile_query("ICRA")->matches(p));  // default scope: title + abstract
  EXPECT_FALSE(compile_query("co:NeurIPS")->matches(p));
}

TEST(Query, ManyQueriesInOneSetAgreeWithSingleQueries) {
  std::vector<std::string> queries = {"Schrodinger -equation",
                                      "\"large language model\"",
                                      "au:\"Y. Bengio\"",
                                      "cat:math",
                                      "~modelling",
                                      "^SAM",
                                      "segment*",
                                      "\"language model\" -LLM",
                                      "Schrodinger equation"};
  QuerySet set(queries);
  EXPECT_EQ(set.size(), queries.size());
  QuerySet::Scratch scratch;
  for (const Paper& p : match_papers()) {
    std::set<std::size_t> from_set;
    for (const auto& hit : set.match(p, scratch)) from_set.insert(hit.query);
    for (std::size_t q = 0; q < queries.size(); ++q) {
      SCOPED_TRACE(queries[q] + " on " + p.id.key());
      EXPECT_EQ(from_set.count(q) == 1, compile_query(queries[q])->matches(p));
    }
  }
  // Words shared by queries are compiled once.
  EXPECT_LT(set.stats().literals, 20u);
}

// The Hyperscan prefilter (QuerySetOptions::prefilter) only skips papers that cannot match: with
// and without it, every paper gets the same hits and spans. The papers cover what raw bytes do
// not show: TeX accents (Schr\"odinger), UTF-8 accents, braces, hyphenated phrases, plurals in
// "ies", prefixes, case-sensitive acronyms.
TEST(Query, PrefilterNeverChangesWhatMatches) {
  std::vector<Paper> papers = match_papers();
  for (const char* file : {"seed/seed_papers.jsonl", "match/examples_2605.jsonl"})
    for (Paper& p : load_jsonl(testing::data_path(file))) papers.push_back(std::move(p));
  for (Paper& p : load_jsonl(std::filesystem::path(ARXIV_DIGEST_SOURCE_DIR) / "examples" /
                             "sample-day" / "papers.jsonl"))
    papers.push_back(std::move(p));
  // Texts whose words are not their raw bytes: braces inside a word, TeX letters, a soft hyphen.
  for (const char* text : {"Deep Re{in}forcement Learning", "Stra\\ss{}e networks and polic{ies}",
                           "reinforce\xC2\xADment learning", "{R}einforcement {L}earning",
                           "Schr\\\"{o}dinger policies", "\\lambda-reinforcement learning"}) {
    Paper p;
    p.id = ArxivId::parse("2606.00001");
    p.title = text;
    papers.push_back(std::move(p));
  }
  // Those texts do hold the words, once normalised (so the prefilter must let them through).
  const auto rl = compile_query("\"reinforcement learning\"");
  for (std::size_t i = papers.size() - 6; i < papers.size(); ++i)
    if (i != papers.size() - 5 && i != papers.size() - 2) {
      EXPECT_TRUE(rl->matches(papers[i])) << papers[i].title;
    }
  // TeX commands between and around the words (issue 9), in titles and abstracts: each text holds
  // "reinforcement learning" and "diffusion policy" for the tokenizer.
  for (const char* text :
       {"\\textbf{Reinforcement} \\textbf{Learning} of \\emph{diffusion policies}",
        "{\\em reinforcement learning} and {\\it diffusion} \\it policy",
        "\\textit{Reinforcement\\\\ Learning} with \\emph{\\textbf{diffusion}} \\cite{} policy",
        "$\\to$\\emph{reinforcement}\\/ learning; \\mathrm{diffusion}-\\mathrm{policy}"}) {
    for (int field = 0; field < 2; ++field) {
      Paper p;
      p.id = ArxivId::parse("2606.00002");
      (field == 0 ? p.title : p.abstract) = text;
      EXPECT_TRUE(rl->matches(p)) << text;
      EXPECT_TRUE(compile_query("\"diffusion policy\"")->matches(p)) << text;
      papers.push_back(std::move(p));
    }
  }
  for (Paper& p : load_jsonl(testing::data_path("match/tex_commands.jsonl")))
    papers.push_back(std::move(p));
  const std::vector<std::vector<std::string>> sets = {
      {"\"reinforcement learning\""},
      {"Schrodinger", "Grobner basis", "Painleve", "strasse", "policy"},
      {"\"diffusion policy\"", "\"large language model\" -agent", "segment*", "^SAM"},
      {"ti:(policy OR policies) abs:\"reward model\"", "=LLMs", "\"vision-language\""},
      {"co:pages", "transformer OR attention"},
      {"tritronquee"},
  };
  std::size_t hits = 0;
  for (const auto& queries : sets) {
    const QuerySet plain(queries);
    const QuerySet filtered(queries, QuerySetOptions{.prefilter = true});
    ASSERT_TRUE(filtered.stats().prefilter);
    ASSERT_FALSE(plain.stats().prefilter);
    QuerySet::Scratch a, b;
    for (const Paper& p : papers) {
      SCOPED_TRACE(queries.front() + " on " + p.id.str());
      const auto expected = plain.match(p, a);
      const auto got = filtered.match(p, b);
      ASSERT_EQ(got.size(), expected.size());
      for (std::size_t i = 0; i < got.size(); ++i) {
        EXPECT_EQ(got[i].query, expected[i].query);
        ASSERT_EQ(got[i].spans.size(), expected[i].spans.size());
        for (std::size_t k = 0; k < got[i].spans.size(); ++k) {
          EXPECT_EQ(got[i].spans[k].begin, expected[i].spans[k].begin);
          EXPECT_EQ(got[i].spans[k].end, expected[i].spans[k].end);
        }
      }
      hits += got.size();
    }
  }
  EXPECT_GT(hits, 100u);
  // Raw bytes cannot rule out author, category, id or stem terms: no prefilter then.
  for (const char* q : {"au:Bengio", "cat:cs.LG transformer", "id:2606.18284", "~modelling"})
    EXPECT_FALSE(QuerySet({q}, QuerySetOptions{.prefilter = true}).stats().prefilter) << q;
}

// Issue 9: a phrase inside a TeX command's argument is found. A command (`\emph`, `\textbf`,
// `{\em ...}`) is a word boundary and its braced argument ordinary text; braces are grouping, not
// punctuation, so `\emph{diffusion} policy` is the phrase. The four real records only say
// "reinforcement learning" inside `\textit{...}` or `\textbf{...}`; with the prefilter too (the
// `arxiv-digest match` path), with the same spans.
TEST(Query, PhrasesInsideTexCommandsMatch) {
  const auto papers = load_jsonl(testing::data_path("match/tex_commands.jsonl"));
  ASSERT_EQ(papers.size(), 4u);
  const std::set<std::string> all = {"2312.08935", "2505.13508", "2601.15690", "2602.04279"};
  EXPECT_EQ(ids_matching("\"reinforcement learning\"", papers), all);
  EXPECT_EQ(ids_matching("abs:\"reinforcement learning\" -ti:reinforcement", papers), all);
  const QuerySet plain({"\"reinforcement learning\""});
  const QuerySet filtered({"\"reinforcement learning\""}, QuerySetOptions{.prefilter = true});
  for (const Paper& p : papers) {
    SCOPED_TRACE(p.id.str());
    const auto expected = plain.match(p);
    const auto got = filtered.match(p);
    ASSERT_EQ(expected.size(), 1u);
    ASSERT_EQ(got.size(), 1u);
    ASSERT_EQ(got[0].spans.size(), expected[0].spans.size());
    for (std::size_t k = 0; k < got[0].spans.size(); ++k) {
      EXPECT_EQ(got[0].spans[k].begin, expected[0].spans[k].begin);
      EXPECT_EQ(got[0].spans[k].end, expected[0].spans[k].end);
      const std::string span = p.abstract.substr(
          expected[0].spans[k].begin, expected[0].spans[k].end - expected[0].spans[k].begin);
      EXPECT_TRUE(span == "Reinforcement Learning" || span == "reinforcement learning") << span;
    }
  }

  // The repro and the forms around it.
  const auto policy = compile_query("\"diffusion policy\"");
  for (const char* text :
       {"We use \\emph{diffusion policy}", "\\emph{diffusion} policy", "{\\em diffusion policy}",
        "\\textbf{Diffusion} \\textbf{Policies}", "\\emph{\\textit{diffusion}\n  policy}",
        "diffusion\\\\policy", "\\textsc{Diffusion}-\\textsc{Policy}"}) {
    SCOPED_TRACE(text);
    EXPECT_TRUE(policy->matches(paper_with("T", text)));
    EXPECT_TRUE(policy->matches(paper_with(text, "")));
  }
  // Not across punctuation, another word, or a command's argument; not a fused word.
  for (const char* text : {"\\emph{diffusion}, policy", "\\emph{diffusion}policy",
                           "diffusion \\cite{x} policy", "diffusion $\\to$ policy",
                           "\\emph{diffusion} (\\emph{policy})", "\\emphdiffusion policy"}) {
    SCOPED_TRACE(text);
    EXPECT_FALSE(policy->matches(paper_with(text, text)));
  }
  // Command names are not words of the text.
  EXPECT_FALSE(compile_query("emph OR textbf OR em")
                   ->matches(paper_with("\\textbf{A}", "{\\em b} and \\emph{c}")));
  // TeX accents stay letters of their word, inside a command's argument too.
  const auto schrodinger = compile_query("ti:\"nonlinear Schrodinger equation\"");
  EXPECT_TRUE(schrodinger->matches(paper_with("\\emph{nonlinear Schr\\\"odinger} equation", "")));
  EXPECT_TRUE(schrodinger->matches(paper_with("{\\it nonlinear Schr{\\\"o}dinger equation}", "")));
  EXPECT_TRUE(compile_query("\"Francois Gauss\"")
                  ->matches(paper_with("\\textbf{Fran\\c{c}ois} Gauss", "")));
}

TEST(Query, ErrorsAreConfigErrors) {
  EXPECT_THROW(compile_query("a OR (b"), ConfigError);
  EXPECT_THROW(QuerySet({"fine", "ti:"}), ConfigError);
}

// The seed digest's topics over the bundled sample day: "reinforcement learning" selects exactly
// the seed's 30 papers, "diffusion policy" none (the day has no "diffusion policies" either).
TEST(Query, SeedTopicsSelectTheSeedPapersOfTheSampleDay) {
  const auto day = load_jsonl(std::filesystem::path(ARXIV_DIGEST_SOURCE_DIR) / "examples" /
                              "sample-day" / "papers.jsonl");
  ASSERT_EQ(day.size(), 219u);
  std::set<std::string> seed_ids;
  for (const Paper& p : load_jsonl(testing::data_path("seed/seed_papers.jsonl")))
    seed_ids.insert(p.id.key());
  ASSERT_EQ(seed_ids.size(), 30u);
  EXPECT_EQ(ids_matching("reinforcement learning", day), seed_ids);  // both words, anywhere
  EXPECT_EQ(ids_matching("\"reinforcement learning\"", day), seed_ids);
  EXPECT_TRUE(ids_matching("\"diffusion policy\"", day).empty());
  // The seed's own records agree.
  EXPECT_EQ(ids_matching("\"reinforcement learning\"",
                         load_jsonl(testing::data_path("seed/seed_papers.jsonl"))),
            seed_ids);
}

}  // namespace
}  // namespace arxiv_digest
