// The in-process side of bench/ocr_bench.sh: reads the page images named on the command line,
// then times one extract_many() call over all of them (engines loaded inside the timing, as the
// tesseract command loads its models inside its own), and writes each text to OUT_DIR.
//
//   ocr_bench --threads 2 [--language be] --out OUT_DIR PAGE...
//
// Prints one line per page ("NAME<TAB>language<TAB>confidence<TAB>parameters") and a last line
// "pages=N seconds=S".
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>
#include <vector>

#include "extract/extract.h"

int main(int argc, char** argv) {
  evhub::extract::ExtractOptions options;
  std::string out_dir;
  std::vector<std::string> pages;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--threads" && i + 1 < argc) {
      options.threads = std::atoi(argv[++i]);
    } else if (arg == "--language" && i + 1 < argc) {
      options.language = argv[++i];
    } else if (arg == "--out" && i + 1 < argc) {
      out_dir = argv[++i];
    } else {
      pages.push_back(arg);
    }
  }
  if (out_dir.empty() || pages.empty()) {
    std::cerr << "usage: ocr_bench --threads N [--language be|ru|en] --out DIR PAGE...\n";
    return 1;
  }
  std::vector<std::vector<std::uint8_t>> bytes;
  for (const std::string& page : pages) {
    std::ifstream in(page, std::ios::binary);
    bytes.emplace_back(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  std::vector<std::span<const std::uint8_t>> docs(bytes.begin(), bytes.end());

  const auto start = std::chrono::steady_clock::now();
  auto texts = evhub::extract::extract_many(docs, options);
  const std::chrono::duration<double> seconds = std::chrono::steady_clock::now() - start;
  if (!texts.is_ok()) {
    std::cerr << "ocr_bench: " << texts.status().to_string() << "\n";
    return 2;
  }
  for (std::size_t i = 0; i < pages.size(); ++i) {
    const auto& text = (*texts)[i];
    const std::string name = std::filesystem::path(pages[i]).stem().string();
    std::ofstream(out_dir + "/" + name + ".txt", std::ios::binary) << text.text;
    std::cout << name << '\t' << text.language << '\t' << text.confidence << '\t' << text.parameters
              << '\n';
  }
  std::cout << "pages=" << pages.size() << " seconds=" << seconds.count() << '\n';
  return 0;
}
