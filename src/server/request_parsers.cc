#include "server/request_parsers.h"

#include <map>
#include <nlohmann/json.hpp>

namespace bulwark::server {
namespace {

using nlohmann::json;

// A flat JSON object of string fields, every key in `allowed`. Nesting is
// refused as it starts, so no deep value is ever built.
Result<std::map<std::string, std::string>> ParseFlatObject(
    std::string_view body, std::initializer_list<std::string_view> allowed) {
  if (body.size() > kMaxAccountBodyBytes) {
    return Error(ErrorCode::kLimitExceeded,
                 "request body: over " + std::to_string(kMaxAccountBodyBytes) + " bytes");
  }
  bool nested = false;
  auto callback = [&](int depth, json::parse_event_t event, json&) {
    bool opens =
        event == json::parse_event_t::object_start || event == json::parse_event_t::array_start;
    if (opens && depth > 0) nested = true;
    return !nested;
  };
  json document = json::parse(body, callback, /*allow_exceptions=*/false);
  if (nested || document.is_discarded() || !document.is_object()) {
    return Error(ErrorCode::kCorruptInput, "request body: not a flat JSON object");
  }
  std::map<std::string, std::string> fields;
  for (const auto& [key, value] : document.items()) {
    bool known = false;
    for (std::string_view name : allowed) known = known || key == name;
    if (!known) return Error(ErrorCode::kInvalidArgument, "request body: unknown field " + key);
    if (!value.is_string()) {
      return Error(ErrorCode::kInvalidArgument, "request body: " + key + ": not a string");
    }
    fields[key] = value.get<std::string>();
  }
  for (std::string_view name : allowed) {
    if (!fields.count(std::string(name))) {
      return Error(ErrorCode::kInvalidArgument, "request body: missing field " + std::string(name));
    }
  }
  return fields;
}

}  // namespace

Result<UserRequest> ParseUserRequest(std::string_view body) {
  BULWARK_ASSIGN_OR_RETURN(auto fields, ParseFlatObject(body, {"name", "role", "password"}));
  UserRequest request;
  request.name = fields["name"];
  BULWARK_TRY(CheckUserName(request.name));
  BULWARK_ASSIGN_OR_RETURN(request.role, ParseRole(fields["role"]));
  request.password = fields["password"];
  if (request.password.size() < kMinPasswordBytes || request.password.size() > kMaxPasswordBytes) {
    return Error(ErrorCode::kInvalidArgument, "password: " + std::to_string(kMinPasswordBytes) +
                                                  " to " + std::to_string(kMaxPasswordBytes) +
                                                  " bytes");
  }
  return request;
}

Result<TokenRequest> ParseTokenRequest(std::string_view body) {
  BULWARK_ASSIGN_OR_RETURN(auto fields, ParseFlatObject(body, {"name", "user"}));
  TokenRequest request;
  request.name = fields["name"];
  request.user = fields["user"];
  bool printable = !request.name.empty() && request.name.size() <= 128;
  for (char c : request.name) printable = printable && c >= 0x20 && c != 0x7f;
  if (!printable) {
    return Error(ErrorCode::kInvalidArgument, "token name: 1 to 128 printable characters");
  }
  BULWARK_TRY(CheckUserName(request.user));
  return request;
}

}  // namespace bulwark::server
