// Libraries that only some commands need, loaded on first use.
//
// libcurl (registries, feed downloads, the server client) and libpq (the
// PostgreSQL store) bring about thirty shared libraries with them: TLS
// stacks, Kerberos, LDAP, IDN. Linked in the ordinary way, every one of them
// is mapped and every symbol bound before main(), which cost a scan of a
// local file several milliseconds it never used (docs/benchmarks.md). Bulwark
// therefore does not link them: this module defines the libcurl and libpq
// functions that Bulwark calls, and each definition forwards to the real
// library, which is opened with dlopen the first time one of them is called.
//
// Code keeps calling curl_easy_init() or PQconnectdbParams() as usual. When
// the library cannot be opened, those calls fail the way the library itself
// reports failure (a null handle, CURLE_FAILED_INIT, CONNECTION_BAD), and the
// message of Require*() says which library and why; callers check Require*()
// before their first call so that the user sees that message.
#ifndef BULWARK_DYNLOAD_DYNLOAD_H_
#define BULWARK_DYNLOAD_DYNLOAD_H_

#include "common/result.h"

namespace bulwark::dynload {

// Opens libcurl (libcurl.so.4) and runs its global initialisation if that
// has not happened yet. Thread-safe; the attempt is made once per process.
// Fails with kUnsupported, naming the library, the loader's reason and the
// Debian package that provides it.
Status RequireCurl();

// The same for libpq (libpq.so.5).
Status RequireLibpq();

// Whether the library is mapped into this process now, without loading it.
// For tests and benchmarks that check what a command loads.
bool CurlIsLoaded();
bool LibpqIsLoaded();

}  // namespace bulwark::dynload

#endif  // BULWARK_DYNLOAD_DYNLOAD_H_
