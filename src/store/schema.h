// The store's schema and column encodings, shared by the SQLite and the
// PostgreSQL store so that both hold the same tables at the same version.
// Internal to store/.
#ifndef BULWARK_STORE_SCHEMA_H_
#define BULWARK_STORE_SCHEMA_H_

#include <cstddef>
#include <string>
#include <vector>

#include "common/digest.h"
#include "common/result.h"

namespace bulwark::store::internal {

enum class Dialect { kSqlite, kPostgres };

// How many numbered migrations there are: the schema version they lead to.
size_t MigrationCount();

// Migration `index` (0-based; it brings the schema to version index + 1) in
// the SQL of `dialect`: one or more statements, run inside the caller's
// transaction. `index` must be below MigrationCount().
std::string MigrationSql(size_t index, Dialect dialect);

// The current time as RFC 3339 UTC ("2026-01-02T03:04:05Z").
std::string NowUtc();

// A layer chain as stored in images.chain: digests separated by spaces.
std::string JoinChain(const std::vector<Digest>& chain);
// The inverse of JoinChain; kCorruptInput when a word is not a digest.
Result<std::vector<Digest>> SplitChain(const std::string& text);

// The error of AddToken for a token whose account does not exist
// (kInvalidArgument naming the account).
Error NoSuchUser(const std::string& name);

}  // namespace bulwark::store::internal

#endif  // BULWARK_STORE_SCHEMA_H_
