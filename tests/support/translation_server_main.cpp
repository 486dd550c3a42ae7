// arxiv_digest_translation_server: the fake translation backends (translation_server.hpp) on
// 127.0.0.1 until killed, for tests outside C++ (the web UI's browser test).
//
//   arxiv_digest_translation_server
//
// Prints the base URL on the first line of stdout ("http://127.0.0.1:<port>"; the
// OpenAI-compatible endpoint is <base>/v1).
#include <chrono>
#include <cstdio>
#include <exception>
#include <thread>

#include "support/translation_server.hpp"

int main(int argc, char** argv) {
  if (argc != 1) {
    std::fprintf(stderr, "usage: %s\n", argv[0]);
    return 2;
  }
  try {
    arxiv_digest::testing::TranslationServer server;
    std::printf("%s\n", server.base_url().c_str());
    std::fflush(stdout);
    for (;;) std::this_thread::sleep_for(std::chrono::hours{1});
  } catch (const std::exception& error) {
    std::fprintf(stderr, "arxiv_digest_translation_server: %s\n", error.what());
    return 1;
  }
}
