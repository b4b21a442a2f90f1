#!/usr/bin/env bash
# Runs the Python reference verifier (tools/caseledger_verify.py) on a clean
# store and export and on tampered copies, next to the Swift CLI's own
# `verify` / `import`, and prints one line per case:
#
#   case | expected python exit | python exit and verdict | Swift CLI exit and verdict
#
# Usage: tools/test_verifier.sh [path/to/caseledger]   (default .build/debug/caseledger)
# Needs python3, mdb_dump and mdb_load (lmdb-utils); `cryptography` for the
# signed-checkpoint cases. SCALE (default 0.01, the CLI's smallest) and SEED
# (default 1) choose the generated store.
#
# Exit status: 0 when every Python verdict is the expected one, 1 otherwise,
# 2 when a prerequisite is missing. The Swift column is reported, not judged:
# the Swift CLI does not yet catch every case.

set -u

CL=${1:-.build/debug/caseledger}
SCALE=${SCALE:-0.01}
SEED=${SEED:-1}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
VERIFY=$HERE/caseledger_verify.py

for tool in python3 mdb_dump mdb_load; do
    command -v "$tool" >/dev/null || { echo "test_verifier.sh: $tool is missing (mdb_*: apt-get install lmdb-utils)" >&2; exit 2; }
done
[ -x "$CL" ] || { echo "test_verifier.sh: no caseledger binary at $CL" >&2; exit 2; }
CL=$(cd "$(dirname "$CL")" && pwd)/$(basename "$CL")

WORK=$(mktemp -d "${TMPDIR:-/tmp}/caseledger-verifier.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
cd "$WORK" || exit 2

FAILURES=0

# One line of output, trimmed, for the table
# (hashes and keys shortened to 12 hex digits).
first_line() { tr '\n' ' ' | sed -E -e 's/([0-9a-f]{12})[0-9a-f]{52}/\1…/g' -e 's/  +/ /g' -e 's/^ //' -e 's/ $//' | cut -c1-130; }

# py EXPECTED ARGS... : runs the Python verifier, sets PY (the cell text).
py() {
    local expected=$1; shift
    local out rc
    out=$(python3 "$VERIFY" "$@" 2>&1); rc=$?
    PY="$rc $(printf '%s' "$out" | first_line)"
    if [ "$rc" != "$expected" ]; then FAILURES=$((FAILURES + 1)); PY="$PY  <-- expected $expected"; fi
}

# sw ARGS... : runs the Swift CLI, sets SW.
sw() {
    local out rc
    out=$("$CL" "$@" 2>&1); rc=$?
    SW="$rc $(printf '%s' "$out" | tail -n 1 | first_line)"
}

row() { printf '%-44s | %s | %-70s | %s\n' "$1" "$2" "$PY" "$SW"; }

# edit_dump IN OUT DATABASE PAIR WHICH DIGIT: flips one hex digit (xor 1) in
# the dump of DATABASE, in the key or value (WHICH) of its PAIR-th entry
# (from 1; 0 is the last); DIGIT counts from the start (>= 0) or from the
# end (< 0). WHICH=drop removes the entry.
edit_dump() {
    python3 - "$@" <<'EOF'
import sys

def iter_section(lines, db):
    name, data = None, False
    for line in lines:
        if line.startswith("database="):
            name = line[len("database="):]
        elif line == "HEADER=END":
            data = True
        elif line == "DATA=END":
            data = False
        elif data and name == db and line.startswith(" "):
            yield line

src, dst, db, pair, which, digit = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5], int(sys.argv[6])
if pair == 0:
    pair = sum(1 for _ in iter_section(open(src).read().split("\n"), db)) // 2
lines = open(src).read().split("\n")
name, data, count, done = None, False, 0, False
for i, line in enumerate(lines):
    if line.startswith("database="):
        name = line[len("database="):]
    elif line == "HEADER=END":
        data, count = True, 0
    elif line == "DATA=END":
        data = False
    elif data and name == db and line.startswith(" "):
        count += 1
        entry, is_value = (count + 1) // 2, count % 2 == 0
        if which == "drop" and entry == pair:
            lines[i] = None
            done = True
        elif entry == pair and is_value == (which == "value"):
            hexs = list(line[1:])
            j = digit if digit >= 0 else len(hexs) + digit
            hexs[j] = format(int(hexs[j], 16) ^ 1, "x")
            lines[i] = " " + "".join(hexs)
            done = True
if not done:
    sys.exit(f"edit_dump: no {which} {pair} in {db}")
open(dst, "w").write("\n".join(l for l in lines if l is not None))
EOF
}

# tampered_store NAME DATABASE PAIR WHICH DIGIT: a fresh environment loaded
# from the clean dump with one hex digit flipped.
tampered_store() {
    edit_dump clean.dump "$1.dump" "$2" "$3" "$4" "$5" || exit 2
    mkdir "$1" && mdb_load -f "$1.dump" "$1" 2>/dev/null || { echo "mdb_load failed for $1" >&2; exit 2; }
}

# edit_export IN OUT PYTHON: rewrites the export; PYTHON edits `lines` (a list of str).
edit_export() {
    python3 - "$1" "$2" "$3" <<'EOF'
import base64, json, sys
src, dst, code = sys.argv[1:4]
lines = open(src, encoding="utf-8").read().split("\n")[:-1]
exec(code)
open(dst, "w", encoding="utf-8").write("".join(l + "\n" for l in lines))
EOF
}

# import_into FILE: imports an export into a fresh store with the Swift CLI, sets SW.
import_into() {
    rm -rf imported
    sw import --store imported --from "$1"
}

echo "building a store: $CL generate --scale $SCALE --seed $SEED" >&2
"$CL" generate --store store --scale "$SCALE" --seed "$SEED" >/dev/null 2>&1 || { echo "generate failed" >&2; exit 2; }
"$CL" export --store store --to clean.ndjson >/dev/null || { echo "export failed" >&2; exit 2; }
"$CL" keygen --out key >/dev/null && "$CL" keygen --out other >/dev/null || { echo "keygen failed" >&2; exit 2; }
"$CL" checkpoint --store store --key key --out checkpoint.json >/dev/null || { echo "checkpoint failed" >&2; exit 2; }
mdb_dump -a store > clean.dump || exit 2
EVENTS=$(wc -l < clean.ndjson)
MID=$((EVENTS / 2))
HAVE_CRYPTO=0
python3 -c 'import cryptography' 2>/dev/null && HAVE_CRYPTO=1
echo "store: $EVENTS events, one signed checkpoint of the head; tampering at position $MID" >&2
echo

printf '%-44s | %s | %-70s | %s\n' "case" "e" "python verifier (exit code, verdict)" "Swift CLI (exit code, verdict)"
printf '%s\n' "---------------------------------------------+---+------------------------------------------------------------------------+-------------------------------"

# --- the store ------------------------------------------------------------
py 3 lmdb store;                                        sw verify --store store
row "clean store, no key (1 stored checkpoint)" 3
if [ $HAVE_CRYPTO = 1 ]; then
    py 0 lmdb store --public-key key.pub;                 sw verify --store store --key key.pub
    row "clean store, with the key" 0
    py 0 lmdb store --public-key key.pub --checkpoint checkpoint.json
    sw verify --store store --key key.pub --checkpoint checkpoint.json
    row "clean store, checkpoint stored + given" 0
    py 1 lmdb store --public-key other.pub;               sw verify --store store --key other.pub
    row "clean store, another key" 1
fi
KEY=(); SKEY=()
[ $HAVE_CRYPTO = 1 ] && KEY=(--public-key key.pub) && SKEY=(--key key.pub)

tampered_store ev-byte events "$MID" value -66      # the last payload byte (before the 64 hex digits of the hash)
py 1 lmdb ev-byte "${KEY[@]}";                          sw verify --store ev-byte "${SKEY[@]}"
row "events: a byte of record $MID's payload" 1

tampered_store ev-hash events "$MID" value -1       # the last byte of the stored hash
py 1 lmdb ev-hash "${KEY[@]}";                          sw verify --store ev-hash "${SKEY[@]}"
row "events: a byte of record $MID's hash" 1

tampered_store ev-gap events "$MID" drop 0         # one record removed from the middle
py 1 lmdb ev-gap "${KEY[@]}";                           sw verify --store ev-gap "${SKEY[@]}"
row "events: record $MID removed" 1

tampered_store ev-last events 0 drop 0              # the last record removed, indexes untouched
py 1 lmdb ev-last;                                      sw verify --store ev-last
row "events: the last record removed (no key)" 1

tampered_store ix-streams streams "$MID" value -1   # an entry now points at another position
py 1 lmdb ix-streams "${KEY[@]}";                       sw verify --store ix-streams "${SKEY[@]}"
row "streams index: one entry's position" 1

tampered_store ix-heads heads 10 value -1           # a stream's head version
py 1 lmdb ix-heads "${KEY[@]}";                         sw verify --store ix-heads "${SKEY[@]}"
row "heads index: one stream's version" 1

tampered_store ix-ids eventIDs "$MID" value -1      # an event id now points at another position
py 1 lmdb ix-ids "${KEY[@]}";                           sw verify --store ix-ids "${SKEY[@]}"
row "eventIDs index: one entry's position" 1

tampered_store ix-cats categories "$MID" key 0      # the category's first byte (e.g. 't' -> 'd')
py 1 lmdb ix-cats "${KEY[@]}";                          sw verify --store ix-cats "${SKEY[@]}"
row "categories index: one entry's category" 1

py 2 lmdb no-such-store;                                sw verify --store no-such-store
row "a store that does not exist" 2

# --- the export -----------------------------------------------------------
py 0 export clean.ndjson;                               import_into clean.ndjson
row "clean export; import into a fresh store" 0
if [ $HAVE_CRYPTO = 1 ]; then
    py 0 export clean.ndjson --public-key key.pub --checkpoint checkpoint.json
    sw verify --store imported --key key.pub --checkpoint checkpoint.json
    row "clean export + checkpoint; verify import" 0
fi

edit_export clean.ndjson truncated.ndjson 'lines[:] = lines[:-100]'
py 0 export truncated.ndjson;                           import_into truncated.ndjson
row "export, last 100 lines dropped; import" 0
if [ $HAVE_CRYPTO = 1 ]; then
    py 1 export truncated.ndjson --public-key key.pub --checkpoint checkpoint.json
    sw verify --store imported --key key.pub --checkpoint checkpoint.json
    row "last 100 dropped + checkpoint; verify import" 1
fi

edit_export clean.ndjson swapped.ndjson "lines[$MID - 1], lines[$MID] = lines[$MID], lines[$MID - 1]"
py 1 export swapped.ndjson;                             import_into swapped.ndjson
row "export, lines $MID and $((MID + 1)) swapped; import" 1

edit_export clean.ndjson data.ndjson "
for i, l in enumerate(lines):
    o = json.loads(l)
    if o['type'] == 'RatingSubmitted' and i >= $MID:
        o['data']['score'] = 6 - o['data']['score'] if o['data']['score'] != 3 else 1
        lines[i] = json.dumps(o, sort_keys=True, separators=(',', ':'), ensure_ascii=False)
        break"
py 1 export data.ndjson;                                import_into data.ndjson
row "export, a score edited in \`data\`; import" 1

edit_export clean.ndjson payload.ndjson "
o = json.loads(lines[$MID - 1])
p = bytearray(base64.b64decode(o['payload'])); p[len(p) // 2] ^= 1
o['payload'] = base64.b64encode(bytes(p)).decode()
lines[$MID - 1] = json.dumps(o, sort_keys=True, separators=(',', ':'), ensure_ascii=False)"
py 1 export payload.ndjson;                             import_into payload.ndjson
row "export, a bit of \`payload\` flipped; import" 1

py 2 export no-such-file.ndjson;                        import_into no-such-file.ndjson
row "an export that does not exist; import" 2

echo
if [ "$FAILURES" -eq 0 ]; then
    echo "every Python verdict is the expected one"
else
    echo "$FAILURES Python verdict(s) differ from the expected one"
    exit 1
fi
