#!/usr/bin/env python3
"""The binary payload layouts of the case events, from the fingerprint list.

Every stored form of every case event is recorded, one line each, in
Tests/CaseManagementTests/EventFingerprints.txt (kept by SchemaCodecTests; a
stored form never changes, a changed event gets a new schema version):

    TicketFiled v1 {ticketID: String, channel: Channel(evaluationApp|...), ..., isClue: Bool}

A line is the event type, `v` and the schema version, and the fields in their
binary order, each `name: Type`, optionally followed by ` personal(subject)`.
Types: String, Int, Bool, Double, UUID, Timestamp, `T?`, `[T]`, an enum written
out as `Name(case1|case2|...)`, a record written out as `Name{field: Type, ...}`.
Lines starting with `#` and blank lines are comments. The encodings are in
docs/EVENT-LAYOUTS.md ("Field encodings") and docs/FORMAT.md.

This script parses the list strictly (each line must print back as itself) and
prints the layouts keyed by (event type, schema version):

  --python      (default) the LAYOUTS literal embedded in tools/caseledger_verify.py
  --json        the layouts as JSON
  --check FILE  exit 1 unless the LAYOUTS literal embedded in FILE equals the list
  --list FILE   read another fingerprint list (default: the repository's)

Exit status: 0 done (or equal), 1 --check found a difference, 2 the list or
FILE cannot be read or parsed. Standard library only.

The LAYOUTS literal: {(type, version): fields}, fields a tuple of (name, T) or
(name, T, personal subject), T one of "String", "Int", "Bool", "Double",
"UUID", "Timestamp", ("?", T), ("[]", T), ("enum", name, (case, ...)),
("record", name, fields).
"""

import ast
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_LIST = os.path.join(HERE, "..", "Tests", "CaseManagementTests", "EventFingerprints.txt")
BASIC = ("String", "Int", "Bool", "Double", "UUID", "Timestamp")
MAX_VERSION = 0xFFFF


class LayoutError(Exception):
    pass


# ---------------------------------------------------------------------------
# Parsing one fingerprint

class _Parser:
    def __init__(self, text, where):
        self.text = text
        self.i = 0
        self.where = where

    def fail(self, why):
        raise LayoutError(f"{self.where}: {why} at column {self.i + 1}: {self.text!r}")

    def peek(self, s):
        return self.text.startswith(s, self.i)

    def expect(self, s):
        if not self.peek(s):
            self.fail(f"expected {s!r}")
        self.i += len(s)

    def name(self, what):
        start = self.i
        while self.i < len(self.text) and (self.text[self.i].isalnum() or self.text[self.i] == "_"):
            self.i += 1
        if self.i == start:
            self.fail(f"expected {what}")
        return self.text[start:self.i]

    def fields(self, close):
        """`name: T[ personal(s)], ...` up to and including `close`."""
        out = []
        if self.peek(close):
            self.i += 1
            return tuple(out)
        while True:
            fname = self.name("a field name")
            self.expect(": ")
            ftype = self.type()
            if self.peek(" personal("):
                self.i += len(" personal(")
                subject = self.name("the personal data subject (a field name)")
                self.expect(")")
                out.append((fname, ftype, subject))
            else:
                out.append((fname, ftype))
            if self.peek(close):
                self.i += 1
                break
            self.expect(", ")
        names = [f[0] for f in out]
        for n in names:
            if names.count(n) > 1:
                self.fail(f"the field {n!r} appears twice")
        for f in out:
            if len(f) == 3 and f[2] not in names:
                self.fail(f"{f[0]} names the personal data subject {f[2]!r}, which is not a field")
        return tuple(out)

    def type(self):
        if self.peek("["):
            self.i += 1
            t = ("[]", self.type())
            self.expect("]")
        else:
            name = self.name("a type")
            if self.peek("("):
                self.i += 1
                cases = []
                while True:
                    start = self.i
                    while self.i < len(self.text) and self.text[self.i] not in "|)":
                        self.i += 1
                    if self.i == start:
                        self.fail(f"an empty case in enum {name}")
                    cases.append(self.text[start:self.i])
                    if self.peek(")"):
                        self.i += 1
                        break
                    self.expect("|")
                if len(set(cases)) != len(cases):
                    self.fail(f"enum {name} names a case twice")
                t = ("enum", name, tuple(cases))
            elif self.peek("{"):
                self.i += 1
                t = ("record", name, self.fields("}"))
            elif name in BASIC:
                t = name
            else:
                self.fail(f"unknown type {name!r} (enums and records are written out in full)")
        while self.peek("?"):
            self.i += 1
            t = ("?", t)
        return t


def parse_line(line, where):
    """(type, version, fields) of one fingerprint line."""
    p = _Parser(line, where)
    while p.i < len(line) and line[p.i] != " ":       # the stored type name: any text without a space
        p.i += 1
    event_type = line[:p.i]
    if not event_type:
        p.fail("expected the event type")
    p.expect(" v")
    start = p.i
    while p.i < len(line) and line[p.i].isdigit():
        p.i += 1
    digits = line[start:p.i]
    if not digits or (len(digits) > 1 and digits[0] == "0") or not 1 <= int(digits) <= MAX_VERSION:
        p.i = start
        p.fail(f"the schema version is 1 to {MAX_VERSION}")
    p.expect(" {")
    fields = p.fields("}")
    if p.i != len(line):
        p.fail("unexpected text after the fields")
    version = int(digits)
    if fingerprint(event_type, version, fields) != line:
        raise LayoutError(f"{where}: the line does not print back as itself (spacing?): {line!r}")
    return event_type, version, fields


# ---------------------------------------------------------------------------
# Printing back (the Swift side's SchemaType.fingerprint)

def type_fingerprint(t):
    if isinstance(t, str):
        return t
    if t[0] == "?":
        return type_fingerprint(t[1]) + "?"
    if t[0] == "[]":
        return "[" + type_fingerprint(t[1]) + "]"
    if t[0] == "enum":
        return f"{t[1]}({'|'.join(t[2])})"
    return f"{t[1]}{{{fields_fingerprint(t[2])}}}"


def fields_fingerprint(fields):
    return ", ".join(f"{f[0]}: {type_fingerprint(f[1])}" + (f" personal({f[2]})" if len(f) == 3 else "") for f in fields)


def fingerprint(event_type, version, fields):
    return f"{event_type} v{version} {{{fields_fingerprint(fields)}}}"


# ---------------------------------------------------------------------------

def read_list(path):
    try:
        with open(path, encoding="utf-8") as f:
            lines = f.read().split("\n")
    except (OSError, UnicodeDecodeError) as e:
        raise LayoutError(f"cannot read {path}: {e}")
    layouts = {}
    for number, raw in enumerate(lines, 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        event_type, version, fields = parse_line(line, f"{path}:{number}")
        if (event_type, version) in layouts:
            raise LayoutError(f"{path}:{number}: {event_type} v{version} is listed twice")
        layouts[(event_type, version)] = fields
    if not layouts:
        raise LayoutError(f"{path} lists no event")
    return dict(sorted(layouts.items()))


def _py(value):
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, tuple):
        inner = ", ".join(_py(v) for v in value)
        return f"({inner},)" if len(value) == 1 else f"({inner})"
    raise TypeError(type(value))


def python_literal(layouts):
    lines = ["LAYOUTS = {"]
    for key, fields in layouts.items():
        lines.append(f"    {_py(key)}: {_py(fields)},")
    lines.append("}")
    return "\n".join(lines)


def _json_type(t):
    if isinstance(t, str):
        return t
    if t[0] == "?":
        return {"optional": _json_type(t[1])}
    if t[0] == "[]":
        return {"array": _json_type(t[1])}
    if t[0] == "enum":
        return {"enum": t[1], "cases": list(t[2])}
    return {"record": t[1], "fields": _json_fields(t[2])}


def _json_fields(fields):
    return [dict({"name": f[0], "type": _json_type(f[1])}, **({"personal": f[2]} if len(f) == 3 else {})) for f in fields]


def json_layouts(layouts):
    return [{"type": k[0], "schemaVersion": k[1], "fingerprint": fingerprint(k[0], k[1], v), "fields": _json_fields(v)}
            for k, v in layouts.items()]


def embedded_layouts(path):
    """The LAYOUTS literal of a file: from the line `LAYOUTS = {` to the next line `}`."""
    try:
        with open(path, encoding="utf-8") as f:
            lines = f.read().split("\n")
    except (OSError, UnicodeDecodeError) as e:
        raise LayoutError(f"cannot read {path}: {e}")
    for i, line in enumerate(lines):
        if line.startswith("LAYOUTS = "):
            for j in range(i, len(lines)):
                if lines[j] == "}" or (j == i and line.rstrip().endswith("}")):
                    text = "\n".join(lines[i:j + 1])[len("LAYOUTS = "):]
                    try:
                        return ast.literal_eval(text)
                    except (ValueError, SyntaxError) as e:
                        raise LayoutError(f"{path}: the LAYOUTS literal does not parse: {e}")
            raise LayoutError(f"{path}: the LAYOUTS literal has no closing line '}}'")
    raise LayoutError(f"{path} has no 'LAYOUTS = ' line")


def main(argv):
    path = DEFAULT_LIST
    mode, check_path = "python", None
    args = list(argv)
    while args:
        a = args.pop(0)
        if a == "--list" and args:
            path = args.pop(0)
        elif a in ("--json", "--python"):
            mode = a[2:]
        elif a == "--check" and args:
            mode, check_path = "check", args.pop(0)
        elif a in ("-h", "--help"):
            print(__doc__)
            return 0
        else:
            print(f"payload_layouts.py: unknown argument {a} (see --help)", file=sys.stderr)
            return 2
    shown = "Tests/CaseManagementTests/EventFingerprints.txt" if path == DEFAULT_LIST else path
    try:
        layouts = read_list(path)
        if mode == "json":
            print(json.dumps(json_layouts(layouts), indent=2, ensure_ascii=False))
        elif mode == "python":
            print(python_literal(layouts))
        else:
            embedded = embedded_layouts(check_path)
            if embedded != layouts:
                if not isinstance(embedded, dict):
                    print(f"{check_path}: LAYOUTS is not a dict", file=sys.stderr)
                    return 1
                for key in sorted(set(embedded) | set(layouts), key=str):
                    if key not in layouts:
                        print(f"  {key}: in {check_path}, not in the list", file=sys.stderr)
                    elif key not in embedded:
                        print(f"  {key}: in the list, not in {check_path}", file=sys.stderr)
                    elif embedded[key] != layouts[key]:
                        print(f"  {key}: the fields differ", file=sys.stderr)
                print(f"{check_path}: LAYOUTS differ from {shown}; "
                      f"regenerate with `python3 tools/payload_layouts.py --python`", file=sys.stderr)
                return 1
            print(f"{check_path}: LAYOUTS match the {len(layouts)} event forms of {shown}")
    except LayoutError as e:
        print(f"payload_layouts.py: {e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
