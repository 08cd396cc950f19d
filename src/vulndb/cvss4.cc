#include "vulndb/cvss4.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <span>
#include <string_view>

namespace bulwark::vulndb::internal {
namespace {

// The score of every macro vector, keyed by its six equivalence classes EQ1
// to EQ6 (specification section 8.2, as FIRST's calculator tabulates it),
// sorted by key. EQ3 = 2 occurs only with EQ6 = 1, so there are 270.
struct MacroScore {
  std::string_view classes;
  double score;
};
// Five entries a row, as the table reads.
// clang-format off
constexpr MacroScore kMacroScores[] = {
    {"000000", 10.0}, {"000001", 9.9}, {"000010", 9.8}, {"000011", 9.5}, {"000020", 9.5},
    {"000021", 9.2}, {"000100", 10.0}, {"000101", 9.6}, {"000110", 9.3}, {"000111", 8.7},
    {"000120", 9.1}, {"000121", 8.1}, {"000200", 9.3}, {"000201", 9.0}, {"000210", 8.9},
    {"000211", 8.0}, {"000220", 8.1}, {"000221", 6.8}, {"001000", 9.8}, {"001001", 9.5},
    {"001010", 9.5}, {"001011", 9.2}, {"001020", 9.0}, {"001021", 8.4}, {"001100", 9.3},
    {"001101", 9.2}, {"001110", 8.9}, {"001111", 8.1}, {"001120", 8.1}, {"001121", 6.5},
    {"001200", 8.8}, {"001201", 8.0}, {"001210", 7.8}, {"001211", 7.0}, {"001220", 6.9},
    {"001221", 4.8}, {"002001", 9.2}, {"002011", 8.2}, {"002021", 7.2}, {"002101", 7.9},
    {"002111", 6.9}, {"002121", 5.0}, {"002201", 6.9}, {"002211", 5.5}, {"002221", 2.7},
    {"010000", 9.9}, {"010001", 9.7}, {"010010", 9.5}, {"010011", 9.2}, {"010020", 9.2},
    {"010021", 8.5}, {"010100", 9.5}, {"010101", 9.1}, {"010110", 9.0}, {"010111", 8.3},
    {"010120", 8.4}, {"010121", 7.1}, {"010200", 9.2}, {"010201", 8.1}, {"010210", 8.2},
    {"010211", 7.1}, {"010220", 7.2}, {"010221", 5.3}, {"011000", 9.5}, {"011001", 9.3},
    {"011010", 9.2}, {"011011", 8.5}, {"011020", 8.5}, {"011021", 7.3}, {"011100", 9.2},
    {"011101", 8.2}, {"011110", 8.0}, {"011111", 7.2}, {"011120", 7.0}, {"011121", 5.9},
    {"011200", 8.4}, {"011201", 7.0}, {"011210", 7.1}, {"011211", 5.2}, {"011220", 5.0},
    {"011221", 3.0}, {"012001", 8.6}, {"012011", 7.5}, {"012021", 5.2}, {"012101", 7.1},
    {"012111", 5.2}, {"012121", 2.9}, {"012201", 6.3}, {"012211", 2.9}, {"012221", 1.7},
    {"100000", 9.8}, {"100001", 9.5}, {"100010", 9.4}, {"100011", 8.7}, {"100020", 9.1},
    {"100021", 8.1}, {"100100", 9.4}, {"100101", 8.9}, {"100110", 8.6}, {"100111", 7.4},
    {"100120", 7.7}, {"100121", 6.4}, {"100200", 8.7}, {"100201", 7.5}, {"100210", 7.4},
    {"100211", 6.3}, {"100220", 6.3}, {"100221", 4.9}, {"101000", 9.4}, {"101001", 8.9},
    {"101010", 8.8}, {"101011", 7.7}, {"101020", 7.6}, {"101021", 6.7}, {"101100", 8.6},
    {"101101", 7.6}, {"101110", 7.4}, {"101111", 5.8}, {"101120", 5.9}, {"101121", 5.0},
    {"101200", 7.2}, {"101201", 5.7}, {"101210", 5.7}, {"101211", 5.2}, {"101220", 5.2},
    {"101221", 2.5}, {"102001", 8.3}, {"102011", 7.0}, {"102021", 5.4}, {"102101", 6.5},
    {"102111", 5.8}, {"102121", 2.6}, {"102201", 5.3}, {"102211", 2.1}, {"102221", 1.3},
    {"110000", 9.5}, {"110001", 9.0}, {"110010", 8.8}, {"110011", 7.6}, {"110020", 7.6},
    {"110021", 7.0}, {"110100", 9.0}, {"110101", 7.7}, {"110110", 7.5}, {"110111", 6.2},
    {"110120", 6.1}, {"110121", 5.3}, {"110200", 7.7}, {"110201", 6.6}, {"110210", 6.8},
    {"110211", 5.9}, {"110220", 5.2}, {"110221", 3.0}, {"111000", 8.9}, {"111001", 7.8},
    {"111010", 7.6}, {"111011", 6.7}, {"111020", 6.2}, {"111021", 5.8}, {"111100", 7.4},
    {"111101", 5.9}, {"111110", 5.7}, {"111111", 5.7}, {"111120", 4.7}, {"111121", 2.3},
    {"111200", 6.1}, {"111201", 5.2}, {"111210", 5.7}, {"111211", 2.9}, {"111220", 2.4},
    {"111221", 1.6}, {"112001", 7.1}, {"112011", 5.9}, {"112021", 3.0}, {"112101", 5.8},
    {"112111", 2.6}, {"112121", 1.5}, {"112201", 2.3}, {"112211", 1.3}, {"112221", 0.6},
    {"200000", 9.3}, {"200001", 8.7}, {"200010", 8.6}, {"200011", 7.2}, {"200020", 7.5},
    {"200021", 5.8}, {"200100", 8.6}, {"200101", 7.4}, {"200110", 7.4}, {"200111", 6.1},
    {"200120", 5.6}, {"200121", 3.4}, {"200200", 7.0}, {"200201", 5.4}, {"200210", 5.2},
    {"200211", 4.0}, {"200220", 4.0}, {"200221", 2.2}, {"201000", 8.5}, {"201001", 7.5},
    {"201010", 7.4}, {"201011", 5.5}, {"201020", 6.2}, {"201021", 5.1}, {"201100", 7.2},
    {"201101", 5.7}, {"201110", 5.5}, {"201111", 4.1}, {"201120", 4.6}, {"201121", 1.9},
    {"201200", 5.3}, {"201201", 3.6}, {"201210", 3.4}, {"201211", 1.9}, {"201220", 1.9},
    {"201221", 0.8}, {"202001", 6.4}, {"202011", 5.1}, {"202021", 2.0}, {"202101", 4.7},
    {"202111", 2.1}, {"202121", 1.1}, {"202201", 2.4}, {"202211", 0.9}, {"202221", 0.4},
    {"210000", 8.8}, {"210001", 7.5}, {"210010", 7.3}, {"210011", 5.3}, {"210020", 6.0},
    {"210021", 5.0}, {"210100", 7.3}, {"210101", 5.5}, {"210110", 5.9}, {"210111", 4.0},
    {"210120", 4.1}, {"210121", 2.0}, {"210200", 5.4}, {"210201", 4.3}, {"210210", 4.5},
    {"210211", 2.2}, {"210220", 2.0}, {"210221", 1.1}, {"211000", 7.5}, {"211001", 5.5},
    {"211010", 5.8}, {"211011", 4.5}, {"211020", 4.0}, {"211021", 2.1}, {"211100", 6.1},
    {"211101", 5.1}, {"211110", 4.8}, {"211111", 1.8}, {"211120", 2.0}, {"211121", 0.9},
    {"211200", 4.6}, {"211201", 1.8}, {"211210", 1.7}, {"211211", 0.7}, {"211220", 0.8},
    {"211221", 0.2}, {"212001", 5.3}, {"212011", 2.4}, {"212021", 1.4}, {"212101", 2.4},
    {"212111", 1.2}, {"212121", 0.5}, {"212201", 1.0}, {"212211", 0.3}, {"212221", 0.1},
};
// clang-format on
static_assert(std::size(kMacroScores) == 270);

// The score of a macro vector, or NaN when no such macro vector exists (the
// "next lower" one of a class already at its lowest).
double MacroVectorScore(const std::array<int, 6>& classes) {
  char digits[6];
  for (size_t i = 0; i < classes.size(); ++i) digits[i] = static_cast<char>('0' + classes[i]);
  const std::string_view key(digits, sizeof digits);
  auto found = std::lower_bound(
      std::begin(kMacroScores), std::end(kMacroScores), key,
      [](const MacroScore& entry, std::string_view wanted) { return entry.classes < wanted; });
  if (found == std::end(kMacroScores) || found->classes != key) return std::nan("");
  return found->score;
}

// Severity levels in steps of 0.1, 0 the most severe (section 8.3): the
// distance of a vector from the most severe vectors of its macro vector is
// measured in these. The values and the order of the sums below are those of
// FIRST's calculator, so that a score on the edge of a rounding step rounds
// the same way.
double AvLevel(char v) { return v == 'N' ? 0.0 : v == 'A' ? 0.1 : v == 'L' ? 0.2 : 0.3; }
double PrLevel(char v) { return v == 'N' ? 0.0 : v == 'L' ? 0.1 : 0.2; }
double UiLevel(char v) { return v == 'N' ? 0.0 : v == 'P' ? 0.1 : 0.2; }
double AcLevel(char v) { return v == 'L' ? 0.0 : 0.1; }
double AtLevel(char v) { return v == 'N' ? 0.0 : 0.1; }
double VulnerableLevel(char v) { return v == 'H' ? 0.0 : v == 'L' ? 0.1 : 0.2; }
double SubsequentLevel(char v) { return v == 'S' ? 0.0 : v == 'H' ? 0.1 : v == 'L' ? 0.2 : 0.3; }
double RequirementLevel(char v) { return v == 'H' ? 0.0 : v == 'M' ? 0.1 : 0.2; }

// The most severe vectors of each class (FIRST's calculator, "max composed").
struct Eq1Max {
  char av, pr, ui;
};
struct Eq2Max {
  char ac, at;
};
struct Eq3Eq6Max {
  char vc, vi, va, cr, ir, ar;
};
struct Eq4Max {
  char sc, si, sa;
};

constexpr Eq1Max kEq1Max0[] = {{'N', 'N', 'N'}};
constexpr Eq1Max kEq1Max1[] = {{'A', 'N', 'N'}, {'N', 'L', 'N'}, {'N', 'N', 'P'}};
constexpr Eq1Max kEq1Max2[] = {{'P', 'N', 'N'}, {'A', 'L', 'P'}};
constexpr Eq2Max kEq2Max0[] = {{'L', 'N'}};
constexpr Eq2Max kEq2Max1[] = {{'H', 'N'}, {'L', 'P'}};
constexpr Eq3Eq6Max kEq3Eq6Max00[] = {{'H', 'H', 'H', 'H', 'H', 'H'}};
constexpr Eq3Eq6Max kEq3Eq6Max01[] = {{'H', 'H', 'L', 'M', 'M', 'H'},
                                      {'H', 'H', 'H', 'M', 'M', 'M'}};
constexpr Eq3Eq6Max kEq3Eq6Max10[] = {{'L', 'H', 'H', 'H', 'H', 'H'},
                                      {'H', 'L', 'H', 'H', 'H', 'H'}};
constexpr Eq3Eq6Max kEq3Eq6Max11[] = {{'L', 'H', 'L', 'H', 'M', 'H'},
                                      {'L', 'H', 'H', 'H', 'M', 'M'},
                                      {'H', 'L', 'H', 'M', 'H', 'M'},
                                      {'H', 'L', 'L', 'M', 'H', 'H'},
                                      {'L', 'L', 'H', 'H', 'H', 'M'}};
constexpr Eq3Eq6Max kEq3Eq6Max21[] = {{'L', 'L', 'L', 'H', 'H', 'H'}};
constexpr Eq4Max kEq4Max0[] = {{'H', 'S', 'S'}};
constexpr Eq4Max kEq4Max1[] = {{'H', 'H', 'H'}};
constexpr Eq4Max kEq4Max2[] = {{'L', 'L', 'L'}};

std::span<const Eq1Max> Eq1Maxes(int eq1) {
  return eq1 == 0   ? std::span<const Eq1Max>(kEq1Max0)
         : eq1 == 1 ? std::span<const Eq1Max>(kEq1Max1)
                    : std::span<const Eq1Max>(kEq1Max2);
}
std::span<const Eq2Max> Eq2Maxes(int eq2) {
  return eq2 == 0 ? std::span<const Eq2Max>(kEq2Max0) : std::span<const Eq2Max>(kEq2Max1);
}
std::span<const Eq3Eq6Max> Eq3Eq6Maxes(int eq3, int eq6) {
  using Maxes = std::span<const Eq3Eq6Max>;
  if (eq3 == 0) return eq6 == 0 ? Maxes(kEq3Eq6Max00) : Maxes(kEq3Eq6Max01);
  if (eq3 == 1) return eq6 == 0 ? Maxes(kEq3Eq6Max10) : Maxes(kEq3Eq6Max11);
  return kEq3Eq6Max21;
}
std::span<const Eq4Max> Eq4Maxes(int eq4) {
  return eq4 == 0   ? std::span<const Eq4Max>(kEq4Max0)
         : eq4 == 1 ? std::span<const Eq4Max>(kEq4Max1)
                    : std::span<const Eq4Max>(kEq4Max2);
}

// The depth of each class, in steps of 0.1 ("max severity").
int Eq1Depth(int eq1) { return eq1 == 0 ? 1 : eq1 == 1 ? 4 : 5; }
int Eq2Depth(int eq2) { return eq2 == 0 ? 1 : 2; }
int Eq3Eq6Depth(int eq3, int eq6) {
  if (eq3 == 0) return eq6 == 0 ? 7 : 6;
  return eq3 == 1 ? 8 : 10;
}
int Eq4Depth(int eq4) { return eq4 == 0 ? 6 : eq4 == 1 ? 5 : 4; }

// The distances of one vector from one most severe vector of its macro vector.
struct Distances {
  double av, pr, ui, ac, at, vc, vi, va, sc, si, sa, cr, ir, ar;

  bool AllAtLeastZero() const {
    for (double d : {av, pr, ui, ac, at, vc, vi, va, sc, si, sa, cr, ir, ar}) {
      if (d < 0) return false;
    }
    return true;
  }
};

// A base score leaves the threat and environmental metrics out, which is
// scoring them as not defined: exploit maturity as attacked, the security
// requirements (CR, IR, AR) as high, and no modified metric.
constexpr char kRequirement = 'H';

// The distances of `m` from the first most severe vector of its macro vector
// that is at least as severe in every metric; from the last one tried when
// none is, as FIRST's calculator does.
Distances DistancesFromMostSevere(const Cvss4Base& m, int eq1, int eq2, int eq3, int eq4, int eq6) {
  const double requirement = RequirementLevel(kRequirement);
  Distances d{};
  for (const Eq1Max& e1 : Eq1Maxes(eq1)) {
    for (const Eq2Max& e2 : Eq2Maxes(eq2)) {
      for (const Eq3Eq6Max& e3 : Eq3Eq6Maxes(eq3, eq6)) {
        for (const Eq4Max& e4 : Eq4Maxes(eq4)) {
          d = Distances{AvLevel(m.av) - AvLevel(e1.av),
                        PrLevel(m.pr) - PrLevel(e1.pr),
                        UiLevel(m.ui) - UiLevel(e1.ui),
                        AcLevel(m.ac) - AcLevel(e2.ac),
                        AtLevel(m.at) - AtLevel(e2.at),
                        VulnerableLevel(m.vc) - VulnerableLevel(e3.vc),
                        VulnerableLevel(m.vi) - VulnerableLevel(e3.vi),
                        VulnerableLevel(m.va) - VulnerableLevel(e3.va),
                        SubsequentLevel(m.sc) - SubsequentLevel(e4.sc),
                        SubsequentLevel(m.si) - SubsequentLevel(e4.si),
                        SubsequentLevel(m.sa) - SubsequentLevel(e4.sa),
                        requirement - RequirementLevel(e3.cr),
                        requirement - RequirementLevel(e3.ir),
                        requirement - RequirementLevel(e3.ar)};
          if (d.AllAtLeastZero()) return d;
        }
      }
    }
  }
  return d;
}

}  // namespace

double Cvss4BaseScore(const Cvss4Base& m) {
  if (m.vc == 'N' && m.vi == 'N' && m.va == 'N' && m.sc == 'N' && m.si == 'N' && m.sa == 'N') {
    return 0.0;
  }

  // The macro vector (section 8.2).
  int eq1 = 2;
  if (m.av == 'N' && m.pr == 'N' && m.ui == 'N') {
    eq1 = 0;
  } else if ((m.av == 'N' || m.pr == 'N' || m.ui == 'N') && m.av != 'P') {
    eq1 = 1;
  }
  int eq2 = m.ac == 'L' && m.at == 'N' ? 0 : 1;
  int eq3 = 2;
  if (m.vc == 'H' && m.vi == 'H') {
    eq3 = 0;
  } else if (m.vc == 'H' || m.vi == 'H' || m.va == 'H') {
    eq3 = 1;
  }
  int eq4 = m.sc == 'H' || m.si == 'H' || m.sa == 'H' ? 1 : 2;  // 0 needs MSI:S or MSA:S.
  int eq5 = 0;                                                  // E not defined: attacked.
  // EQ6 asks for a high requirement beside a high impact; every requirement
  // is high here, so a high impact alone decides.
  int eq6 = m.vc == 'H' || m.vi == 'H' || m.va == 'H' ? 0 : 1;
  const double value = MacroVectorScore({eq1, eq2, eq3, eq4, eq5, eq6});

  // The score of the next lower macro vector in each class (NaN where there
  // is none). EQ3 and EQ6 move together; from 00 both ways down are tried
  // and the higher score taken.
  const double lower_eq1 = MacroVectorScore({eq1 + 1, eq2, eq3, eq4, eq5, eq6});
  const double lower_eq2 = MacroVectorScore({eq1, eq2 + 1, eq3, eq4, eq5, eq6});
  double lower_eq3eq6;
  if (eq3 == 0 && eq6 == 0) {
    double left = MacroVectorScore({eq1, eq2, eq3, eq4, eq5, eq6 + 1});
    double right = MacroVectorScore({eq1, eq2, eq3 + 1, eq4, eq5, eq6});
    lower_eq3eq6 = left > right ? left : right;
  } else if (eq3 == 1 && eq6 == 0) {
    lower_eq3eq6 = MacroVectorScore({eq1, eq2, eq3, eq4, eq5, eq6 + 1});
  } else {
    lower_eq3eq6 = MacroVectorScore({eq1, eq2, eq3 + 1, eq4, eq5, eq6});  // None from 21.
  }
  const double lower_eq4 = MacroVectorScore({eq1, eq2, eq3, eq4 + 1, eq5, eq6});
  const double lower_eq5 = MacroVectorScore({eq1, eq2, eq3, eq4, eq5 + 1, eq6});

  const Distances d = DistancesFromMostSevere(m, eq1, eq2, eq3, eq4, eq6);
  const double distance_eq1 = d.av + d.pr + d.ui;
  const double distance_eq2 = d.ac + d.at;
  const double distance_eq3eq6 = d.vc + d.vi + d.va + d.cr + d.ir + d.ar;
  const double distance_eq4 = d.sc + d.si + d.sa;

  // Each class with a lower macro vector shifts the score down by the score
  // gap to it, times how far into the class's depth the vector lies; the
  // score drops by the mean of those shifts. EQ5 counts in the mean with no
  // shift, since a base score has no exploit maturity to measure.
  constexpr double kStep = 0.1;
  int lower_count = 0;
  auto shift = [&](double lower, double distance, int depth) {
    double available = value - lower;
    if (std::isnan(available)) return 0.0;
    ++lower_count;
    return available * (distance / (depth * kStep));
  };
  const double shift_eq1 = shift(lower_eq1, distance_eq1, Eq1Depth(eq1));
  const double shift_eq2 = shift(lower_eq2, distance_eq2, Eq2Depth(eq2));
  const double shift_eq3eq6 = shift(lower_eq3eq6, distance_eq3eq6, Eq3Eq6Depth(eq3, eq6));
  const double shift_eq4 = shift(lower_eq4, distance_eq4, Eq4Depth(eq4));
  const double shift_eq5 = shift(lower_eq5, 0.0, 1);
  const double shifts = shift_eq1 + shift_eq2 + shift_eq3eq6 + shift_eq4 + shift_eq5;
  const double mean = lower_count == 0 ? 0.0 : shifts / lower_count;

  const double score = std::clamp(value - mean, 0.0, 10.0);
  return std::floor(score * 10.0 + 0.5) / 10.0;
}

}  // namespace bulwark::vulndb::internal
