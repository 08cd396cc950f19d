// The libpq functions Bulwark calls, forwarded to libpq.so.5 opened on first
// use (see dynload.h for why). Each forwarder fails as libpq itself would
// when the library cannot be opened; RequireLibpq() says why.
//
// A function added to the list below must also be added to Table and to
// Resolve(); a call to a libpq function missing here fails to link, since the
// binary does not link libpq.
#include <libpq-fe.h>

#include "dynload/dynload.h"
#include "dynload/shared_library.h"

namespace bulwark::dynload {
namespace {

constexpr const char* kSoname = "libpq.so.5";

struct Table {
  decltype(&::PQconnectdbParams) connectdb_params = nullptr;
  decltype(&::PQconninfoParse) conninfo_parse = nullptr;
  decltype(&::PQconninfoFree) conninfo_free = nullptr;
  decltype(&::PQfreemem) freemem = nullptr;
  decltype(&::PQstatus) status = nullptr;
  decltype(&::PQerrorMessage) error_message = nullptr;
  decltype(&::PQsetNoticeProcessor) set_notice_processor = nullptr;
  decltype(&::PQreset) reset = nullptr;
  decltype(&::PQfinish) finish = nullptr;
  decltype(&::PQexec) exec = nullptr;
  decltype(&::PQexecParams) exec_params = nullptr;
  decltype(&::PQresultStatus) result_status = nullptr;
  decltype(&::PQresultErrorMessage) result_error_message = nullptr;
  decltype(&::PQntuples) ntuples = nullptr;
  decltype(&::PQgetvalue) getvalue = nullptr;
  decltype(&::PQgetlength) getlength = nullptr;
  decltype(&::PQcmdTuples) cmd_tuples = nullptr;
  decltype(&::PQclear) clear = nullptr;
};

Status Resolve(Table& t) {
  using internal::Slot;
  return internal::OpenLibrary(
      kSoname, "a postgresql:// store", "libpq5",
      {Slot("PQconnectdbParams", t.connectdb_params), Slot("PQconninfoParse", t.conninfo_parse),
       Slot("PQconninfoFree", t.conninfo_free), Slot("PQfreemem", t.freemem),
       Slot("PQstatus", t.status), Slot("PQerrorMessage", t.error_message),
       Slot("PQsetNoticeProcessor", t.set_notice_processor), Slot("PQreset", t.reset),
       Slot("PQfinish", t.finish), Slot("PQexec", t.exec), Slot("PQexecParams", t.exec_params),
       Slot("PQresultStatus", t.result_status),
       Slot("PQresultErrorMessage", t.result_error_message), Slot("PQntuples", t.ntuples),
       Slot("PQgetvalue", t.getvalue), Slot("PQgetlength", t.getlength),
       Slot("PQcmdTuples", t.cmd_tuples), Slot("PQclear", t.clear)});
}

const internal::LoadedTable<Table>& Load() { return internal::LoadOnce<Table>(Resolve); }

// The table when libpq is open, else null.
const Table* Api() {
  const auto& loaded = Load();
  return loaded.status.ok() ? &loaded.table : nullptr;
}

constexpr char kNotLoaded[] = "libpq could not be loaded\n";

}  // namespace

Status RequireLibpq() { return Load().status; }

bool LibpqIsLoaded() { return internal::IsLoaded(kSoname); }

}  // namespace bulwark::dynload

using bulwark::dynload::Api;
using bulwark::dynload::kNotLoaded;

extern "C" {

PGconn* PQconnectdbParams(const char* const* keywords, const char* const* values,
                          int expand_dbname) {
  const auto* api = Api();
  return api ? api->connectdb_params(keywords, values, expand_dbname) : nullptr;
}

PQconninfoOption* PQconninfoParse(const char* conninfo, char** errmsg) {
  const auto* api = Api();
  if (api != nullptr) return api->conninfo_parse(conninfo, errmsg);
  if (errmsg != nullptr) *errmsg = nullptr;
  return nullptr;
}

void PQconninfoFree(PQconninfoOption* options) {
  if (const auto* api = Api()) api->conninfo_free(options);
}

void PQfreemem(void* pointer) {
  if (const auto* api = Api()) api->freemem(pointer);
}

ConnStatusType PQstatus(const PGconn* connection) {
  const auto* api = Api();
  return api ? api->status(connection) : CONNECTION_BAD;
}

char* PQerrorMessage(const PGconn* connection) {
  const auto* api = Api();
  return api ? api->error_message(connection) : const_cast<char*>(kNotLoaded);
}

PQnoticeProcessor PQsetNoticeProcessor(PGconn* connection, PQnoticeProcessor processor,
                                       void* argument) {
  const auto* api = Api();
  return api ? api->set_notice_processor(connection, processor, argument) : nullptr;
}

void PQreset(PGconn* connection) {
  if (const auto* api = Api()) api->reset(connection);
}

void PQfinish(PGconn* connection) {
  if (const auto* api = Api()) api->finish(connection);
}

PGresult* PQexec(PGconn* connection, const char* query) {
  const auto* api = Api();
  return api ? api->exec(connection, query) : nullptr;
}

PGresult* PQexecParams(PGconn* connection, const char* command, int count, const Oid* types,
                       const char* const* values, const int* lengths, const int* formats,
                       int result_format) {
  const auto* api = Api();
  return api ? api->exec_params(connection, command, count, types, values, lengths, formats,
                                result_format)
             : nullptr;
}

ExecStatusType PQresultStatus(const PGresult* result) {
  const auto* api = Api();
  return api ? api->result_status(result) : PGRES_FATAL_ERROR;
}

char* PQresultErrorMessage(const PGresult* result) {
  const auto* api = Api();
  return api ? api->result_error_message(result) : const_cast<char*>(kNotLoaded);
}

int PQntuples(const PGresult* result) {
  const auto* api = Api();
  return api ? api->ntuples(result) : 0;
}

char* PQgetvalue(const PGresult* result, int row, int column) {
  const auto* api = Api();
  return api ? api->getvalue(result, row, column) : nullptr;
}

int PQgetlength(const PGresult* result, int row, int column) {
  const auto* api = Api();
  return api ? api->getlength(result, row, column) : 0;
}

char* PQcmdTuples(PGresult* result) {
  const auto* api = Api();
  return api ? api->cmd_tuples(result) : const_cast<char*>("");
}

void PQclear(PGresult* result) {
  if (const auto* api = Api()) api->clear(result);
}

}  // extern "C"
