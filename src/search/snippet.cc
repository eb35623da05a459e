#include "search/snippet.h"

#include <algorithm>
#include <unordered_set>
#include <vector>

#include "core/text.h"
#include "search/names.h"
#include "search/text.h"

namespace evhub::search {
namespace {

std::vector<bool> matches(std::string_view text, const std::vector<Token>& tokens,
                          const ParsedQuery& q) {
  const std::unordered_set<std::string> words(q.words.begin(), q.words.end());
  const std::unordered_set<std::string> stems(q.stems.begin(), q.stems.end());
  const std::unordered_set<std::string> keys(q.name_keys.begin(), q.name_keys.end());
  std::vector<bool> hit(tokens.size(), false);
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    const Token& t = tokens[i];
    bool m = words.count(t.word) > 0;
    if (!m && !stems.empty()) {
      const std::string s = stem_word(t.word);
      m = !s.empty() && stems.count(s) > 0;
    }
    if (!m && !keys.empty() && t.capitalised && t.letters) {
      m = keys.count(name_forms(text.substr(t.begin, t.end - t.begin)).key) > 0;
    }
    if (!m) {
      for (const auto& p : q.prefixes) {
        if (t.word.rfind(p, 0) == 0) {
          m = true;
          break;
        }
      }
    }
    hit[i] = m;
  }
  return hit;
}

}  // namespace

std::string snippet_html(std::string_view text, const ParsedQuery& query, std::size_t max_bytes) {
  const std::vector<Token> tokens = tokenize(text);
  if (tokens.empty()) return {};
  const std::vector<bool> hit = matches(text, tokens, query);
  // The window of tokens no wider than max_bytes with the most matches (two pointers).
  std::size_t best_first = 0, best_count = 0, count = 0, first = 0;
  for (std::size_t last = 0; last < tokens.size(); ++last) {
    if (hit[last]) ++count;
    while (tokens[last].end - tokens[first].begin > max_bytes && first < last) {
      if (hit[first]) --count;
      ++first;
    }
    if (count > best_count) {
      best_count = count;
      best_first = first;
    }
  }
  // Start a little before the first match so it reads in context.
  std::size_t begin_token = best_first;
  if (best_count > 0) {
    std::size_t first_hit = best_first;
    while (!hit[first_hit]) ++first_hit;
    begin_token = first_hit >= 3 ? first_hit - 3 : 0;
  }
  std::size_t end_token = begin_token;
  while (end_token + 1 < tokens.size() &&
         tokens[end_token + 1].end - tokens[begin_token].begin <= max_bytes) {
    ++end_token;
  }
  const std::size_t from = begin_token == 0 ? 0 : tokens[begin_token].begin;
  const std::size_t to = end_token + 1 == tokens.size() ? text.size() : tokens[end_token].end;
  std::string out;
  if (from > 0) out += "…";
  std::size_t at = from;
  for (std::size_t i = begin_token; i <= end_token; ++i) {
    if (!hit[i]) continue;
    append_html_escaped(out, text.substr(at, tokens[i].begin - at));
    out += "<mark>";
    append_html_escaped(out, text.substr(tokens[i].begin, tokens[i].end - tokens[i].begin));
    out += "</mark>";
    at = tokens[i].end;
  }
  append_html_escaped(out, text.substr(at, to - at));
  if (to < text.size()) out += "…";
  return out;
}

}  // namespace evhub::search
