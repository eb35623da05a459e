// Inter-coder agreement against worked examples computed by hand: the arithmetic is in the
// comments so that a reviewer can redo it. Notation: n11 both applied the code, n10 only the
// first coder, n01 only the second, n00 neither; o(c,k) the coincidence matrix, n_c its
// marginals, n the pairable values; alpha = 1 - (n-1)·Σ_{c≠k} o(c,k) / Σ_{c≠k} n_c·n_k.
#include "coding/agreement.h"

#include <gtest/gtest.h>
#include <unicode/unistr.h>

#include <string>
#include <vector>

namespace evhub::coding {
namespace {

constexpr double kExact = 1e-9;

// Units [10i, 10i+10) numbered 0..count-1: ten code points each, so spans are easy to place.
std::vector<Unit> tens(const std::string& text_id, std::size_t count) {
  std::vector<Unit> units;
  for (std::size_t i = 0; i < count; ++i) {
    Unit u;
    u.text_id = text_id;
    u.index = i;
    u.begin = 10 * i;
    u.end = 10 * i + 10;
    units.push_back(u);
  }
  return units;
}

Coding coding(const std::string& coder, const std::string& text_id, const std::string& code,
              std::size_t begin, std::size_t end) {
  Coding c;
  c.coder = coder;
  c.text_id = text_id;
  c.code = code;
  c.begin = begin;
  c.end = end;
  return c;
}

const CodeAgreement& find_code(const AgreementReport& report, const std::string& code) {
  for (const auto& c : report.codes) {
    if (c.code == code) return c;
  }
  ADD_FAILURE() << "no code " << code;
  static const CodeAgreement none;
  return none;
}

const CoderPair& find_pair(const CodeAgreement& code, const std::string& a, const std::string& b) {
  for (const auto& p : code.pairs) {
    if (p.coder_a == a && p.coder_b == b) return p;
  }
  ADD_FAILURE() << "no pair " << a << "-" << b;
  static const CoderPair none;
  return none;
}

double cell(const Alpha& alpha, int c, int k) {
  const auto it = alpha.coincidences.find({c, k});
  return it == alpha.coincidences.end() ? 0.0 : it->second;
}

// The UTF-8 of code points [begin, end) of `text`.
std::string points(const std::string& text, std::size_t begin, std::size_t end) {
  const icu::UnicodeString s = icu::UnicodeString::fromUTF8(text);
  const int32_t from = s.moveIndex32(0, static_cast<int32_t>(begin));
  const int32_t to = s.moveIndex32(0, static_cast<int32_t>(end));
  std::string out;
  s.tempSubStringBetween(from, to).toUTF8String(out);
  return out;
}

TEST(SpanCodesUnit, OverlapOfHalfTheShorterOfSpanAndUnit) {
  // A short phrase inside a long sentence: overlap 5, the span (5) is shorter, 2·5 ≥ 5.
  EXPECT_TRUE(span_codes_unit(0, 40, 10, 15));
  // A span over the previous sentence that runs 5 points into this one: overlap 5, the unit
  // (40) is shorter than the span (45), 2·5 < 40.
  EXPECT_FALSE(span_codes_unit(40, 80, 0, 45));
  // Exactly half the unit: overlap 20 of a 40-point unit, 2·20 ≥ 40; one point less is not.
  EXPECT_TRUE(span_codes_unit(0, 40, 20, 60));
  EXPECT_FALSE(span_codes_unit(0, 40, 21, 61));
  // Touching is not overlapping.
  EXPECT_FALSE(span_codes_unit(0, 40, 40, 50));
  // A 7-point span across a boundary codes the unit holding more of it: 3 points in the first
  // (2·3 < 7), 4 in the second (2·4 ≥ 7).
  EXPECT_FALSE(span_codes_unit(0, 40, 37, 44));
  EXPECT_TRUE(span_codes_unit(40, 80, 37, 44));
}

TEST(CohenKappa, TextbookTable) {
  // n11 = 20, n10 = 5, n01 = 10, n00 = 15; n = 50.
  // Po = (20 + 15) / 50 = 0.7. pA(applied) = 25/50 = 0.5, pB(applied) = 30/50 = 0.6.
  // Pe = 0.5·0.6 + 0.5·0.4 = 0.3 + 0.2 = 0.5. kappa = (0.7 - 0.5) / (1 - 0.5) = 0.4.
  BinaryTable t;
  t.both = 20;
  t.only_a = 5;
  t.only_b = 10;
  t.neither = 15;
  const Kappa k = cohen_kappa(t);
  EXPECT_NEAR(k.observed, 0.7, kExact);
  EXPECT_NEAR(k.chance, 0.5, kExact);
  ASSERT_TRUE(k.value);
  EXPECT_NEAR(*k.value, 0.4, kExact);
  EXPECT_TRUE(k.undefined_reason.empty());
}

TEST(CohenKappa, UndefinedWhenChanceAgreementIsOneOrTheTableIsEmpty) {
  // Neither coder applied the code to any of 7 units: pA = pB = 0, Pe = 0·0 + 1·1 = 1, and
  // kappa = (1 - 1) / (1 - 1) is 0/0.
  BinaryTable none;
  none.neither = 7;
  const Kappa k = cohen_kappa(none);
  EXPECT_FALSE(k.value);
  EXPECT_NEAR(k.chance, 1.0, kExact);
  EXPECT_NE(k.undefined_reason.find("neither coder"), std::string::npos) << k.undefined_reason;
  // One coder always, the other never: Pe = 1·0 + 0·1 = 0, Po = 0, kappa = 0 (defined).
  BinaryTable opposite;
  opposite.only_a = 4;
  const Kappa o = cohen_kappa(opposite);
  ASSERT_TRUE(o.value);
  EXPECT_NEAR(*o.value, 0.0, kExact);
  const Kappa empty = cohen_kappa(BinaryTable{});
  EXPECT_FALSE(empty.value);
  EXPECT_FALSE(empty.undefined_reason.empty());
}

TEST(NominalAlpha, KrippendorffsPublishedExampleWithMissingValues) {
  // Krippendorff, "Computing Krippendorff's Alpha-Reliability" (2011), 4 coders × 12 units:
  //        1  2  3  4  5  6  7  8  9 10 11 12
  //   A:   1  2  3  3  2  1  4  1  2  .  .  .
  //   B:   1  2  3  3  2  2  4  1  2  5  .  3
  //   C:   .  3  3  3  2  3  4  2  2  5  1  .
  //   D:   1  2  3  3  2  4  4  1  2  5  1  .
  // Values per unit (m_u): 3,4,4,4,4,4,4,4,4,3,2,1. Unit 12 (m = 1) is not pairable, so
  // n = 3 + 8·4 + 3 + 2 = 40.
  // Disagreeing coincidences, each ordered pair of values weighted 1/(m_u - 1):
  //   unit 2 {2,2,2,3}: o(2,3) = o(3,2) = 3·1/3 = 1          → 2
  //   unit 6 {1,2,3,4}: 12 ordered pairs of 1·1/3             → 4
  //   unit 8 {1,1,2,1}: o(1,2) = o(2,1) = 3·1/3 = 1          → 2
  //   Σ_{c≠k} o(c,k) = 8.
  // Marginals: n_1 = 3 (u1) + 1 (u6) + 3 (u8) + 2 (u11) = 9; n_2 = 3 + 4 + 1 + 1 + 4 = 13
  // (u2, u5, u6, u8, u9); n_3 = 1 + 4 + 4 + 1 = 10 (u2, u3, u4, u6); n_4 = 1 + 4 = 5 (u6, u7);
  // n_5 = 3 (u10). Σ n_c² = 81 + 169 + 100 + 25 + 9 = 384, so
  // Σ_{c≠k} n_c·n_k = 40² - 384 = 1216.
  // alpha = 1 - 39·8 / 1216 = 1 - 312/1216 = 113/152 = 0.74342…, the published 0.743.
  // D_o = 8/40 = 0.2; D_e = 1216 / (40·39) = 1216/1560.
  // Some cells: o(1,1) = 3·2/2 (u1) + 3·2/3 (u8) + 2·1/1 (u11) = 7;
  // o(1,2) = 1/3 (u6) + 1 (u8) = 4/3; o(2,3) = 1 (u2) + 1/3 (u6) = 4/3.
  const std::optional<int> _;
  const ReliabilityData data = {
      {1, 1, _, 1}, {2, 2, 3, 2}, {3, 3, 3, 3}, {3, 3, 3, 3}, {2, 2, 2, 2}, {1, 2, 3, 4},
      {4, 4, 4, 4}, {1, 1, 2, 1}, {2, 2, 2, 2}, {_, 5, 5, 5}, {_, _, 1, 1}, {_, 3, _, _},
  };
  const auto alpha = nominal_alpha(data);
  ASSERT_TRUE(alpha.is_ok()) << alpha.status().message();
  ASSERT_TRUE(alpha->value);
  EXPECT_NEAR(*alpha->value, 113.0 / 152.0, kExact);
  EXPECT_NEAR(*alpha->value, 0.743, 0.0005);
  EXPECT_EQ(alpha->pairable_values, 40u);
  EXPECT_NEAR(alpha->observed_disagreement, 0.2, kExact);
  EXPECT_NEAR(alpha->expected_disagreement, 1216.0 / 1560.0, kExact);
  EXPECT_NEAR(cell(*alpha, 1, 1), 7.0, kExact);
  EXPECT_NEAR(cell(*alpha, 1, 2), 4.0 / 3.0, kExact);
  EXPECT_NEAR(cell(*alpha, 2, 1), 4.0 / 3.0, kExact);
  EXPECT_NEAR(cell(*alpha, 2, 3), 4.0 / 3.0, kExact);
  EXPECT_NEAR(cell(*alpha, 5, 5), 3.0, kExact);  // u10: 3·2/2
  EXPECT_NEAR(cell(*alpha, 1, 5), 0.0, kExact);
}

TEST(NominalAlpha, ErrorsAndNoVariation) {
  const std::optional<int> _;
  // One coder only.
  const auto one = nominal_alpha({{1}, {2}, {1}});
  ASSERT_FALSE(one.is_ok());
  EXPECT_EQ(one.status().code(), Code::kInvalidArgument);
  EXPECT_NE(one.status().message().find("second coder"), std::string::npos);
  // Two coders who never coded the same unit: no pairable values.
  const auto apart = nominal_alpha({{1, _}, {_, 2}, {3, _}});
  ASSERT_FALSE(apart.is_ok());
  EXPECT_EQ(apart.status().code(), Code::kInvalidArgument);
  EXPECT_NE(apart.status().message().find("pairable"), std::string::npos);
  // Rows of different lengths.
  const auto ragged = nominal_alpha({{1, 1}, {1, 1, 1}});
  ASSERT_FALSE(ragged.is_ok());
  EXPECT_NE(ragged.status().message().find("unit 1 has 3"), std::string::npos);
  EXPECT_FALSE(nominal_alpha({}).is_ok());
  // Every pairable value 4: D_e = 0, alpha = 0/0, undefined but not an error; unit 3 (one
  // value, a 7) is not pairable and does not count as variation.
  const auto same = nominal_alpha({{4, 4}, {4, 4}, {7, _}});
  ASSERT_TRUE(same.is_ok());
  EXPECT_FALSE(same->value);
  EXPECT_EQ(same->pairable_values, 4u);
  EXPECT_NE(same->undefined_reason.find("no variation"), std::string::npos);
}

TEST(Agreement, TextbookTableOverFiftyUnits) {
  // 50 sentences of ten code points. A codes units 0-24 with one span, B units 0-19 and 25-34:
  // n11 = 20 (0-19), n10 = 5 (20-24), n01 = 10 (25-34), n00 = 15 (35-49): the table of
  // CohenKappa.TextbookTable, kappa = 0.4.
  // Alpha: n = 100 values. Each agreeing unit adds 2·1/(2-1) = 2 to o(v,v), each disagreeing
  // one adds 1 to o(0,1) and to o(1,0): o(1,1) = 40, o(0,0) = 30, o(0,1) = o(1,0) = 15;
  // n_1 = 55, n_0 = 45. alpha = 1 - 99·30 / (2·55·45) = 1 - 2970/4950 = 1 - 0.6 = 0.4.
  // Characters: A 250 points, B 200 + 100 = 300, both [0,200) = 200, either [0,350) = 350:
  // Jaccard 200/350 = 4/7.
  const auto report =
      agreement(tens("t1", 50),
                {coding("A", "t1", "baton blows", 0, 250), coding("B", "t1", "baton blows", 0, 200),
                 coding("B", "t1", "baton blows", 250, 350)},
                {{"t1", {"A", "B"}}});
  ASSERT_TRUE(report.is_ok()) << report.status().message();
  EXPECT_EQ(report->coders, (std::vector<std::string>{"A", "B"}));
  EXPECT_EQ(report->units, 50u);
  EXPECT_EQ(report->pairable_units, 50u);
  ASSERT_EQ(report->codes.size(), 1u);
  const CodeAgreement& c = report->codes[0];
  ASSERT_EQ(c.pairs.size(), 1u);
  const Kappa& k = c.pairs[0].kappa;
  EXPECT_EQ(k.table.both, 20u);
  EXPECT_EQ(k.table.only_a, 5u);
  EXPECT_EQ(k.table.only_b, 10u);
  EXPECT_EQ(k.table.neither, 15u);
  ASSERT_TRUE(k.value);
  EXPECT_NEAR(*k.value, 0.4, kExact);
  ASSERT_TRUE(c.mean_kappa);
  EXPECT_NEAR(*c.mean_kappa, 0.4, kExact);
  EXPECT_EQ(c.pairs_in_mean, 1u);
  ASSERT_TRUE(c.alpha.value);
  EXPECT_NEAR(*c.alpha.value, 0.4, kExact);
  EXPECT_EQ(c.alpha.pairable_values, 100u);
  EXPECT_NEAR(cell(c.alpha, 1, 1), 40.0, kExact);
  EXPECT_NEAR(cell(c.alpha, 0, 0), 30.0, kExact);
  EXPECT_NEAR(cell(c.alpha, 0, 1), 15.0, kExact);
  EXPECT_NEAR(c.alpha.observed_disagreement, 0.3, kExact);
  EXPECT_NEAR(c.alpha.expected_disagreement, 0.5, kExact);
  EXPECT_EQ(c.disagreements.size(), 15u);
  const CharacterOverlap& o = c.pairs[0].overlap;
  EXPECT_EQ(o.intersection, 200u);
  EXPECT_EQ(o.union_size, 350u);
  ASSERT_TRUE(o.jaccard);
  EXPECT_NEAR(*o.jaccard, 4.0 / 7.0, kExact);
  // One code: the overall alpha is the code's.
  ASSERT_TRUE(report->overall_alpha.value);
  EXPECT_NEAR(*report->overall_alpha.value, 0.4, kExact);
}

TEST(Agreement, LooseSpansOverTenUnits) {
  // Ten units of ten points. A: [0,38) covers units 0-2 and 8 of unit 3's 10 points
  // (2·8 ≥ 10): units {0,1,2,3}. B: [2,27) holds 8, 10 and 7 points of units 0-2 (each
  // 2·overlap ≥ 10), and the phrase [43,46) lies inside unit 4 (2·3 ≥ 3): units {0,1,2,4}.
  // n11 = 3, n10 = 1 (unit 3), n01 = 1 (unit 4), n00 = 5. Po = 8/10 = 0.8;
  // pA = pB = 4/10, Pe = 0.4·0.4 + 0.6·0.6 = 0.52; kappa = 0.28/0.48 = 7/12 = 0.58333…
  // Alpha: n = 20; o(1,1) = 6, o(0,0) = 10, o(0,1) = o(1,0) = 2; n_1 = 8, n_0 = 12;
  // alpha = 1 - 19·4 / (2·8·12) = 1 - 76/192 = 29/48 = 0.60416…
  // Characters: A 38, B 25 + 3 = 28, both [2,27) = 25, either 38 + 28 - 25 = 41: 25/41.
  const auto report =
      agreement(tens("t1", 10),
                {coding("A", "t1", "threats", 0, 38), coding("B", "t1", "threats", 2, 27),
                 coding("B", "t1", "threats", 43, 46)},
                {{"t1", {"A", "B"}}});
  ASSERT_TRUE(report.is_ok()) << report.status().message();
  const CodeAgreement& c = find_code(*report, "threats");
  const CoderPair& p = find_pair(c, "A", "B");
  EXPECT_EQ(p.kappa.table.both, 3u);
  EXPECT_EQ(p.kappa.table.only_a, 1u);
  EXPECT_EQ(p.kappa.table.only_b, 1u);
  EXPECT_EQ(p.kappa.table.neither, 5u);
  EXPECT_NEAR(p.kappa.observed, 0.8, kExact);
  EXPECT_NEAR(p.kappa.chance, 0.52, kExact);
  ASSERT_TRUE(p.kappa.value);
  EXPECT_NEAR(*p.kappa.value, 7.0 / 12.0, kExact);
  ASSERT_TRUE(c.alpha.value);
  EXPECT_NEAR(*c.alpha.value, 29.0 / 48.0, kExact);
  ASSERT_TRUE(p.overlap.jaccard);
  EXPECT_NEAR(*p.overlap.jaccard, 25.0 / 41.0, kExact);
  ASSERT_EQ(c.disagreements.size(), 2u);
  EXPECT_EQ(c.disagreements[0].unit_index, 3u);
  EXPECT_EQ(c.disagreements[1].unit_index, 4u);
}

TEST(Agreement, PerfectAgreementOfThreeCoders) {
  // A, B and C all apply the code to units 1 and 4 of 6. Each pair: n11 = 2, n00 = 4, Po = 1,
  // Pe = (2/6)² + (4/6)² = 5/9, kappa = (1 - 5/9) / (1 - 5/9) = 1. Alpha: no disagreeing
  // coincidences, D_o = 0, alpha = 1. Jaccard 20/20 = 1.
  std::vector<Coding> codings;
  for (const char* coder : {"A", "B", "C"}) {
    codings.push_back(coding(coder, "t1", "forced nudity", 10, 20));
    codings.push_back(coding(coder, "t1", "forced nudity", 40, 50));
  }
  const auto report = agreement(tens("t1", 6), codings, {{"t1", {"A", "B", "C"}}});
  ASSERT_TRUE(report.is_ok()) << report.status().message();
  const CodeAgreement& c = find_code(*report, "forced nudity");
  ASSERT_EQ(c.pairs.size(), 3u);
  for (const CoderPair& p : c.pairs) {
    ASSERT_TRUE(p.kappa.value) << p.coder_a << "-" << p.coder_b;
    EXPECT_NEAR(*p.kappa.value, 1.0, kExact);
    EXPECT_NEAR(p.kappa.chance, 5.0 / 9.0, kExact);
    ASSERT_TRUE(p.overlap.jaccard);
    EXPECT_NEAR(*p.overlap.jaccard, 1.0, kExact);
  }
  ASSERT_TRUE(c.mean_kappa);
  EXPECT_NEAR(*c.mean_kappa, 1.0, kExact);
  EXPECT_EQ(c.pairs_in_mean, 3u);
  ASSERT_TRUE(c.alpha.value);
  EXPECT_NEAR(*c.alpha.value, 1.0, kExact);
  EXPECT_EQ(c.alpha.pairable_values, 18u);
  EXPECT_TRUE(c.disagreements.empty());
}

TEST(Agreement, SystematicDisagreement) {
  // A applies the code to units 0-1, B to units 2-3: n10 = n01 = 2, Po = 0, pA = pB = 0.5,
  // Pe = 0.5, kappa = (0 - 0.5) / 0.5 = -1.
  // Alpha: n = 8, o(0,1) = o(1,0) = 4, n_0 = n_1 = 4: alpha = 1 - 7·8 / (2·4·4) = 1 - 56/32
  // = -0.75. Characters: nothing in common, Jaccard 0/40.
  const auto report = agreement(
      tens("t1", 4), {coding("A", "t1", "threats", 0, 20), coding("B", "t1", "threats", 20, 40)},
      {{"t1", {"A", "B"}}});
  ASSERT_TRUE(report.is_ok()) << report.status().message();
  const CodeAgreement& c = find_code(*report, "threats");
  ASSERT_TRUE(c.pairs[0].kappa.value);
  EXPECT_NEAR(*c.pairs[0].kappa.value, -1.0, kExact);
  ASSERT_TRUE(c.alpha.value);
  EXPECT_NEAR(*c.alpha.value, -0.75, kExact);
  ASSERT_TRUE(c.pairs[0].overlap.jaccard);
  EXPECT_NEAR(*c.pairs[0].overlap.jaccard, 0.0, kExact);
  EXPECT_EQ(c.pairs[0].overlap.union_size, 40u);
  EXPECT_EQ(c.disagreements.size(), 4u);
}

TEST(Agreement, CodeEverywhereLeavesKappaAndAlphaUndefined) {
  // "baton blows": both coders apply it to all 3 units. pA = pB = 1, Pe = 1·1 + 0·0 = 1:
  // kappa undefined; every value is 1, D_e = 0: alpha undefined.
  // "forced nudity": A unit 0, B units 0-1: n11 = 1, n01 = 1, n00 = 1. Po = 2/3; pA = 1/3,
  // pB = 2/3; Pe = 1/3·2/3 + 2/3·1/3 = 4/9; kappa = (2/3 - 4/9) / (5/9) = 2/5.
  // Its alpha: n = 6, n_1 = 3, n_0 = 3, o(0,1) = o(1,0) = 1: 1 - 5·2 / (2·3·3) = 4/9.
  // Overall alpha stacks both codes' 6 units: n = 12, n_1 = 6 + 3 = 9, n_0 = 3, the same one
  // disagreeing unit: 1 - 11·2 / (2·9·3) = 1 - 22/54 = 16/27.
  const auto report = agreement(
      tens("t1", 3),
      {coding("A", "t1", "baton blows", 0, 30), coding("B", "t1", "baton blows", 0, 30),
       coding("A", "t1", "forced nudity", 0, 10), coding("B", "t1", "forced nudity", 0, 20)},
      {{"t1", {"A", "B"}}});
  ASSERT_TRUE(report.is_ok()) << report.status().message();
  const CodeAgreement& baton = find_code(*report, "baton blows");
  const Kappa& k = baton.pairs[0].kappa;
  EXPECT_FALSE(k.value);
  EXPECT_NEAR(k.chance, 1.0, kExact);
  EXPECT_NEAR(k.observed, 1.0, kExact);
  EXPECT_NE(k.undefined_reason.find("every one of the 3 units"), std::string::npos)
      << k.undefined_reason;
  EXPECT_FALSE(baton.mean_kappa);
  EXPECT_EQ(baton.pairs_in_mean, 0u);
  EXPECT_FALSE(baton.alpha.value);
  EXPECT_NE(baton.alpha.undefined_reason.find("is 'applied'"), std::string::npos)
      << baton.alpha.undefined_reason;
  EXPECT_TRUE(baton.disagreements.empty());

  const CodeAgreement& nudity = find_code(*report, "forced nudity");
  ASSERT_TRUE(nudity.pairs[0].kappa.value);
  EXPECT_NEAR(*nudity.pairs[0].kappa.value, 0.4, kExact);
  ASSERT_TRUE(nudity.alpha.value);
  EXPECT_NEAR(*nudity.alpha.value, 4.0 / 9.0, kExact);
  ASSERT_TRUE(report->overall_alpha.value);
  EXPECT_NEAR(*report->overall_alpha.value, 16.0 / 27.0, kExact);
  EXPECT_EQ(report->overall_alpha.pairable_values, 12u);
}

TEST(Agreement, CoderWhoDidNotWorkOnATextIsMissingNotAbsent) {
  // t1 (units 0-1) was coded by A, B and C; t2 (units 0-1) by A and B only. Values:
  //   t1 u0: A1 B1 C1     t1 u1: A0 B1 C0     t2 u0: A1 B1 (C none)     t2 u1: A0 B0
  // Alpha: n = 3 + 3 + 2 + 2 = 10. t1 u1 (m = 3, {0,0,1}): o(0,1) = o(1,0) = 2·1/2 = 1, the
  // only disagreement. n_1 = 3 + 1 + 2 = 6, n_0 = 4. alpha = 1 - 9·2 / (2·6·4) = 1 - 18/48
  // = 0.625. (Had C's silence on t2 counted as "absent", t2 u0 would be {1,1,0} and alpha
  // 1 - 11·4 / (2·6·6) = 0.3889.)
  // Kappa A-B over 4 units: n11 = 2, n01 = 1, n00 = 1; Po = 3/4, pA = 1/2, pB = 3/4,
  // Pe = 1/2·3/4 + 1/2·1/4 = 1/2, kappa = (3/4 - 1/2) / (1/2) = 0.5.
  // Kappa A-C over t1 only: n11 = 1, n00 = 1: Po = 1, Pe = 1/2, kappa = 1.
  // Kappa B-C over t1 only: n11 = 1, n10 = 1: Po = 1/2, pB = 1, pC = 1/2, Pe = 1/2, kappa = 0.
  // Mean kappa (0.5 + 1 + 0) / 3 = 0.5.
  std::vector<Unit> units = tens("t1", 2);
  for (const Unit& u : tens("t2", 2)) units.push_back(u);
  const auto report =
      agreement(units,
                {coding("A", "t1", "beating", 0, 10), coding("A", "t2", "beating", 0, 10),
                 coding("B", "t1", "beating", 0, 20), coding("B", "t2", "beating", 0, 10),
                 coding("C", "t1", "beating", 0, 10)},
                {{"t1", {"A", "B", "C"}}, {"t2", {"A", "B"}}});
  ASSERT_TRUE(report.is_ok()) << report.status().message();
  EXPECT_EQ(report->pairable_units, 4u);
  const CodeAgreement& c = find_code(*report, "beating");
  ASSERT_TRUE(c.alpha.value);
  EXPECT_NEAR(*c.alpha.value, 0.625, kExact);
  EXPECT_EQ(c.alpha.pairable_values, 10u);
  const CoderPair& ab = find_pair(c, "A", "B");
  EXPECT_EQ(ab.kappa.table.units(), 4u);
  ASSERT_TRUE(ab.kappa.value);
  EXPECT_NEAR(*ab.kappa.value, 0.5, kExact);
  const CoderPair& ac = find_pair(c, "A", "C");
  EXPECT_EQ(ac.kappa.table.units(), 2u);
  ASSERT_TRUE(ac.kappa.value);
  EXPECT_NEAR(*ac.kappa.value, 1.0, kExact);
  const CoderPair& bc = find_pair(c, "B", "C");
  EXPECT_EQ(bc.kappa.table.both, 1u);
  EXPECT_EQ(bc.kappa.table.only_a, 1u);
  ASSERT_TRUE(bc.kappa.value);
  EXPECT_NEAR(*bc.kappa.value, 0.0, kExact);
  ASSERT_TRUE(c.mean_kappa);
  EXPECT_NEAR(*c.mean_kappa, 0.5, kExact);
  // t2 u0 is not a disagreement: C said nothing about t2.
  ASSERT_EQ(c.disagreements.size(), 1u);
  EXPECT_EQ(c.disagreements[0].text_id, "t1");
  EXPECT_EQ(c.disagreements[0].unit_index, 1u);
  EXPECT_EQ(c.disagreements[0].applied, (std::vector<std::string>{"B"}));
  EXPECT_EQ(c.disagreements[0].not_applied, (std::vector<std::string>{"A", "C"}));
}

TEST(Agreement, PairWithNoSharedTextHasNoKappa) {
  // B worked on t1 with A, C on t2 with A: B and C share nothing.
  std::vector<Unit> units = tens("t1", 2);
  for (const Unit& u : tens("t2", 2)) units.push_back(u);
  const auto report =
      agreement(units,
                {coding("A", "t1", "threats", 0, 10), coding("B", "t1", "threats", 0, 10),
                 coding("A", "t2", "threats", 0, 10), coding("C", "t2", "threats", 10, 20)},
                {{"t1", {"A", "B"}}, {"t2", {"A", "C"}}});
  ASSERT_TRUE(report.is_ok()) << report.status().message();
  const CodeAgreement& c = find_code(*report, "threats");
  const CoderPair& bc = find_pair(c, "B", "C");
  EXPECT_FALSE(bc.kappa.value);
  EXPECT_EQ(bc.kappa.table.units(), 0u);
  EXPECT_NE(bc.kappa.undefined_reason.find("both coders worked on"), std::string::npos);
  EXPECT_FALSE(bc.overlap.jaccard);
  // A-B: n11 = 1, n00 = 1, kappa 1. A-C: n10 = 1, n01 = 1, Po = 0, Pe = 1/2, kappa -1.
  // The mean is over the two defined pairs: (1 + -1) / 2 = 0.
  ASSERT_TRUE(c.mean_kappa);
  EXPECT_NEAR(*c.mean_kappa, 0.0, kExact);
  EXPECT_EQ(c.pairs_in_mean, 2u);
}

TEST(Agreement, CharacterOverlapOverEveryTextBothWorkedOn) {
  // t1: A [0,10), [3,8) (inside the first: counted once) and [20,30) = 20 points; B [5,25) =
  // 20 points; both [5,10) + [20,25) = 10; either [0,30) = 30.
  // t2 (no units): A [0,4), B [2,6): both 2, either 6.
  // t3: only A worked on it, so its [0,100) is not compared with B.
  // Jaccard (10 + 2) / (30 + 6) = 12/36 = 1/3.
  const auto report =
      agreement(tens("t1", 3),
                {coding("A", "t1", "threats", 0, 10), coding("A", "t1", "threats", 3, 8),
                 coding("A", "t1", "threats", 20, 30), coding("B", "t1", "threats", 5, 25),
                 coding("A", "t2", "threats", 0, 4), coding("B", "t2", "threats", 2, 6),
                 coding("A", "t3", "threats", 0, 100)},
                {{"t1", {"A", "B"}}, {"t2", {"A", "B"}}, {"t3", {"A"}}});
  ASSERT_TRUE(report.is_ok()) << report.status().message();
  const CharacterOverlap& o = find_pair(find_code(*report, "threats"), "A", "B").overlap;
  EXPECT_EQ(o.intersection, 12u);
  EXPECT_EQ(o.union_size, 36u);
  ASSERT_TRUE(o.jaccard);
  EXPECT_NEAR(*o.jaccard, 1.0 / 3.0, kExact);
}

TEST(Agreement, DisagreementsSideBySideInTextAndUnitOrder) {
  // Units given out of order; t1 has units 0-2, t2 units 0-1, all coded by A, B and C.
  //   code "threats": t2 u1 A B (not C); t1 u2 C (not A, B); t1 u0 all three (agreement).
  const std::vector<Unit> t1 = tens("t1", 3);
  const std::vector<Unit> t2 = tens("t2", 2);
  const std::vector<Unit> units = {t2[1], t1[2], t1[0], t2[0], t1[1]};
  const auto report =
      agreement(units,
                {coding("B", "t2", "threats", 10, 20), coding("A", "t2", "threats", 10, 20),
                 coding("C", "t1", "threats", 20, 30), coding("A", "t1", "threats", 0, 10),
                 coding("B", "t1", "threats", 0, 10), coding("C", "t1", "threats", 0, 10)},
                {{"t1", {"C", "A", "B"}}, {"t2", {"B", "C", "A"}}});
  ASSERT_TRUE(report.is_ok()) << report.status().message();
  const auto& d = find_code(*report, "threats").disagreements;
  ASSERT_EQ(d.size(), 2u);
  EXPECT_EQ(d[0].text_id, "t1");
  EXPECT_EQ(d[0].unit_index, 2u);
  EXPECT_EQ(d[0].begin, 20u);
  EXPECT_EQ(d[0].end, 30u);
  EXPECT_EQ(d[0].applied, (std::vector<std::string>{"C"}));
  EXPECT_EQ(d[0].not_applied, (std::vector<std::string>{"A", "B"}));
  EXPECT_EQ(d[1].text_id, "t2");
  EXPECT_EQ(d[1].unit_index, 1u);
  EXPECT_EQ(d[1].begin, 10u);
  EXPECT_EQ(d[1].end, 20u);
  EXPECT_EQ(d[1].applied, (std::vector<std::string>{"A", "B"}));
  EXPECT_EQ(d[1].not_applied, (std::vector<std::string>{"C"}));
}

void expect_invalid(const Result<AgreementReport>& r, const std::string& fragment) {
  ASSERT_FALSE(r.is_ok());
  EXPECT_EQ(r.status().code(), Code::kInvalidArgument);
  EXPECT_NE(r.status().message().find(fragment), std::string::npos) << r.status().message();
}

TEST(Agreement, InputThatCannotBeMeasuredIsAnError) {
  const auto units = tens("t1", 2);
  const auto a = coding("A", "t1", "threats", 0, 10);
  // One coder only.
  expect_invalid(agreement(units, {a}, {{"t1", {"A"}}}), "only 'A' worked on these texts");
  // A coder who is not listed for the text.
  expect_invalid(agreement(units, {a, coding("C", "t1", "threats", 0, 10)}, {{"t1", {"A", "B"}}}),
                 "'C' has codings on text 't1'");
  // A coding on a text nobody listed.
  expect_invalid(agreement(units, {coding("A", "t9", "threats", 0, 10)}, {{"t1", {"A", "B"}}}),
                 "'A' coded text 't9'");
  // A reversed span.
  expect_invalid(agreement(units, {coding("A", "t1", "threats", 10, 5)}, {{"t1", {"A", "B"}}}),
                 "empty or reversed span");
  // An empty unit, and a unit number given twice.
  auto bad = units;
  bad[1].end = bad[1].begin;
  expect_invalid(agreement(bad, {a}, {{"t1", {"A", "B"}}}), "unit 1 of text 't1' is empty");
  auto twice = units;
  twice[1].index = 0;
  expect_invalid(agreement(twice, {a}, {{"t1", {"A", "B"}}}), "has unit 0 twice");
  // Units of a text without a coder list.
  expect_invalid(agreement(units, {}, {{"t2", {"A", "B"}}}), "lies in text 't1'");
  // Two coders, but never on the same text.
  std::vector<Unit> both = units;
  for (const Unit& u : tens("t2", 2)) both.push_back(u);
  expect_invalid(agreement(both, {a}, {{"t1", {"A"}}, {"t2", {"B"}}}),
                 "no unit lies in a text that two or more coders worked on");
}

TEST(Agreement, NoCodingsAtAllIsAnEmptyReport) {
  const auto report = agreement(tens("t1", 2), {}, {{"t1", {"A", "B"}}});
  ASSERT_TRUE(report.is_ok()) << report.status().message();
  EXPECT_TRUE(report->codes.empty());
  EXPECT_FALSE(report->overall_alpha.value);
  EXPECT_EQ(report->overall_alpha.undefined_reason, "no coder applied any code");
}

TEST(SplitSentences, BelarusianRussianEnglishInCodePoints) {
  // "Мяне збілі ў пастарунку." = Мяне 4 + 1 + збілі 5 + 1 + ў 1 + 1 + пастарунку. 11 = 24
  // points: [0,24). A space at 24. "Ещё раз?" = 3 + 1 + 4 = 8: [25,33). "\n" at 33.
  // "Yes, twice 😀." = 4 + 1 + 5 + 1 + 1 (the emoji: one point, two UTF-16 units, four bytes)
  // + 1 = 13: [34,47). The two line breaks after it are white space, not a unit.
  // In bytes the first sentence alone is 45 long (Cyrillic letters take two bytes).
  const std::string text = "Мяне збілі ў пастарунку. Ещё раз?\nYes, twice \xF0\x9F\x98\x80.\n\n";
  const auto units = split_sentences("t7", text);
  ASSERT_TRUE(units.is_ok()) << units.status().message();
  ASSERT_EQ(units->size(), 3u);
  const std::size_t expected[3][2] = {{0, 24}, {25, 33}, {34, 47}};
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ((*units)[i].text_id, "t7");
    EXPECT_EQ((*units)[i].index, i);
    EXPECT_EQ((*units)[i].begin, expected[i][0]) << i;
    EXPECT_EQ((*units)[i].end, expected[i][1]) << i;
  }
  EXPECT_EQ(points(text, 0, 24), "Мяне збілі ў пастарунку.");
  EXPECT_EQ(points(text, 25, 33), "Ещё раз?");
  EXPECT_EQ(points(text, 34, 47), "Yes, twice \xF0\x9F\x98\x80.");
}

TEST(SplitSentences, WhiteSpaceAroundASentenceIsNotPartOfIt) {
  // "  Першы сказ.  \n\n  Second one. ": two spaces, then "Першы сказ." (5 + 1 + 5 = 11
  // points) at [2,13); two spaces and two line breaks (13-16), two spaces (17-18), then
  // "Second one." (6 + 1 + 4 = 11) at [19,30), and a last space.
  const auto units = split_sentences("t1", "  Першы сказ.  \n\n  Second one. ");
  ASSERT_TRUE(units.is_ok());
  ASSERT_EQ(units->size(), 2u);
  EXPECT_EQ((*units)[0].begin, 2u);
  EXPECT_EQ((*units)[0].end, 13u);
  EXPECT_EQ((*units)[1].index, 1u);
  EXPECT_EQ((*units)[1].begin, 19u);
  EXPECT_EQ((*units)[1].end, 30u);
}

TEST(SplitSentences, UnitsFeedAgreement) {
  // Two sentences: "Ён ударыў мяне ўчора." = Ён 2 + 1 + ударыў 6 + 1 + мяне 4 + 1 + ўчора. 6
  // = 21 points: [0,21); then a space and "Потом ещё раз." = Потом 5 + 1 + ещё 3 + 1 + раз. 4
  // = 14: [22,36). Both coders mark "ударыў" [3,9) (inside sentence 0);
  // only B marks "ещё раз" [28,35) in sentence 1. n11 = 1, n01 = 1: one disagreement, unit 1.
  const auto units = split_sentences("t1", "Ён ударыў мяне ўчора. Потом ещё раз.");
  ASSERT_TRUE(units.is_ok());
  ASSERT_EQ(units->size(), 2u);
  EXPECT_EQ((*units)[0].end, 21u);
  EXPECT_EQ((*units)[1].begin, 22u);
  EXPECT_EQ((*units)[1].end, 36u);
  const auto report =
      agreement(*units,
                {coding("A", "t1", "beating", 3, 9), coding("B", "t1", "beating", 3, 9),
                 coding("B", "t1", "beating", 28, 35)},
                {{"t1", {"A", "B"}}});
  ASSERT_TRUE(report.is_ok()) << report.status().message();
  const auto& d = find_code(*report, "beating").disagreements;
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].unit_index, 1u);
  EXPECT_EQ(d[0].applied, (std::vector<std::string>{"B"}));
}

TEST(SplitSentences, InvalidUtf8IsAnError) {
  const auto units = split_sentences("t1", "Bad \xC3( byte.");
  ASSERT_FALSE(units.is_ok());
  EXPECT_EQ(units.status().code(), Code::kInvalidArgument);
  EXPECT_NE(units.status().message().find("not valid UTF-8"), std::string::npos);
  const auto empty = split_sentences("t1", " \n ");
  ASSERT_TRUE(empty.is_ok());
  EXPECT_TRUE(empty->empty());
}

}  // namespace
}  // namespace evhub::coding
