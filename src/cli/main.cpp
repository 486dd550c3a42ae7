#include <iostream>

#include "cli/app.hpp"

int main(int argc, char** argv) { return arxiv_digest::run_app(argc, argv, std::cout, std::cerr); }
