// A client of the Registry HTTP API v2 (the OCI distribution API) for pulling
// one repository: manifests, small blobs in memory, and large blobs as streams.
// It handles authentication challenges (anonymous, Basic, Bearer tokens), TLS
// settings, retries and redirects. It decides nothing about the images.
#ifndef BULWARK_REGISTRY_CLIENT_H_
#define BULWARK_REGISTRY_CLIENT_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/byte_stream.h"
#include "common/digest.h"
#include "common/result.h"
#include "registry/docker_config.h"

namespace bulwark::registry {

class HttpTransfer;

// Gives the credential for a registry name as written in references
// ("docker.io", "localhost:5000"), or nullopt for anonymous access. Errors
// stop the request (a credential helper Bulwark cannot run, say).
using CredentialSource =
    std::function<Result<std::optional<Credential>>(std::string_view registry)>;

struct ClientOptions {
  // A PEM bundle of certificate authorities to trust instead of the system's.
  std::string ca_file;
  // Skips TLS verification and allows plain http for every registry (a warn
  // line says so). Without it, plain http is only tried for loopback
  // registries whose https port does not speak TLS.
  bool insecure = false;
  // Tries per request on 429, 5xx and connection errors (at least 1).
  int attempts = 4;
  // First retry delay, doubled each time; a Retry-After in seconds replaces
  // it. Every wait is capped at max_retry_delay_ms.
  long retry_delay_ms = 500;
  long max_retry_delay_ms = 10'000;
  // Where credentials come from; empty means anonymous only.
  CredentialSource credentials;
  // Where those credentials are kept, as error messages name it ("config.json",
  // "the server's registry \"NAME\"").
  std::string credential_origin = "config.json";
};

// One page of a listing (repositories of the catalog, tags of a repository).
struct NamePage {
  std::vector<std::string> names;
  // Whether the registry says there are more (a Link header with rel="next");
  // ask again with the last name of this page.
  bool more = false;
};

// The most names one listing page may ask for, and the most bytes its answer may hold.
inline constexpr int kMaxPageNames = 1000;
inline constexpr uint64_t kMaxListingBytes = 4 << 20;

// The host a registry name is reached at: Docker Hub's "docker.io" is served
// by registry-1.docker.io; every other name is its own host.
std::string RegistryEndpointHost(std::string_view registry);

// Whether a registry name ("localhost:5000", "127.0.0.1", "[::1]:5000") names
// this machine: localhost, 127.0.0.0/8 or ::1, any port.
bool IsLoopbackRegistry(std::string_view registry);

// The Accept header of manifest requests: every OCI and Docker schema 2
// manifest and index type.
std::string_view ManifestAcceptHeader();

struct FetchedManifest {
  std::string bytes;
  std::string media_type;  // The Content-Type of the answer, parameters dropped.
};

// Pulls from one repository of one registry. Credentials for the registry go
// only to the registry's own origin (scheme, host, port) and to the token
// realm its challenge names; redirects elsewhere (blob storage) are followed
// without them. Errors name the registry and say what failed: kNetwork (cannot
// connect, TLS failure, HTTP errors after retries), kAuthentication (no
// credentials where they are required, credentials or token refused, access
// denied), kNotFound (no such manifest or blob), kLimitExceeded (an answer
// past its limit), kCorruptInput (a bad challenge or token answer). Not
// thread-safe.
class RegistryClient {
 public:
  // `registry` as in a Reference ("docker.io", "localhost:5000");
  // `repository` its path ("library/ubuntu"), or "" for a client that only
  // pings the registry or lists its catalog.
  RegistryClient(std::string registry, std::string repository, ClientOptions options);
  ~RegistryClient();

  // GET /v2/REPOSITORY/manifests/REFERENCE (a tag or a digest), at most `limit` bytes.
  Result<FetchedManifest> FetchManifest(std::string_view reference, uint64_t limit);

  // GET /v2/REPOSITORY/blobs/DIGEST into memory, at most `limit` bytes. The
  // bytes are not checked against the digest; the caller does that.
  Result<std::string> FetchBlob(const Digest& digest, uint64_t limit);

  // GET /v2/REPOSITORY/blobs/DIGEST as a stream. Requests are retried
  // before the stream is returned; a transfer that breaks off later (a
  // network error while reading) is resumed where it stopped with a range
  // request, up to ClientOptions::attempts - 1 times, and is then a read
  // error. The stream must not outlive the client.
  Result<std::unique_ptr<ByteStream>> OpenBlob(const Digest& digest);

  // GET /v2/, authenticating when the registry asks: whether the registry is
  // reachable and takes the credentials. Ok or the error, as above.
  Status Ping();

  // GET /v2/_catalog?n=N[&last=LAST] (the Bearer scope registry:catalog:*).
  // `n` is clamped to 1..kMaxPageNames; kCorruptInput for an answer that is
  // not {"repositories": [...]}; kUnsupported when the registry does not
  // offer the catalog (404).
  Result<NamePage> ListRepositories(int n, std::string_view last);

  // GET /v2/REPOSITORY/tags/list?n=N[&last=LAST]; as ListRepositories.
  Result<NamePage> ListTags(int n, std::string_view last);

  const std::string& registry() const { return registry_; }

 private:
  class Session;
  class BlobStream;
  // GET of a blob from byte `offset` on (a range request when not 0; a
  // registry that ignores the range has the bytes before `offset` skipped).
  Result<std::unique_ptr<HttpTransfer>> StartBlob(const Digest& digest, uint64_t offset = 0);
  Result<NamePage> ListNames(const std::string& path, std::string_view field, int n,
                             std::string_view last);
  std::string registry_;
  std::unique_ptr<Session> session_;
};

}  // namespace bulwark::registry

#endif  // BULWARK_REGISTRY_CLIENT_H_
