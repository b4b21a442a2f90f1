#ifndef CASELEDGER_FUZZ_DRIVER_H
#define CASELEDGER_FUZZ_DRIVER_H
#include <stddef.h>
#include <stdint.h>

/// Runs libFuzzer's driver with the command line and the target's callback
/// (SwiftPM names an executable's entry point `<Target>_main`, so the
/// targets call this from there instead of using libFuzzer's own `main`).
int caseledger_run_fuzzer(int argc, char **argv, int (*callback)(const uint8_t *data, size_t size));
#endif
