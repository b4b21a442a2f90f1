#!/usr/bin/env python3
"""Makes tampered copies of a CaseLedger store dump or export, for tools/test_verifier.sh.

Store edits read and write the text of `mdb_dump -a` (load the result with
`mdb_load -f OUT DIR`); export edits read and write NDJSON exports.

  dump-flip    IN OUT DB ENTRY key|value DIGIT  flip one hex digit (xor 1) of entry ENTRY (from 1; 0 = the
                                                last) of database DB; DIGIT from the start (>= 0) or the end (< 0)
  dump-swap    IN OUT DB ENTRY                  swap the values of entries ENTRY and ENTRY+1 (reorder)
  dump-truncate IN OUT COUNT [--drop-checkpoints]
                                                remove the last COUNT events and their index entries (a log
                                                cut short consistently); optionally the checkpoint slot too
  dump-rewrite IN OUT POSITION                  flip the last payload byte of the record at POSITION and
                                                recompute every hash from it on (a rewritten, still chained log)
  export-edit  IN OUT WHAT [ARG]                WHAT: cut N (drop the last N event lines and everything after
                                                them), drop-events N (drop the last N event lines, keep the
                                                checkpoint and trailer lines), head N (keep the first N event
                                                lines and write a trailer that agrees with them: a cut
                                                the trailer does not show), swap P (swap event lines P, P+1),
                                                data P (edit a value in `data` of the first case event at or
                                                after P), payload P (flip a bit of line P's payload), hash P
                                                (flip a digit of line P's hash), signature (flip a digit of the
                                                first checkpoint line's signature), trailer-hash (flip a digit
                                                of the trailer's headHash)

Standard library only.
"""

import base64
import hashlib
import json
import sys

SLOT = b"$audit-checkpoints".hex()


# ---------------------------------------------------------------------------
# mdb_dump text

def read_dump(path):
    """[(name, header_lines, [[key_hex, value_hex], ...])] in dump order."""
    sections, header, pairs, name, in_data, pending = [], [], None, None, False, None
    with open(path, encoding="ascii") as f:
        for line in f.read().split("\n"):
            if not in_data:
                if line == "":
                    continue
                header.append(line)
                if line.startswith("database="):
                    name = line[len("database="):]
                if line == "HEADER=END":
                    in_data, pairs, pending = True, [], None
            elif line == "DATA=END":
                sections.append((name, header, pairs))
                header, name, in_data = [], None, False
            else:
                if not line.startswith(" "):
                    sys.exit(f"verifier_tamper: unexpected dump line {line[:40]!r}")
                if pending is None:
                    pending = line[1:]
                else:
                    pairs.append([pending, line[1:]])
                    pending = None
    return sections


def write_dump(path, sections):
    with open(path, "w", encoding="ascii") as f:
        for _, header, pairs in sections:
            f.write("\n".join(header) + "\n")
            for k, v in pairs:
                f.write(f" {k}\n {v}\n")
            f.write("DATA=END\n")


def section(sections, db):
    for name, _, pairs in sections:
        if name == db:
            return pairs
    sys.exit(f"verifier_tamper: no database {db} in the dump")


def flip(hex_text, digit):
    chars = list(hex_text)
    j = digit if digit >= 0 else len(chars) + digit
    chars[j] = format(int(chars[j], 16) ^ 1, "x")
    return "".join(chars)


def u64(hex_text):
    return int(hex_text[-16:], 16)


def dump_truncate(sections, count, drop_checkpoints):
    events = section(sections, "events")
    cut = len(events) - count
    del events[cut:]
    streams = section(sections, "streams")
    streams[:] = [p for p in streams if u64(p[1]) <= cut]
    ids = section(sections, "eventIDs")
    ids[:] = [p for p in ids if u64(p[1]) <= cut]
    cats = section(sections, "categories")
    cats[:] = [p for p in cats if u64(p[0]) <= cut]
    last = {}
    for k, _ in streams:
        name, version = k[:-18], u64(k)
        last[name] = max(last.get(name, 0), version)
    heads = section(sections, "heads")
    heads[:] = [[k, format(last[k], "016x")] for k, _ in heads if k in last]
    if drop_checkpoints:
        proj = section(sections, "projections")
        proj[:] = [p for p in proj if p[0] != SLOT]


def dump_rewrite(sections, position):
    events = section(sections, "events")
    previous = None
    for i, (k, v) in enumerate(events):
        p = u64(k)
        stored = bytes.fromhex(v)
        canonical, stored_hash = stored[:-32], stored[-32:]
        if p < position:
            previous = stored_hash
            continue
        if p == position:
            canonical = canonical[:-1] + bytes([canonical[-1] ^ 1])     # the payload's last byte
        if previous is None:
            previous = hashlib.sha256(b"CaseLedger genesis v1").digest()
        new_hash = hashlib.sha256(previous + canonical).digest()
        events[i][1] = (canonical + new_hash).hex()
        previous = new_hash


# ---------------------------------------------------------------------------
# exports

def compact(obj):
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def export_edit(lines, what, arg):
    events = [i for i, l in enumerate(lines) if not l.startswith(('{"checkpoint"', '{"trailer"'))]
    if what == "cut":
        del lines[events[-1] - arg + 1:]
    elif what == "drop-events":
        del lines[events[-1] - arg + 1:events[-1] + 1]
    elif what == "head":
        kept = lines[:events[arg - 1] + 1]
        last = json.loads(kept[-1])
        lines[:] = kept + [compact({"trailer": {"events": arg, "format": 2, "headHash": last["hash"],
                                                "headPosition": arg}})]
    elif what == "swap":
        lines[arg - 1], lines[arg] = lines[arg], lines[arg - 1]
    elif what == "data":
        for i in events[arg - 1:]:
            o = json.loads(lines[i])
            d = o["data"]
            if isinstance(d, dict) and "base64" not in d:
                for key in sorted(d):
                    if isinstance(d[key], bool):
                        d[key] = not d[key]
                    elif isinstance(d[key], int):
                        d[key] += 1
                    elif isinstance(d[key], str):
                        d[key] += "x"
                    else:
                        continue
                    lines[i] = compact(o)
                    return
        sys.exit("verifier_tamper: no case event with a simple field to edit")
    elif what == "payload":
        o = json.loads(lines[arg - 1])
        p = bytearray(base64.b64decode(o["payload"]))
        p[len(p) // 2] ^= 1
        o["payload"] = base64.b64encode(bytes(p)).decode()
        lines[arg - 1] = compact(o)
    elif what == "hash":
        o = json.loads(lines[arg - 1])
        o["hash"] = flip(o["hash"], -1)
        lines[arg - 1] = compact(o)
    elif what == "signature":
        i = next(i for i, l in enumerate(lines) if l.startswith('{"checkpoint"'))
        o = json.loads(lines[i])
        o["checkpoint"]["signature"] = flip(o["checkpoint"]["signature"], -1)
        lines[i] = compact(o)
    elif what == "trailer-hash":
        o = json.loads(lines[-1])
        o["trailer"]["headHash"] = flip(o["trailer"]["headHash"], -1)
        lines[-1] = compact(o)
    else:
        sys.exit(f"verifier_tamper: unknown export edit {what}")


def main(argv):
    if len(argv) < 3:
        sys.exit(__doc__)
    command, src, dst, rest = argv[0], argv[1], argv[2], argv[3:]
    if command.startswith("dump-"):
        sections = read_dump(src)
        if command == "dump-flip":
            db, entry, which, digit = rest[0], int(rest[1]), rest[2], int(rest[3])
            pairs = section(sections, db)
            pair = pairs[entry - 1] if entry > 0 else pairs[-1]
            pair[1 if which == "value" else 0] = flip(pair[1 if which == "value" else 0], digit)
        elif command == "dump-swap":
            pairs = section(sections, rest[0])
            e = int(rest[1])
            pairs[e - 1][1], pairs[e][1] = pairs[e][1], pairs[e - 1][1]
        elif command == "dump-truncate":
            dump_truncate(sections, int(rest[0]), "--drop-checkpoints" in rest[1:])
        elif command == "dump-rewrite":
            dump_rewrite(sections, int(rest[0]))
        else:
            sys.exit(f"verifier_tamper: unknown command {command}")
        write_dump(dst, sections)
    elif command == "export-edit":
        with open(src, encoding="utf-8") as f:
            lines = f.read().split("\n")[:-1]
        export_edit(lines, rest[0], int(rest[1]) if len(rest) > 1 else None)
        with open(dst, "w", encoding="utf-8") as f:
            f.write("".join(l + "\n" for l in lines))
    else:
        sys.exit(f"verifier_tamper: unknown command {command}")


if __name__ == "__main__":
    main(sys.argv[1:])
