// The CLI's side of the server API (issue #5): how to reach it, and one call.
// libcurl rather than cpp-httplib's client: it is already linked for feed
// downloads, verifies TLS against the system's trust store (and --ca-file),
// and honours the proxy variables CI runners set.
#ifndef BULWARK_CLI_SERVER_CLIENT_H_
#define BULWARK_CLI_SERVER_CLIENT_H_

#include <CLI/CLI.hpp>
#include <string>

#include "common/result.h"

namespace bulwark::cli {

// --server and its credentials, shared by every command that can act
// through the server.
struct ServerFlags {
  std::string url;  // --server, else $BULWARK_SERVER; "" means standalone.
  std::string user;
  std::string password;  // --password, else $BULWARK_PASSWORD.
  std::string token;     // --token, else $BULWARK_TOKEN.
  std::string ca_file;
  bool no_verify = false;

  bool given() const { return !url.empty(); }
};

// Adds --server, --user, --password, --token, --ca-file and --no-verify to
// `command`.
void AddServerOptions(CLI::App* command, ServerFlags* flags);

struct ServerReply {
  long status = 0;
  std::string body;
};

// Sends one request to the server and returns a 2xx reply. Errors: kNetwork
// when the server cannot be reached or TLS fails (never a pass);
// kInvalidArgument when no credentials were given or the URL is not http(s);
// for any other status, the error the server sent ({"error": {"code",
// "message"}}) with its code, except that 401 and 403 are kAuthentication.
// With `no_verify`, prints once to stderr that TLS is not verified.
Result<ServerReply> CallServer(const ServerFlags& flags, const std::string& method,
                               const std::string& path_and_query, const std::string& body,
                               const std::string& content_type);

// Percent-encodes a query value (RFC 3986 unreserved characters kept).
std::string QueryEscape(const std::string& value);

// As QueryEscape, keeping '/' and ':' (for image names in a path).
std::string PathEscape(const std::string& value);

// A name the server does not know is the user's mistake, as in standalone
// mode (exit 2): turns kNotFound into kInvalidArgument; other errors pass.
Error NamedNothing(const Error& error);

}  // namespace bulwark::cli

#endif  // BULWARK_CLI_SERVER_CLIENT_H_
