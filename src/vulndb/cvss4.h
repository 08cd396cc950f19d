// CVSS v4.0 base scores, for cvss.cc: the macro vector table and the
// interpolation between macro vectors of the specification, section 8
// (https://www.first.org/cvss/v4.0/specification-document).
#ifndef BULWARK_VULNDB_CVSS4_H_
#define BULWARK_VULNDB_CVSS4_H_

namespace bulwark::vulndb::internal {

// The eleven base metrics of a checked vector, each as its one-letter value.
struct Cvss4Base {
  char av, ac, at, pr, ui, vc, vi, va, sc, si, sa;
};

// The CVSS-B score: 0.0 to 10.0 with one decimal. The threat and
// environmental metrics are scored as not defined, as a base score does.
double Cvss4BaseScore(const Cvss4Base& metrics);

}  // namespace bulwark::vulndb::internal

#endif  // BULWARK_VULNDB_CVSS4_H_
