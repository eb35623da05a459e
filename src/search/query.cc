#include "search/query.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <optional>

#include "search/names.h"
#include "search/terms.h"
#include "search/text.h"

namespace evhub::search {
namespace {

// Name keys are tried for every query word, at a lower weight than the word itself: a spelling
// the text uses exactly ranks above one that only sounds the same.
constexpr double kNameKeyWeight = 0.6;
constexpr Xapian::termcount kWildcardExpansions = 200;
constexpr Xapian::termcount kDefaultNearWindow = 10;

constexpr const char* kFields[] = {"type",  "lang",   "witness", "org",   "facility",
                                   "place", "person", "code",    "month", "date"};

enum class Kind { kWord, kPhrase, kField, kAnd, kOr, kNot, kNear, kOpen, kClose, kMinus, kEnd };

struct Lexeme {
  Kind kind = Kind::kEnd;
  std::string text;    // word, phrase content, field value
  std::string field;   // for kField
  int near = 0;        // NEAR/n window
  std::size_t at = 0;  // byte offset in the query
};

// The 1-based character (not byte) position of byte offset `at`, for messages.
std::size_t char_position(std::string_view q, std::size_t at) {
  std::size_t chars = 1;
  for (std::size_t i = 0; i < at && i < q.size(); ++i) {
    if ((static_cast<unsigned char>(q[i]) & 0xC0) != 0x80) ++chars;
  }
  return chars;
}

class Lexer {
 public:
  explicit Lexer(std::string_view q) : q_(q) {}

  Result<std::vector<Lexeme>> run() {
    std::vector<Lexeme> out;
    while (true) {
      while (pos_ < q_.size() && std::isspace(static_cast<unsigned char>(q_[pos_]))) ++pos_;
      if (pos_ >= q_.size()) break;
      const std::size_t at = pos_;
      const char c = q_[pos_];
      if (c == '(' || c == ')') {
        ++pos_;
        out.push_back({c == '(' ? Kind::kOpen : Kind::kClose, "", "", 0, at});
      } else if (c == '"') {
        EVHUB_ASSIGN_OR_RETURN(std::string phrase, quoted());
        out.push_back({Kind::kPhrase, std::move(phrase), "", 0, at});
      } else if (c == '-' && pos_ + 1 < q_.size() &&
                 !std::isspace(static_cast<unsigned char>(q_[pos_ + 1]))) {
        ++pos_;
        out.push_back({Kind::kMinus, "", "", 0, at});
      } else {
        EVHUB_ASSIGN_OR_RETURN(Lexeme w, word(at));
        out.push_back(std::move(w));
      }
    }
    out.push_back({Kind::kEnd, "", "", 0, q_.size()});
    return out;
  }

 private:
  Status error(std::size_t at, const std::string& what) const {
    return Status(Code::kInvalidArgument,
                  fmt::format("at character {}: {}", char_position(q_, at), what));
  }

  Result<std::string> quoted() {
    const std::size_t open = pos_++;
    const std::size_t close = q_.find('"', pos_);
    if (close == std::string_view::npos) {
      return error(open, "this quotation mark is never closed");
    }
    std::string inside(q_.substr(pos_, close - pos_));
    pos_ = close + 1;
    return inside;
  }

  Result<Lexeme> word(std::size_t at) {
    std::size_t end = pos_;
    while (end < q_.size() && !std::isspace(static_cast<unsigned char>(q_[end])) &&
           q_[end] != '(' && q_[end] != ')' && q_[end] != '"') {
      ++end;
    }
    std::string w(q_.substr(pos_, end - pos_));
    pos_ = end;
    if (w == "AND") return Lexeme{Kind::kAnd, w, "", 0, at};
    if (w == "OR") return Lexeme{Kind::kOr, w, "", 0, at};
    if (w == "NOT") return Lexeme{Kind::kNot, w, "", 0, at};
    if (w == "NEAR" || w.rfind("NEAR/", 0) == 0) {
      int window = static_cast<int>(kDefaultNearWindow);
      if (w.size() > 5) {
        const std::string n = w.substr(5);
        if (n.empty() || n.size() > 3 || !std::all_of(n.begin(), n.end(), ::isdigit) ||
            std::stoi(n) < 1) {
          return error(at, "NEAR/ needs a number of words from 1 to 999, as in NEAR/5");
        }
        window = std::stoi(n);
      }
      return Lexeme{Kind::kNear, w, "", window, at};
    }
    const std::size_t colon = w.find(':');
    if (colon != std::string::npos && colon > 0 &&
        std::all_of(w.begin(), w.begin() + static_cast<std::ptrdiff_t>(colon),
                    [](char ch) { return std::isalpha(static_cast<unsigned char>(ch)); })) {
      std::string field = w.substr(0, colon);
      std::transform(field.begin(), field.end(), field.begin(), ::tolower);
      if (std::find(std::begin(kFields), std::end(kFields), field) == std::end(kFields)) {
        return error(at, "there is no field \"" + w.substr(0, colon) +
                             "\"; fields are type, lang, witness, org, facility, place, person, "
                             "code, month and date");
      }
      std::string value = w.substr(colon + 1);
      if (value.empty() && pos_ < q_.size() && q_[pos_] == '"') {
        EVHUB_ASSIGN_OR_RETURN(value, quoted());
      }
      if (value.empty()) return error(at, field + ": needs a value, as in " + field + ":…");
      return Lexeme{Kind::kField, std::move(value), std::move(field), 0, at};
    }
    return Lexeme{Kind::kWord, std::move(w), "", 0, at};
  }

  std::string_view q_;
  std::size_t pos_ = 0;
};

// A parsed piece of the query; `query` is empty when the piece contributes nothing (a stop word).
struct Node {
  std::optional<Xapian::Query> query;
  bool filter = false;   // a field filter: no weight
  bool negated = false;  // -x or NOT x: subtracted from what it is ANDed with
};

bool valid_date(const std::string& d) {
  // YYYY, YYYY-MM or YYYY-MM-DD with plausible numbers.
  auto digits = [&](std::size_t from, std::size_t n) {
    if (d.size() < from + n) return false;
    for (std::size_t i = from; i < from + n; ++i) {
      if (!std::isdigit(static_cast<unsigned char>(d[i]))) return false;
    }
    return true;
  };
  if (d.size() == 4) return digits(0, 4);
  if (d.size() == 7) {
    return digits(0, 4) && d[4] == '-' && digits(5, 2) && std::stoi(d.substr(5, 2)) >= 1 &&
           std::stoi(d.substr(5, 2)) <= 12;
  }
  if (d.size() == 10) {
    return digits(0, 4) && d[4] == '-' && digits(5, 2) && d[7] == '-' && digits(8, 2) &&
           std::stoi(d.substr(5, 2)) >= 1 && std::stoi(d.substr(5, 2)) <= 12 &&
           std::stoi(d.substr(8, 2)) >= 1 && std::stoi(d.substr(8, 2)) <= 31;
  }
  return false;
}

class Parser {
 public:
  Parser(std::string_view q, std::vector<Lexeme> lexemes, ParsedQuery& out,
         const std::vector<std::string>& date_buckets)
      : q_(q), lx_(std::move(lexemes)), out_(out), date_buckets_(date_buckets) {}

  Result<Xapian::Query> run() {
    EVHUB_ASSIGN_OR_RETURN(Node n, or_expr());
    if (peek().kind == Kind::kClose) return error(peek().at, "this bracket closes nothing");
    if (peek().kind != Kind::kEnd) return error(peek().at, "unexpected " + describe(peek()));
    if (terms_ > kMaxQueryTerms) {
      return Status(Code::kInvalidArgument,
                    fmt::format("the query has {} words and filters; at most {} are allowed",
                                terms_, kMaxQueryTerms));
    }
    if (!n.query) return Xapian::Query();  // stop words only: see parse_query
    if (n.negated)
      return Xapian::Query(Xapian::Query::OP_AND_NOT, Xapian::Query::MatchAll, *n.query);
    return *n.query;
  }

 private:
  const Lexeme& peek() const { return lx_[i_]; }
  const Lexeme& next() { return lx_[i_ < lx_.size() - 1 ? i_++ : i_]; }

  Status error(std::size_t at, const std::string& what) const {
    return Status(Code::kInvalidArgument,
                  fmt::format("at character {}: {}", char_position(q_, at), what));
  }
  static std::string describe(const Lexeme& l) {
    switch (l.kind) {
      case Kind::kAnd:
        return "AND";
      case Kind::kOr:
        return "OR";
      case Kind::kNot:
        return "NOT";
      case Kind::kNear:
        return "NEAR";
      case Kind::kClose:
        return "\")\"";
      case Kind::kEnd:
        return "end of the query";
      default:
        return "\"" + l.text + "\"";
    }
  }

  Result<Node> or_expr() {
    EVHUB_ASSIGN_OR_RETURN(Node left, and_expr());
    while (peek().kind == Kind::kOr) {
      const Lexeme op = next();
      EVHUB_ASSIGN_OR_RETURN(Node right, and_expr());
      if (left.negated || right.negated) {
        return error(op.at, "OR cannot join a NOT or -word; put it in brackets with AND");
      }
      left = combine(Xapian::Query::OP_OR, std::move(left), std::move(right));
    }
    return left;
  }

  static Node combine(Xapian::Query::op op, Node left, Node right) {
    if (!left.query) return right;
    if (!right.query) return left;
    Node out;
    out.query = Xapian::Query(op, *left.query, *right.query);
    out.filter = left.filter && right.filter;
    return out;
  }

  static bool starts_operand(Kind k) {
    return k == Kind::kWord || k == Kind::kPhrase || k == Kind::kField || k == Kind::kOpen ||
           k == Kind::kNot || k == Kind::kMinus;
  }

  Result<Node> and_expr() {
    if (!starts_operand(peek().kind)) {
      if (peek().kind == Kind::kEnd)
        return error(peek().at, "the query ends where a word was expected");
      return error(peek().at, describe(peek()) + " needs a word before it");
    }
    std::vector<Node> parts;
    while (true) {
      if (peek().kind == Kind::kAnd) {
        const Lexeme op = next();
        if (!starts_operand(peek().kind)) {
          return error(op.at, "AND needs a word after it");
        }
      }
      if (!starts_operand(peek().kind)) break;
      if (std::optional<Node> name = name_run()) {
        parts.push_back(std::move(*name));
        continue;
      }
      EVHUB_ASSIGN_OR_RETURN(Node n, not_expr());
      parts.push_back(std::move(n));
    }
    // Positive parts are ANDed; negated ones are taken away from them.
    std::optional<Xapian::Query> positive, negative;
    bool all_filters = true;
    for (Node& n : parts) {
      if (!n.query) continue;
      if (n.negated) {
        negative = negative ? Xapian::Query(Xapian::Query::OP_OR, *negative, *n.query) : *n.query;
      } else {
        all_filters = all_filters && n.filter;
        positive = positive ? Xapian::Query(Xapian::Query::OP_AND, *positive, *n.query) : *n.query;
      }
    }
    Node out;
    if (positive && negative) {
      out.query = Xapian::Query(Xapian::Query::OP_AND_NOT, *positive, *negative);
      out.filter = all_filters;
    } else if (positive) {
      out.query = positive;
      out.filter = all_filters;
    } else if (negative) {
      out.query = negative;
      out.negated = true;
    }
    return out;
  }

  // A single word typed with a capital letter, which may be part of a name.
  static bool is_name_word(const Lexeme& l) {
    if (l.kind != Kind::kWord || l.text.empty() || l.text.back() == '*') return false;
    auto tokens = tokenize(l.text);
    return tokens.size() == 1 && tokens[0].letters && tokens[0].capitalised;
  }

  // Two or more capitalised words in a row (Aleh Bandarenka, Бандарэнка Алег, Major Kavalenka)
  // are read as one name: they must stand within one word of each other, in either order, in
  // any spelling. Without this, "Aleh Bandarenka" also finds every text that names some Aleh
  // and some other Bandarenka. `AND` between the words finds them anywhere in a text.
  std::optional<Node> name_run() {
    std::size_t end = i_;
    while (end < lx_.size() && is_name_word(lx_[end])) ++end;
    if (end < lx_.size() && lx_[end].kind == Kind::kNear) --end;  // the last word is NEAR's
    if (end < i_ + 2) return std::nullopt;
    std::vector<Xapian::Query> words;
    for (; i_ < end; ++i_) {
      const Lexeme& l = lx_[i_];
      const std::string w = tokenize(l.text)[0].word;
      const NameForms name = name_forms(l.text);
      ++terms_;
      std::vector<Xapian::Query> alternatives = {Xapian::Query(w)};
      if (!name.key.empty()) alternatives.emplace_back(std::string(terms::kNameKey) + name.key);
      words.emplace_back(Xapian::Query::OP_OR, alternatives.begin(), alternatives.end());
      note(w, stem_word(w), name, true);
    }
    out_.has_words = true;
    Node n;
    n.query = Xapian::Query(Xapian::Query::OP_NEAR, words.begin(), words.end(),
                            static_cast<Xapian::termcount>(words.size() + 1));
    return n;
  }

  Result<Node> not_expr() {
    if (peek().kind == Kind::kNot || peek().kind == Kind::kMinus) {
      const Lexeme op = next();
      if (!starts_operand(peek().kind) || peek().kind == Kind::kNot ||
          peek().kind == Kind::kMinus) {
        return error(op.at, op.kind == Kind::kNot ? "NOT needs a word after it"
                                                  : "\"-\" needs a word right after it");
      }
      const bool saved = negating_;
      negating_ = true;
      auto n = near_expr();
      negating_ = saved;
      EVHUB_RETURN_IF_ERROR(n.status());
      if (n->negated) return error(op.at, "a NOT inside a NOT; use brackets");
      n->negated = n->query.has_value();
      n->filter = false;
      return std::move(*n);
    }
    return near_expr();
  }

  Result<Node> near_expr() {
    const Lexeme first = peek();
    EVHUB_ASSIGN_OR_RETURN(Node left, primary());
    if (peek().kind != Kind::kNear) return left;
    std::vector<Xapian::Query> operands;
    EVHUB_ASSIGN_OR_RETURN(auto q0, positional(first, left));
    operands.push_back(std::move(q0));
    int window = 0;
    while (peek().kind == Kind::kNear) {
      const Lexeme op = next();
      window = std::max(window, op.near);
      const Lexeme operand = peek();
      if (operand.kind != Kind::kWord && operand.kind != Kind::kPhrase) {
        return error(op.at, "NEAR needs a word on each side");
      }
      EVHUB_ASSIGN_OR_RETURN(Node right, primary());
      EVHUB_ASSIGN_OR_RETURN(auto q, positional(operand, right));
      operands.push_back(std::move(q));
    }
    Node out;
    out.query = Xapian::Query(Xapian::Query::OP_NEAR, operands.begin(), operands.end(),
                              static_cast<Xapian::termcount>(window) +
                                  static_cast<Xapian::termcount>(operands.size()) - 1);
    return out;
  }

  // NEAR works on word positions: its operands are single words as written.
  Result<Xapian::Query> positional(const Lexeme& l, const Node&) {
    if (l.kind != Kind::kWord && l.kind != Kind::kPhrase) {
      return error(l.at, "NEAR needs a word on each side");
    }
    auto tokens = tokenize(l.text);
    if (tokens.size() != 1) return error(l.at, "NEAR joins single words, not " + describe(l));
    return Xapian::Query(tokens[0].word);
  }

  Result<Node> primary() {
    const Lexeme l = next();
    switch (l.kind) {
      case Kind::kOpen: {
        if (peek().kind == Kind::kClose) return error(l.at, "the brackets are empty");
        EVHUB_ASSIGN_OR_RETURN(Node n, or_expr());
        if (peek().kind != Kind::kClose) return error(l.at, "this bracket is never closed");
        next();
        return n;
      }
      case Kind::kWord:
        return word(l);
      case Kind::kPhrase:
        return phrase(l);
      case Kind::kField:
        return field(l);
      default:
        return error(l.at, "unexpected " + describe(l));
    }
  }

  // `capitalised`: the word was typed as a name (Kalesnikava), so hits are re-ranked by how
  // close their spelling is; re-ranking reads each candidate's terms, too slow for every word.
  void note(const std::string& word, const std::string& stem, const NameForms& name,
            bool capitalised) {
    if (negating_) return;
    out_.words.push_back(word);
    if (!stem.empty()) out_.stems.push_back(stem);
    if (!name.key.empty()) {
      out_.name_keys.push_back(name.key);
      if (capitalised) out_.names.emplace_back(name.key, name.latin);
    }
  }

  Result<Node> word(const Lexeme& l) {
    std::string raw = l.text;
    const bool wildcard = !raw.empty() && raw.back() == '*';
    if (wildcard) raw.pop_back();
    if (raw.find('*') != std::string::npos) {
      return error(l.at, "\"*\" may only end a word, as in Kaval*");
    }
    auto tokens = tokenize(raw);
    Node n;
    if (tokens.empty()) {
      if (wildcard) return error(l.at, "\"*\" needs at least two letters before it");
      return n;  // punctuation only
    }
    if (tokens.size() > 1) {  // "W-00012", "Minsk's": the parts as a phrase
      out_.has_words = out_.has_words || !negating_;
      return phrase_of(tokens, wildcard);
    }
    const std::string& w = tokens[0].word;
    ++terms_;
    if (wildcard) {
      if (w.size() < 2) return error(l.at, "\"*\" needs at least two letters before it");
      out_.has_words = out_.has_words || !negating_;
      if (!negating_) out_.prefixes.push_back(w);
      n.query = Xapian::Query(Xapian::Query::OP_WILDCARD, w, kWildcardExpansions,
                              Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT);
      return n;
    }
    if (is_stop_word(w) && !negating_) {
      stop_words_.push_back(w);
      return n;
    }
    out_.has_words = out_.has_words || !negating_;
    std::vector<Xapian::Query> alternatives = {Xapian::Query(w)};
    const std::string stem = stem_word(w);
    if (!stem.empty()) alternatives.emplace_back(std::string(terms::kStem) + stem);
    NameForms name;
    if (tokens[0].letters) name = name_forms(raw);
    if (!name.key.empty()) {
      alternatives.emplace_back(Xapian::Query::OP_SCALE_WEIGHT,
                                Xapian::Query(std::string(terms::kNameKey) + name.key),
                                kNameKeyWeight);
    }
    note(w, stem, name, tokens[0].capitalised);
    n.query = Xapian::Query(Xapian::Query::OP_OR, alternatives.begin(), alternatives.end());
    return n;
  }

  Result<Node> phrase_of(const std::vector<Token>& tokens, bool wildcard_last) {
    std::vector<Xapian::Query> words;
    for (std::size_t i = 0; i < tokens.size(); ++i) {
      ++terms_;
      if (!negating_) out_.words.push_back(tokens[i].word);
      if (wildcard_last && i + 1 == tokens.size()) {
        words.emplace_back(Xapian::Query::OP_WILDCARD, tokens[i].word, kWildcardExpansions,
                           Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT);
      } else {
        words.emplace_back(tokens[i].word);
      }
    }
    Node n;
    n.query = words.size() == 1
                  ? words[0]
                  : Xapian::Query(Xapian::Query::OP_PHRASE, words.begin(), words.end());
    return n;
  }

  Result<Node> phrase(const Lexeme& l) {
    auto tokens = tokenize(l.text);
    if (tokens.empty()) return error(l.at, "the quoted phrase has no words");
    out_.has_words = out_.has_words || !negating_;
    return phrase_of(tokens, false);
  }

  static Xapian::Query boolean(const std::string& term) {
    return Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, Xapian::Query(term), 0.0);
  }

  // facility:, place:, person: values: every word must meet, by its name key (so Akrestsina
  // finds Акрэсціна) or, for words that are not name-like (numbers), as written.
  Result<Xapian::Query> keyed(const Lexeme& l, const char* prefix, bool also_text) {
    auto tokens = tokenize(l.text);
    if (tokens.empty()) return error(l.at, l.field + ": needs a word, not \"" + l.text + "\"");
    std::vector<Xapian::Query> all;
    for (const Token& t : tokens) {
      ++terms_;
      const NameForms name =
          t.letters ? name_forms(std::string_view(l.text).substr(t.begin, t.end - t.begin))
                    : NameForms{};
      const std::string key = name.key.empty() ? "#" + t.word : name.key;
      Xapian::Query q = boolean(prefix + key);
      if (also_text && !name.key.empty()) {
        q = Xapian::Query(Xapian::Query::OP_OR, q,
                          Xapian::Query(std::string(terms::kNameKey) + name.key));
        if (!negating_) {
          out_.name_keys.push_back(name.key);
          out_.names.emplace_back(name.key, name.latin);
        }
      }
      all.push_back(std::move(q));
    }
    return Xapian::Query(Xapian::Query::OP_AND, all.begin(), all.end());
  }

  Result<Node> field(const Lexeme& l) {
    Node n;
    n.filter = true;
    ++terms_;
    std::string v = l.text;
    auto lower = [](std::string s) {
      std::transform(s.begin(), s.end(), s.begin(), ::tolower);
      return s;
    };
    if (l.field == "type")
      n.query = boolean(terms::kType + lower(v));
    else if (l.field == "lang")
      n.query = boolean(terms::kLanguage + lower(v));
    else if (l.field == "org")
      n.query = boolean(terms::kOrganisation + v);
    else if (l.field == "code")
      n.query = boolean(terms::kCode + lower(v));
    else if (l.field == "witness") {
      std::transform(v.begin(), v.end(), v.begin(), ::toupper);
      n.query = boolean(terms::kWitness + v);
    } else if (l.field == "month") {
      if (v.size() != 7 || !valid_date(v)) {
        return error(l.at, "month: takes a month as YYYY-MM, as in month:2020-08");
      }
      n.query = boolean(terms::kMonth + v);
    } else if (l.field == "date") {
      EVHUB_ASSIGN_OR_RETURN(auto q, date_range(l));
      n.query = std::move(q);
    } else if (l.field == "facility") {
      EVHUB_ASSIGN_OR_RETURN(auto q, keyed(l, terms::kFacility, false));
      n.query = std::move(q);
    } else if (l.field == "place") {
      EVHUB_ASSIGN_OR_RETURN(auto q, keyed(l, terms::kPlace, false));
      n.query = std::move(q);
    } else if (l.field == "person") {
      EVHUB_ASSIGN_OR_RETURN(auto q, keyed(l, terms::kPerson, true));
      n.query = std::move(q);
      n.filter = false;  // a person named in the text weighs like a word
    }
    return n;
  }

  // date:2020-08-10, date:2020-08 (the month), date:2020..2021-03, date:2020-08.. and
  // date:..2020-09 over incident and document dates (ISO dates compare as strings).
  Result<Xapian::Query> date_range(const Lexeme& l) {
    const std::string& v = l.text;
    std::string from = v, to = v;
    const std::size_t dots = v.find("..");
    if (dots != std::string::npos) {
      from = v.substr(0, dots);
      to = v.substr(dots + 2);
      if (from.empty() && to.empty())
        return error(l.at, "date: needs at least one end of the range");
    }
    for (const std::string* d : {&from, &to}) {
      if (!d->empty() && !valid_date(*d)) {
        return error(l.at,
                     "date: takes YYYY, YYYY-MM or YYYY-MM-DD, or a range like "
                     "2020-08..2020-09; \"" +
                         *d + "\" is not one");
      }
    }
    // A shorter end covers its whole month or year: 2020-08-01..2020-08 is a range.
    if (!from.empty() && !to.empty() && from > to + "~") {
      return error(l.at, "date: the range ends (" + to + ") before it starts (" + from + ")");
    }
    // "~" sorts after every digit and "-": the upper end includes all of its month or year.
    const std::string hi = to.empty() ? "~" : to + "~";
    Xapian::Query range =
        from.empty() ? Xapian::Query(Xapian::Query::OP_VALUE_LE, terms::kDateSlot, hi)
                     : Xapian::Query(Xapian::Query::OP_VALUE_RANGE, terms::kDateSlot, from, hi);
    if (date_buckets_.empty()) return range;
    return in_buckets(from, hi);
  }

  // The buckets (see date_buckets in index.cc) whose dates are all in [from, hi]: a year alone
  // ("2020") or a day ("2020-08-10") is one date; a month ("2020-08") holds every date that
  // starts with it. A month the range only cuts is taken by its days in range, and by its
  // "2020-08-" bucket (dated by the month alone) when the month itself is in range. No
  // candidate's date is then tested one by one.
  Xapian::Query in_buckets(const std::string& from, const std::string& hi) const {
    const auto in_range = [&](const std::string& d) { return from <= d && d <= hi; };
    std::vector<Xapian::Query> any;
    auto add = [&](const std::string& b) { any.emplace_back(terms::kMonth + b); };
    for (auto b = date_buckets_.begin(); b != date_buckets_.end(); ++b) {
      if (b->size() == 4 && in_range(*b)) add(*b);
      if (b->size() != 7 || *b + "~" < from || *b > hi) continue;
      if (from <= *b && *b + "~" <= hi) {
        add(*b);
        continue;
      }
      for (auto d = std::next(b); d != date_buckets_.end() && d->compare(0, 7, *b) == 0; ++d) {
        if (d->size() == 10 ? in_range(*d) : d->size() == 8 && in_range(*b)) add(*d);
      }
    }
    // Not Query::MatchNothing, which is the empty query that the parser drops as "no filter".
    if (any.empty()) return Xapian::Query(std::string(terms::kMonth) + "none");
    return Xapian::Query(Xapian::Query::OP_OR, any.begin(), any.end());
  }

 public:
  std::vector<std::string> stop_words_;

 private:
  std::string_view q_;
  std::vector<Lexeme> lx_;
  ParsedQuery& out_;
  const std::vector<std::string>& date_buckets_;
  std::size_t i_ = 0;
  int terms_ = 0;
  bool negating_ = false;
};

}  // namespace

Result<ParsedQuery> parse_query(std::string_view text,
                                const std::vector<std::string>& date_buckets) {
  if (text.size() > kMaxQueryBytes) {
    return Status(Code::kInvalidArgument,
                  fmt::format("the query is {} bytes long; at most {} are allowed", text.size(),
                              kMaxQueryBytes));
  }
  ParsedQuery out;
  Lexer lexer(text);
  EVHUB_ASSIGN_OR_RETURN(auto lexemes, lexer.run());
  if (lexemes.size() == 1) {
    return Status(Code::kInvalidArgument, "the query is empty; type a word or a filter");
  }
  Parser parser(text, std::move(lexemes), out, date_buckets);
  EVHUB_ASSIGN_OR_RETURN(out.query, parser.run());
  // A query of stop words only ("the", "і") still means something: search them as words.
  if (out.query.empty()) {
    std::vector<Xapian::Query> words;
    for (const auto& w : parser.stop_words_) words.emplace_back(w);
    out.words = parser.stop_words_;
    out.has_words = !words.empty();
    out.query = words.empty() ? Xapian::Query::MatchAll
                              : Xapian::Query(Xapian::Query::OP_AND, words.begin(), words.end());
  }
  return out;
}

}  // namespace evhub::search
