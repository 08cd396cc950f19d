// Lookups over the store that both faces (the CLI and the server) make.
#ifndef BULWARK_SCAN_STORE_QUERIES_H_
#define BULWARK_SCAN_STORE_QUERIES_H_

#include <string>
#include <vector>

#include "common/result.h"
#include "lineage/lineage.h"
#include "policy/policy.h"
#include "store/store.h"

namespace bulwark::scan {

// Registered images whose name equals `name_or_id` (normalised) or whose id
// starts with it ("sha256:3fb4..." or "3fb4..."). kInvalidArgument when none,
// or when the text is neither a reference nor a digest prefix.
Result<std::vector<lineage::RegisteredImage>> FindRegistered(store::Store& store,
                                                             const std::string& name_or_id);

// Loads the policy files `files`, or the store's policies when none were
// given, and refuses (kInvalidArgument) two policies of one name and any
// policy that approves an unregistered image.
Result<std::vector<policy::Policy>> LoadPolicies(store::Store& store,
                                                 const std::vector<std::string>& files);

}  // namespace bulwark::scan

#endif  // BULWARK_SCAN_STORE_QUERIES_H_
