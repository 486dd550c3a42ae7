// A multi-page OAI-PMH ListRecords list built from the REAL pages in tests/data/oai, served by a
// FixtureServer at arXiv's path ("/oai") with the exact targets a harvester asks for.
//
// arXiv's real lists are hundreds of pages of 1000 records; the fixtures are single trimmed pages.
// The chain is made in memory (nothing derived is stored): page i gets
// <resumptionToken cursor="..">TOKEN_i</resumptionToken> before </ListRecords>, the last page an
// empty token (as OAI-PMH ends a list). A page whose fixture already carries a token keeps it
// verbatim (the arXivRaw one: "726959|1001", completeListSize="58011"). A GetRecord fixture
// becomes a one-record ListRecords page (its <GetRecord> element renamed; the record is real).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "support/fixture_server.hpp"
#include "support/test_support.hpp"

namespace arxiv_digest::testing {

struct OaiChain {
  std::vector<std::string> bodies;   // page i's response body
  std::vector<std::string> tokens;   // tokens[i] asks for page i + 1 (size = pages - 1)
  std::vector<std::string> targets;  // what a harvester requests for page i (path + query)
  std::size_t records = 0;           // over all pages
};

inline std::string replace_all(std::string text, std::string_view from, std::string_view to) {
  for (std::size_t at = text.find(from); at != std::string::npos;
       at = text.find(from, at + to.size()))
    text.replace(at, from.size(), to);
  return text;
}

// Percent-encodes like the harvester (RFC 3986 unreserved characters kept).
inline std::string oai_encode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if ((u >= 'A' && u <= 'Z') || (u >= 'a' && u <= 'z') || (u >= '0' && u <= '9') ||
        u == '-' || u == '.' || u == '_' || u == '~') {
      out += c;
    } else {
      out += '%';
      out += kHex[u >> 4];
      out += kHex[u & 15];
    }
  }
  return out;
}

// Chains the fixture files (names under tests/data/oai) as described above. `first_target` is
// the request of page 0 ("/oai?verb=ListRecords&metadataPrefix=arXiv&from=2017-12-14").
inline OaiChain make_oai_chain(const std::vector<std::string>& files, std::string first_target) {
  OaiChain chain;
  chain.targets.push_back(std::move(first_target));
  for (std::size_t i = 0; i < files.size(); ++i) {
    std::string body = read_file(data_path("oai/" + files[i]));
    if (body.find("<GetRecord>") != std::string::npos) {
      body = replace_all(replace_all(body, "<GetRecord>", "<ListRecords>"), "</GetRecord>",
                         "</ListRecords>");
    }
    chain.records += count_of(body, "<record>");
    const bool last = i + 1 == files.size();
    const std::size_t open = body.find("<resumptionToken");
    if (open != std::string::npos) {
      const std::size_t text = body.find('>', open) + 1;
      const std::size_t close = body.find("</resumptionToken>", text);
      if (last) {
        body.replace(text, close - text, "");
      } else {
        chain.tokens.push_back(body.substr(text, close - text));
      }
    } else {
      const std::string token = last ? std::string() : "tok-" + std::to_string(i + 1);
      body = replace_all(body, "</ListRecords>",
                         "<resumptionToken cursor=\"" + std::to_string(chain.records) + "\">" +
                             token + "</resumptionToken></ListRecords>");
      if (!last) chain.tokens.push_back(token);
    }
    if (!last)
      chain.targets.push_back("/oai?verb=ListRecords&resumptionToken=" +
                              oai_encode(chain.tokens.back()));
    chain.bodies.push_back(std::move(body));
  }
  return chain;
}

inline void serve_oai_chain(FixtureServer& server, const OaiChain& chain) {
  ServeOptions options;
  options.content_type = "text/xml";
  options.validators = false;
  for (std::size_t i = 0; i < chain.bodies.size(); ++i)
    server.serve_bytes(chain.targets[i], chain.bodies[i], options);
}

// The three real arXiv-format pages (1706.05371, 1706.09418, 1707.00874 | 1412.8323,
// 1507.07790, 1607.01710 | 1401.2122): 7 records.
inline std::vector<std::string> arxiv_format_pages() {
  return {"hepcrawl_ListRecords_arXiv_set-physics-hep-ex_from-2017-12-14_trimmed3.xml",
          "hepcrawl_ListRecords_arXiv_set-physics-hep-th_from-2017-12-14_trimmed3.xml",
          "hepcrawl_GetRecord_arXiv_1401.2122_2018.xml"};
}

}  // namespace arxiv_digest::testing
