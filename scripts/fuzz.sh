#!/usr/bin/env bash
# Builds the libFuzzer targets of Fuzz/ and runs each for FUZZ_SECONDS
# (default 60) on a corpus made from a generated year: stored records (from
# mdb_dump), case-event payloads, export lines and the CLI's JSON input.
# Any crash fails the run; its input is kept in fuzz-artifacts/.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_EACH="${FUZZ_SECONDS:-60}"
CLI="${CASELEDGER:-.build/debug/caseledger}"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/caseledger-fuzz.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
mkdir -p fuzz-artifacts

"$CLI" generate --store "$WORK/store" --create --scale 0.01 --seed 11 >/dev/null 2>&1
"$CLI" export --store "$WORK/store" --to "$WORK/all.ndjson" >/dev/null 2>&1
mdb_dump -s events "$WORK/store" > "$WORK/events.dump"
python3 - "$WORK" <<'PY'
import base64, json, os, sys
work = sys.argv[1]
def write(kind, i, data):
    d = os.path.join(work, "corpus", kind); os.makedirs(d, exist_ok=True)
    open(os.path.join(d, "%05d" % i), "wb").write(data)
# Stored records: the values of mdb_dump's byte-value format (key line, value line).
lines = [l.strip() for l in open(os.path.join(work, "events.dump"))]
body = lines[lines.index("HEADER=END") + 1:lines.index("DATA=END")]
for i, value in enumerate(body[1::2][:300]):
    write("record", i, bytes.fromhex(value))
raw = [l.rstrip("\n") for l in open(os.path.join(work, "all.ndjson")) if l.startswith('{"data"')]
events = [json.loads(l) for l in raw]
types = sorted({e["type"] for e in events})
step = max(1, len(events) // 300)
for i in range(0, len(events), step):
    e = events[i]
    t = bytes([types.index(e["type"])])
    write("codec", i, t + base64.b64decode(e["payload"]))
    write("json", i, t + json.dumps(e["data"], sort_keys=True).encode())
    previous = bytes.fromhex(events[i - 1]["hash"]) if i > 0 else bytes.fromhex("63509c00aa867fb64a317c2cf8fa2d6e197b68b6dd92acfb20189d6a5570528c")
    write("line", i, previous + e["position"].to_bytes(8, "big") + raw[i].encode())
PY

# Every module gets AddressSanitizer and libFuzzer's coverage instrumentation;
# only the fuzz targets link libFuzzer (their linker settings in
# Fuzz/Package.swift), so the package's build-tool executable keeps its main.
# The build's output is shown only when it fails.
if ! swift build --package-path Fuzz -c release --scratch-path .build-fuzz \
  -Xswiftc -sanitize=address -Xswiftc -sanitize-coverage=edge,trace-cmp,inline-8bit-counters,pc-table \
  -Xswiftc -parse-as-library > "$WORK/build.log" 2>&1; then
  grep -v "warning: \|CMakeLists.txt" "$WORK/build.log" | tail -60
  echo "fuzz: the fuzz targets did not build"; exit 1
fi
status=0
for pair in FuzzRecord:record FuzzCodec:codec FuzzImportLine:line FuzzJSONInput:json; do
  target="${pair%%:*}"; corpus="${pair##*:}"
  echo "fuzz: $target for ${SECONDS_EACH}s on $(ls "$WORK/corpus/$corpus" | wc -l) inputs"
  if ! .build-fuzz/release/"$target" "$WORK/corpus/$corpus" -max_total_time="$SECONDS_EACH" -rss_limit_mb=4096 \
       -artifact_prefix=fuzz-artifacts/"$target"- -print_final_stats=1 > "$WORK/$target.log" 2>&1; then
    echo "fuzz: $target FOUND A CRASH (inputs in fuzz-artifacts/):"; tail -40 "$WORK/$target.log"; status=1
  else
    grep -E "stat::number_of_executed_units|cov:" "$WORK/$target.log" | tail -2
  fi
done
exit $status
