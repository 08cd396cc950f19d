// The stored form of an inventory (registered images keep theirs in the store).
#ifndef BULWARK_SCAN_INVENTORY_CODEC_H_
#define BULWARK_SCAN_INVENTORY_CODEC_H_

#include <string>
#include <string_view>

#include "catalog/inventory.h"
#include "common/result.h"

namespace bulwark::scan {

// JSON with the same field names as the report's "inventory" object, plus
// "users" and "passwdFound", which the report leaves out.
std::string EncodeInventory(const catalog::Inventory& inventory);
// kCorruptInput when `json` is not an encoded inventory. An inventory stored
// without "users" or "passwdFound" (written by an older version) decodes with
// no users and passwd_found = false.
Result<catalog::Inventory> DecodeInventory(std::string_view json);

}  // namespace bulwark::scan

#endif  // BULWARK_SCAN_INVENTORY_CODEC_H_
