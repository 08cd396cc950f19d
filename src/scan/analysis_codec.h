// The wire form of an Analysis: what a CI client sends to the server so that
// the server can evaluate its policies without the image (issue #5).
#ifndef BULWARK_SCAN_ANALYSIS_CODEC_H_
#define BULWARK_SCAN_ANALYSIS_CODEC_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "common/result.h"
#include "scan/scanner.h"

namespace bulwark::scan {

// Limits on a decoded analysis. An encoded analysis of a large image (a few
// thousand packages) is a few megabytes; the limits leave a wide margin.
inline constexpr size_t kMaxAnalysisBytes = 64u << 20;
inline constexpr size_t kMaxAnalysisPackages = 200000;
inline constexpr size_t kMaxAnalysisNames = 256;
inline constexpr int kMaxAnalysisNesting = 16;

// JSON: schemaVersion, source, imageId, manifestDigest (or null), names,
// config (the config document as read, a string), layers (one summary per
// layer), inventory (as EncodeInventory writes it) and readPasses.
std::string EncodeAnalysis(const Analysis& analysis);

// Decodes an analysis sent by a client. The config document must hash to
// imageId and is parsed as the image readers parse it; the layers must match
// its diff_ids one for one. Everything else is taken as sent: the layer bytes
// were hashed by the client (see docs/server.md).
// LIMITATION(#5): the server cannot check the layer bytes or the inventory of
// an uploaded analysis; a client with a scanner token can describe an image
// that does not exist. Each scan records who submitted it. Errors: kLimitExceeded over
// a limit above, kInvalidArgument for anything malformed or inconsistent,
// naming the field. Thread-safe; never throws.
Result<Analysis> DecodeAnalysis(std::string_view json);

}  // namespace bulwark::scan

#endif  // BULWARK_SCAN_ANALYSIS_CODEC_H_
