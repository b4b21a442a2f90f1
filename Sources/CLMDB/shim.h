#ifndef CASELEDGER_CLMDB_SHIM_H
#define CASELEDGER_CLMDB_SHIM_H
#include <lmdb.h>
#endif
