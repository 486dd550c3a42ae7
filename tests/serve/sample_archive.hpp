// The archive the web UI tests browse: the real `arxiv-digest run` on the bundled sample day
// (examples/sample-day, served by the fixture server on 127.0.0.1) with translations from the
// fake OpenAI-compatible backend (the seed's real Chinese titles and abstracts), writing the JSON
// and HTML digests. Built once per test process.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>

#include "support/fixture_server.hpp"
#include "support/process.hpp"
#include "support/sample_day.hpp"
#include "support/test_support.hpp"
#include "support/translation_server.hpp"

namespace arxiv_digest::testing {

struct SampleArchive {
  TempDir dir;
  std::filesystem::path archive() const { return dir / "archive.sqlite"; }
  std::filesystem::path out() const { return dir / "out"; }
};

inline const SampleArchive& sample_archive() {
  static SampleArchive sample_storage;  // removed at exit; the tests of one process share it
  static const SampleArchive* built = [] {
    SampleArchive* sample = &sample_storage;
    FixtureServer feeds;
    feeds.mount("/rss/", kSampleDay / "rss", {"application/rss+xml; charset=utf-8", true, true});
    TranslationServer backend;
    const std::filesystem::path config = sample->dir / "config.toml";
    std::ofstream(config) << "[arxiv]\n"
                          << "categories = [\"cs.AI\", \"cs.CL\", \"cs.CV\", \"cs.LG\", \"cs.RO\"]\n"
                          << "rss_url = \"" << feeds.url("/rss/") << "\"\n"
                          << "contact = \"digest-test@example.org\"\n"
                          << "[[topics]]\nname = \"reinforcement learning\"\n"
                          << "[[topics]]\nname = \"diffusion policy\"\n"
                          << "[output]\ndir = \"out\"\nformats = [\"json\", \"html\"]\nkatex = \"\"\n"
                          << "[store]\npath = \"archive.sqlite\"\n"
                          << "[translate]\nprovider = \"openai\"\nmodel = \"deepseek-chat\"\n"
                          << "base_url = \"" << backend.base_url() << "/v1\"\n"
                          << "api_key_env = \"TEST_TRANSLATE_KEY\"\n";
    const ProcessResult r = run_process(
        ARXIV_DIGEST_BINARY,
        {"run", "--config", config.string(), "--date", "2026-06-18", "--quiet"},
        {{"XDG_CACHE_HOME", (sample->dir / "cache").string()},
         {"XDG_CONFIG_HOME", (sample->dir / "config-home").string()},
         {"XDG_DATA_HOME", (sample->dir / "data-home").string()},
         {"SOURCE_DATE_EPOCH", kSeedEpoch},
         {"TEST_TRANSLATE_KEY", "test-key"}},
        sample->dir.path());
    if (r.exit_code != 0)
      throw std::runtime_error("building the sample archive failed (exit " +
                               std::to_string(r.exit_code) + "): " + r.err);
    return sample;
  }();
  return *built;
}

}  // namespace arxiv_digest::testing
