#!/usr/bin/env bash
# Checks the Python reference verifier (tools/caseledger_verify.py) against the
# Swift CLI on a generated store and export and on tampered copies of them.
#
# For every case it records the Python verdict and the Swift CLI's verdict:
#   - a store:   `caseledger verify --store DIR [--key K.pub] [--checkpoint F]`
#   - an export: `caseledger import` into a fresh store (the CLI has no
#     `verify` of a file), then, when the import succeeds,
#     `caseledger verify` of that store (checkpoints travel in the export)
# and prints a table. Verdict classes (the exit codes of `caseledger verify`):
#   0 pass, 1 fail, 2 usage / cannot read, 3 passes but holds signed
#   checkpoints that were not checked (no key). `caseledger import` exits 0 or 1.
#
# Exit status: 0 only when every Python exit code is the expected one AND the
# Swift CLI's verdict is in the same class for every compared case, and the
# verifier's LAYOUTS match Tests/CaseManagementTests/EventFingerprints.txt;
# 1 otherwise (the disagreements are listed); 2 when a prerequisite is missing
# or the setup fails.
#
# Usage: tools/test_verifier.sh [path/to/caseledger]   (default: .build/debug/caseledger of the repository)
# Needs python3 with `cryptography` (signed checkpoints), mdb_dump and
# mdb_load (Debian/Ubuntu: lmdb-utils). SCALE (default 0.01, the CLI's
# smallest) and SEED (default 1) choose the generated store. Everything is
# made in a temporary directory that is removed on exit.

set -u

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
CL_GIVEN=${1:-$ROOT/.build/debug/caseledger}
SCALE=${SCALE:-0.01}
SEED=${SEED:-1}
VERIFY=$HERE/caseledger_verify.py
TAMPER=$HERE/verifier_tamper.py

for tool in python3 mdb_dump mdb_load; do
    command -v "$tool" >/dev/null || { echo "test_verifier.sh: $tool is missing (mdb_*: apt-get install lmdb-utils)" >&2; exit 2; }
done
python3 -c 'import cryptography' 2>/dev/null || { echo "test_verifier.sh: the Python module cryptography is missing (python3-cryptography)" >&2; exit 2; }
[ -x "$CL_GIVEN" ] || { echo "test_verifier.sh: no caseledger binary at $CL_GIVEN" >&2; exit 2; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/caseledger-verifier.XXXXXX") || exit 2
trap 'wait; rm -rf "$WORK"' EXIT
trap 'exit 2' INT TERM
# One copy of the binary for the whole run (a rebuild meanwhile does not mix versions).
cp "$CL_GIVEN" "$WORK/caseledger" || exit 2
CL=$WORK/caseledger
cd "$WORK" || exit 2

setup() { "$@" >/dev/null 2>setup.err || { echo "test_verifier.sh: setup failed: $*" >&2; cat setup.err >&2; exit 2; }; }

# --- the clean store, its export, keys, a checkpoint ----------------------
START=$(date +%s)
setup "$CL" generate --store store --create --scale "$SCALE" --seed "$SEED"
setup mdb_dump -a store -f plain.dump               # before any checkpoint
setup "$CL" keygen --out key
setup "$CL" keygen --out other
setup "$CL" checkpoint --store store --key key --out checkpoint.json
setup mdb_dump -a store -f clean.dump
setup "$CL" export --store store --to clean.ndjson
EVENTS=$(grep -c '"eventId"' clean.ndjson)
MID=$((EVENTS / 2))
echo "store: $EVENTS events (scale $SCALE, seed $SEED), one signed checkpoint of the head; tampering at position $MID" >&2

# store NAME DUMP COMMAND ARGS...: a fresh environment from DUMP edited by verifier_tamper.py COMMAND.
store() {
    local name=$1 dump=$2; shift 2
    if [ $# -gt 0 ]; then setup python3 "$TAMPER" "$1" "$dump" "$name.dump" "${@:2}"; dump=$name.dump; fi
    mkdir "$name" && setup mdb_load -f "$dump" "$name"
}
# export_copy NAME WHAT [ARG]: an edited copy of the clean export.
export_copy() { setup python3 "$TAMPER" export-edit clean.ndjson "$@"; }

# --- running both sides ---------------------------------------------------
CASES=0; PY_WRONG=(); DISAGREE=(); NOT_COMPARED=()
ROWS=()

short() { tr '\n' ' ' | sed -E -e 's/([0-9a-f]{8})[0-9a-f]{56}/\1.../g' -e 's/verification failed /failed /g' -e 's/  +/ /g' -e 's/^ //' -e 's/ $//' | cut -c1-"$1"; }
klass() { case $1 in 0) echo pass;; 1) echo fail;; 2) echo error;; 3) echo unchecked;; *) echo "exit$1";; esac; }

# py ARGS...: starts the Python verifier in the background (the Swift side
# runs meanwhile: both only read); py_done sets PY_RC, PY_OUT (stdout, else stderr).
py() {
    ( python3 "$VERIFY" "$@" >py.out 2>py.err; echo $? >py.rc ) &
    PY_PID=$!
}
py_done() {
    wait "$PY_PID"
    PY_RC=$(cat py.rc); PY_OUT=$(cat py.out)
    [ -n "$PY_OUT" ] || PY_OUT=$(cat py.err)
}
# sw_verify ARGS...: `caseledger verify`; sets SW_RC, SW_OUT.
sw_verify() {
    SW_OUT=$("$CL" verify "$@" 2>sw.err); SW_RC=$?
    [ -n "$SW_OUT" ] || SW_OUT=$(grep -v '^verify: ' sw.err)
}
# sw_import FILE [IMPORT-FLAGS] [-- VERIFY-ARGS]: import into a fresh store, then verify it.
sw_import() {
    local file=$1; shift
    local flags=() ; while [ $# -gt 0 ] && [ "$1" != "--" ]; do flags+=("$1"); shift; done
    [ $# -gt 0 ] && shift
    rm -rf imported
    local out rc
    out=$("$CL" import --store imported --create --relaxed --from "$file" "${flags[@]}" 2>sw.err); rc=$?
    if [ $rc -ne 0 ]; then
        SW_RC=$rc; SW_OUT="import: $(grep -v '^import: ' sw.err)"
        return
    fi
    sw_verify --store imported "$@"
    SW_OUT="imported; verify: $SW_OUT"
}

# row NAME EXPECTED [n/a REASON]: records one case from PY_* and SW_*.
row() {
    local name=$1 expected=$2 mark
    py_done
    CASES=$((CASES + 1))
    if [ "$PY_RC" != "$expected" ]; then PY_WRONG+=("$name: python exit $PY_RC, expected $expected"); fi
    if [ "${3:-}" = "n/a" ]; then
        mark="n/a"; NOT_COMPARED+=("$name: ${4:-}")
    elif [ "$(klass "$PY_RC")" = "$(klass "$SW_RC")" ]; then
        mark="yes"
    else
        mark="NO"; DISAGREE+=("$name: python $(klass "$PY_RC") ($PY_RC), Swift $(klass "$SW_RC") ($SW_RC): $(printf '%s' "$SW_OUT" | short 150)")
    fi
    ROWS+=("$(printf '%-48s | %s | %s%-2s | %-2s | %-5s | %-84s | %s' "$name" "$expected" "$PY_RC" \
        "$([ "$PY_RC" = "$expected" ] || echo '!')" "$SW_RC" "$mark" \
        "$(printf '%s' "$PY_OUT" | short 84)" "$(printf '%s' "$SW_OUT" | short 84)")")
}

# --- stores -----------------------------------------------------------------
store plain plain.dump
py lmdb plain;                                      sw_verify --store plain
row "store, no checkpoint" 0
py lmdb store;                                      sw_verify --store store
row "store + checkpoint, no key" 3
py lmdb store --key key.pub;                        sw_verify --store store --key key.pub
row "store + checkpoint, key" 0
py lmdb store --key key.pub --checkpoint checkpoint.json; sw_verify --store store --key key.pub --checkpoint checkpoint.json
row "store + same checkpoint as a file, key" 0
py lmdb store --key other.pub;                      sw_verify --store store --key other.pub
row "store, another key" 1
py lmdb store --checkpoint checkpoint.json;         sw_verify --store store --checkpoint checkpoint.json
row "store, --checkpoint without a key" 2
py lmdb no-such-store;                              sw_verify --store no-such-store
row "a store that does not exist" 2

store ev-payload clean.dump dump-flip events "$MID" value -66     # the payload's last byte (before the 64 hex digits of the hash)
py lmdb ev-payload --key key.pub;                   sw_verify --store ev-payload --key key.pub
row "events: a byte of record $MID's payload" 1
store ev-hash clean.dump dump-flip events "$MID" value -1         # the stored hash's last byte
py lmdb ev-hash --key key.pub;                      sw_verify --store ev-hash --key key.pub
row "events: a byte of record $MID's stored hash" 1
store ev-order clean.dump dump-swap events "$MID"
py lmdb ev-order --key key.pub;                     sw_verify --store ev-order --key key.pub
row "events: records $MID and $((MID + 1)) swapped" 1

store ix-streams clean.dump dump-flip streams "$MID" value -1     # an entry now names another position
py lmdb ix-streams --key key.pub;                   sw_verify --store ix-streams --key key.pub
row "index streams: a byte of one entry" 1
store ix-heads clean.dump dump-flip heads 10 value -1             # a stream's last version
py lmdb ix-heads --key key.pub;                     sw_verify --store ix-heads --key key.pub
row "index heads: a byte of one entry" 1
store ix-ids clean.dump dump-flip eventIDs "$MID" value -1        # an event id now names another position
py lmdb ix-ids --key key.pub;                       sw_verify --store ix-ids --key key.pub
row "index eventIDs: a byte of one entry" 1
store ix-cats clean.dump dump-flip categories "$MID" key 0        # the category's first byte
py lmdb ix-cats --key key.pub;                      sw_verify --store ix-cats --key key.pub
row "index categories: a byte of one entry" 1

store cut clean.dump dump-truncate 100                             # events and their index entries
py lmdb cut;                                        sw_verify --store cut
row "store cut by 100 events, no key" 3
py lmdb cut --key key.pub;                          sw_verify --store cut --key key.pub
row "store cut by 100 events, key" 1
store cut-bare clean.dump dump-truncate 100 --drop-checkpoints
py lmdb cut-bare;                                   sw_verify --store cut-bare
row "cut by 100, checkpoints deleted, no key" 0
py lmdb cut-bare --key key.pub --checkpoint checkpoint.json; sw_verify --store cut-bare --key key.pub --checkpoint checkpoint.json
row "cut by 100, checkpoints deleted, auditor's copy" 1

# The cut store exported and imported again: the checkpoint travels with it.
setup "$CL" export --store cut --to cut.ndjson
setup "$CL" import --store reimported --create --relaxed --from cut.ndjson
py export cut.ndjson;                               sw_import cut.ndjson
row "cut store's export, no key" 3
py export cut.ndjson --key key.pub;                 sw_import cut.ndjson -- --key key.pub
row "cut store's export, key" 1
py lmdb reimported;                                 sw_verify --store reimported
row "cut store re-imported, no key" 3
py lmdb reimported --key key.pub;                   sw_verify --store reimported --key key.pub
row "cut store re-imported, key" 1

store rewritten clean.dump dump-rewrite "$MID"                     # record MID changed, every later hash recomputed
py lmdb rewritten;                                  sw_verify --store rewritten
row "log rewritten after the checkpoint, no key" 3
py lmdb rewritten --key key.pub;                    sw_verify --store rewritten --key key.pub
row "log rewritten after the checkpoint, key" 1

# Checkpoints at MID and at the head, the log rewritten between them: the
# failure names the first position that may have changed, MID + 1.
export_copy first-half.ndjson head "$MID"
setup "$CL" import --store two --create --relaxed --from first-half.ndjson
setup "$CL" checkpoint --store two --key key
setup "$CL" import --store two --relaxed --from clean.ndjson
setup mdb_dump -a two -f two.dump
store two-rewritten two.dump dump-rewrite $((MID + MID / 2))
py lmdb two-rewritten --key key.pub;                sw_verify --store two-rewritten --key key.pub
row "rewritten between two checkpoints, key" 1

# --- exports ----------------------------------------------------------------
py export clean.ndjson;                             sw_import clean.ndjson
row "export, no key" 3
py export clean.ndjson --key key.pub;               sw_import clean.ndjson -- --key key.pub
row "export, key" 0
py export clean.ndjson --key key.pub --checkpoint checkpoint.json; sw_import clean.ndjson -- --key key.pub --checkpoint checkpoint.json
row "export + same checkpoint as a file, key" 0
py export no-such-file.ndjson;                      sw_import no-such-file.ndjson
row "an export that does not exist" 2 n/a "caseledger import exits 1 for every refusal; it has no usage/cannot-read code"

export_copy cut-short.ndjson cut 100                               # cut at a line boundary: no checkpoint, no trailer
py export cut-short.ndjson --key key.pub;           sw_import cut-short.ndjson -- --key key.pub
row "export cut short (100 events, no trailer)" 1
py export cut-short.ndjson --key key.pub --allow-missing-trailer; sw_import cut-short.ndjson --allow-missing-trailer -- --key key.pub
row "export cut short, missing trailer allowed" 0
export_copy forged.ndjson head $((EVENTS - 100))                   # a trailer that agrees, no checkpoint line
py export forged.ndjson;                            sw_import forged.ndjson
row "export cut, trailer rewritten, no checkpoint" 0
py export forged.ndjson --key key.pub --checkpoint checkpoint.json; sw_import forged.ndjson -- --key key.pub --checkpoint checkpoint.json
row "export cut, trailer rewritten, auditor's copy" 1
export_copy dropped.ndjson drop-events 100                         # checkpoint and trailer lines kept
py export dropped.ndjson;                           sw_import dropped.ndjson
row "export, last 100 event lines removed" 1
export_copy swapped.ndjson swap "$MID"
py export swapped.ndjson;                           sw_import swapped.ndjson
row "export, lines $MID and $((MID + 1)) swapped" 1
export_copy data.ndjson data "$MID"
py export data.ndjson;                              sw_import data.ndjson
row "export, a value of \`data\` edited" 1
export_copy payload.ndjson payload "$MID"
py export payload.ndjson;                           sw_import payload.ndjson
row "export, a bit of line $MID's payload" 1
export_copy hash.ndjson hash "$MID"
py export hash.ndjson;                              sw_import hash.ndjson
row "export, a digit of line $MID's hash" 1
export_copy trailer.ndjson trailer-hash
py export trailer.ndjson;                           sw_import trailer.ndjson
row "export, a digit of the trailer's head hash" 1
export_copy signature.ndjson signature
py export signature.ndjson --key key.pub;           sw_import signature.ndjson -- --key key.pub
row "export, a digit of the checkpoint's signature" 1

# --- the layouts ------------------------------------------------------------
LAYOUT_OUT=$(python3 "$HERE/payload_layouts.py" --check "$VERIFY" 2>&1); LAYOUT_RC=$?

# --- the table --------------------------------------------------------------
echo
printf '%-48s | %s | %-3s | %-2s | %-5s | %-84s | %s\n' "case" "e" "py" "sw" "agree" "Python verifier (shortened)" "Swift CLI (shortened)"
printf '%s\n' "$(printf -- '-%.0s' {1..49})+---+-----+----+-------+$(printf -- '-%.0s' {1..86})+$(printf -- '-%.0s' {1..40})"
printf '%s\n' "${ROWS[@]}"
echo
echo "e: the expected Python exit code (0 pass, 1 fail, 2 usage/cannot read, 3 unchecked checkpoints); '!' marks a wrong one."
echo "$CASES cases in $(( $(date +%s) - START )) s. LAYOUTS: $(printf '%s' "$LAYOUT_OUT" | tail -n 1)"
STATUS=0
if [ $LAYOUT_RC -ne 0 ]; then STATUS=1; fi
if [ ${#PY_WRONG[@]} -gt 0 ]; then
    STATUS=1; echo; echo "Python verdicts that are not the expected ones:"; printf '  %s\n' "${PY_WRONG[@]}"
fi
if [ ${#DISAGREE[@]} -gt 0 ]; then
    STATUS=1; echo; echo "cases where the Swift CLI's verdict is in another class:"; printf '  %s\n' "${DISAGREE[@]}"
fi
if [ ${#NOT_COMPARED[@]} -gt 0 ]; then
    echo; echo "not compared with the Swift CLI:"; printf '  %s\n' "${NOT_COMPARED[@]}"
fi
echo
if [ $STATUS -eq 0 ]; then echo "every Python verdict is the expected one and the Swift CLI agrees"; else echo "FAILED"; fi
exit $STATUS
