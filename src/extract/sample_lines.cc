// sample_lines(): a few text lines of a page for language detection, found from the ink alone.
// Tesseract's own layout analysis would find them too, but costs a fifth of reading the page,
// and the page is laid out again by the model that then reads it; this costs a few ms.
#include <algorithm>
#include <array>
#include <cstdint>
#include <vector>

#include "extract/ocr.h"

namespace evhub::extract {
namespace {

constexpr int kStep = 2;  // every other pixel is enough to see ink

// Otsu's threshold over a histogram of grey levels.
int otsu(const std::array<std::uint64_t, 256>& hist) {
  std::uint64_t total = 0;
  double sum = 0;
  for (int i = 0; i < 256; ++i) {
    total += hist[i];
    sum += static_cast<double>(i) * static_cast<double>(hist[i]);
  }
  double sum_below = 0;
  std::uint64_t below = 0;
  double best = -1;
  int threshold = 128;
  for (int t = 0; t < 256; ++t) {
    below += hist[t];
    if (below == 0) continue;
    const std::uint64_t above = total - below;
    if (above == 0) break;
    sum_below += static_cast<double>(t) * static_cast<double>(hist[t]);
    const double mean_below = sum_below / static_cast<double>(below);
    const double mean_above = (sum - sum_below) / static_cast<double>(above);
    const double between = static_cast<double>(below) * static_cast<double>(above) *
                           (mean_below - mean_above) * (mean_below - mean_above);
    if (between > best) {
      best = between;
      threshold = t;
    }
  }
  return threshold;
}

struct Run {
  int top;
  int bottom;  // exclusive
};

Image cut(const Image& page, int left, int top, int right, int bottom) {
  left = std::clamp(left, 0, page.width);
  right = std::clamp(right, left, page.width);
  top = std::clamp(top, 0, page.height);
  bottom = std::clamp(bottom, top, page.height);
  Image out;
  out.width = right - left;
  out.height = bottom - top;
  out.dpi = page.dpi;
  out.pixels.resize(static_cast<std::size_t>(out.width) * out.height);
  for (int y = 0; y < out.height; ++y) {
    const std::uint8_t* from =
        page.pixels.data() + static_cast<std::size_t>(top + y) * page.width + left;
    std::copy(from, from + out.width, out.pixels.data() + static_cast<std::size_t>(y) * out.width);
  }
  return out;
}

}  // namespace

std::vector<Image> sample_lines(const Image& page, std::size_t max_lines) {
  const int width = page.width;
  const int height = page.height;
  if (width < 32 || height < 16 || page.pixels.size() != static_cast<std::size_t>(width) * height) {
    return {};
  }
  const auto at = [&](int x, int y) {
    return page.pixels[static_cast<std::size_t>(y) * width + x];
  };

  std::array<std::uint64_t, 256> hist{};
  for (int y = 0; y < height; y += kStep) {
    for (int x = 0; x < width; x += kStep) ++hist[at(x, y)];
  }
  const int threshold = otsu(hist);

  // The text's horizontal extent, between the 1st and 99th percentile of ink (black scan
  // borders and specks fall outside).
  std::vector<std::uint64_t> columns(static_cast<std::size_t>(width));
  std::uint64_t ink = 0;
  for (int y = 0; y < height; y += kStep) {
    for (int x = 0; x < width; ++x) {
      if (at(x, y) <= threshold) {
        ++columns[x];
        ++ink;
      }
    }
  }
  if (ink == 0) return {};
  int left = 0;
  int right = width - 1;
  for (std::uint64_t seen = 0; left < width - 1 && (seen += columns[left]) < ink / 100;) ++left;
  for (std::uint64_t seen = 0; right > left && (seen += columns[right]) < ink / 100;) --right;
  const int text_width = right - left + 1;
  if (text_width < 16) return {};
  // Lines are found in the middle 60 %: on a page turned by a degree, a line drifts by a third
  // of its height over it, so a blank row still parts it from the next. They are cut from the
  // middle 80 % (more letters; the drift there stays within the margin added above and below).
  const int x0 = left + text_width / 5;
  const int x1 = right - text_width / 5;
  const int cut0 = left + text_width / 10;
  const int cut1 = right - text_width / 10;

  // Rows with ink in that band, and runs of them: text lines.
  const int band = std::max(1, (x1 - x0) / kStep);
  std::vector<Run> runs;
  int start = -1;
  for (int y = 0; y <= height; ++y) {
    int count = 0;
    if (y < height) {
      for (int x = x0; x < x1; x += kStep) count += at(x, y) <= threshold ? 1 : 0;
    }
    const bool inked = y < height && count * 200 >= band;  // 0.5 % of the band
    if (inked && start < 0) start = y;
    if (!inked && start >= 0) {
      if (y - start >= 6) runs.push_back({start, y});
      start = -1;
    }
  }
  if (runs.empty()) return {};
  std::vector<int> heights;
  for (const Run& run : runs) heights.push_back(run.bottom - run.top);
  std::nth_element(heights.begin(), heights.begin() + heights.size() / 2, heights.end());
  const int typical = heights[heights.size() / 2];
  std::vector<Run> lines;
  for (const Run& run : runs) {
    const int h = run.bottom - run.top;
    if (2 * h >= typical && h <= 2 * typical) lines.push_back(run);  // not merged lines or specks
  }

  // From the middle of the page outwards.
  std::vector<Image> out;
  const int n = static_cast<int>(lines.size());
  for (int k = 0; k < n && out.size() < max_lines; ++k) {
    const int i = n / 2 + (k % 2 == 0 ? k / 2 : -(k + 1) / 2);
    if (i < 0 || i >= n) continue;
    const Run& line = lines[static_cast<std::size_t>(i)];
    // Cut at gaps between words, so no letter is cut in half and read as another.
    const int gap = std::max(3, typical / 5);
    const auto empty_column = [&](int x) {
      for (int y = line.top; y < line.bottom; ++y) {
        if (at(x, y) <= threshold) return false;
      }
      return true;
    };
    const auto word_edge = [&](int x, int direction, int limit) {
      int blank = 0;
      for (; x != limit; x += direction) {
        blank = empty_column(x) ? blank + 1 : 0;
        if (blank >= gap) return x;
      }
      return -1;
    };
    // word_edge() stops `gap` columns into a gap; the cut goes through its middle, so nothing
    // of the next word's letters comes in to be read as a stray і or ў.
    const int from = word_edge(cut0, 1, cut1);
    const int to = word_edge(cut1 - 1, -1, cut0);
    if (from < 0 || to < 0 || to - from < 4 * typical) continue;
    const int pad = std::max(4, typical / 3);
    out.push_back(cut(page, from - gap / 2, line.top - pad, to + gap / 2 + 1, line.bottom + pad));
  }
  return out;
}

}  // namespace evhub::extract
