#!/usr/bin/env python3
"""Extract the binary payload layouts of the case events from the Swift sources.

Every case event (a `struct NAME: ... DomainEvent ...` in Sources/CaseManagement)
is stored with BinaryCodec: its stored properties in declaration order, no keys,
no field count (see docs/FORMAT.md, "Payload encoding"). This script reads the
Swift declarations (no Swift toolchain needed) and prints

  --markdown   (default) the per-event tables of docs/FORMAT.md
  --json       the layouts as JSON
  --python     the LAYOUTS literal embedded in tools/caseledger_verify.py
  --check FILE exit 1 unless the LAYOUTS literal in FILE equals the sources

It refuses (exit 2) a type whose encoding it cannot vouch for: a custom
`CodingKeys`, `encode(to:)` or `init(from:)`, an enum that is not backed by
String, a stored `let` with a default value (synthesized Codable skips it on
decoding), or a field type it does not know.

Standard library only. Usage:

  python3 tools/payload_layouts.py [--sources DIR] [--markdown|--json|--python|--check FILE]
"""

import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_SOURCES = os.path.join(HERE, "..", "Sources", "CaseManagement")

BASIC = {
    "String": "LEB128 length + UTF-8",
    "Int": "zig-zag LEB128 (64-bit)",
    "Int64": "zig-zag LEB128",
    "Int32": "zig-zag LEB128",
    "Int16": "zig-zag LEB128",
    "Int8": "zig-zag LEB128",
    "UInt64": "LEB128",
    "UInt32": "LEB128",
    "UInt16": "LEB128",
    "UInt8": "LEB128",
    "UInt": "LEB128",
    "Bool": "1 byte, 0 or 1",
    "Double": "8 bytes, IEEE 754 bit pattern, big-endian",
    "Float": "4 bytes, IEEE 754 bit pattern, big-endian",
    "UUID": "16 bytes",
    "Timestamp": "zig-zag LEB128 of µs since 1970-01-01T00:00:00Z",
}


class LayoutError(Exception):
    pass


def strip_comments(text):
    """Removes // and /* */ comments, keeping string literals and line breaks."""
    out = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == '"':
            j = i + 1
            while j < n and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            out.append(text[i:j + 1])
            i = j + 1
        elif text.startswith("//", i):
            j = text.find("\n", i)
            i = n if j < 0 else j
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            seg = text[i:(n if j < 0 else j + 2)]
            out.append("\n" * seg.count("\n"))
            i = n if j < 0 else j + 2
        else:
            out.append(c)
            i += 1
    return "".join(out)


DECL = re.compile(r"\b(struct|enum)\s+([A-Za-z_][A-Za-z0-9_]*)\s*(?::\s*([^{]*))?\{")


def body_at(text, open_brace):
    """The text between the brace at `open_brace` and its match."""
    depth = 0
    i = open_brace
    while i < len(text):
        c = text[i]
        if c == '"':
            j = i + 1
            while j < len(text) and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            i = j + 1
            continue
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0:
                return text[open_brace + 1:i]
        i += 1
    raise LayoutError("unbalanced braces")


def top_level(body):
    """The body's text at nesting depth 0 (nested bodies blanked out)."""
    out = []
    depth = 0
    for c in body:
        if c == "{":
            depth += 1
            out.append("{" if depth == 1 else " ")
        elif c == "}":
            depth -= 1
            out.append("}" if depth == 0 else " ")
        else:
            out.append(c if depth == 0 else (c if c == "\n" else " "))
    return "".join(out)


PROP = re.compile(
    r"^\s*(?:(?:public|internal|package|fileprivate|private)\s+)?(?:(static|class)\s+)?(var|let)\s+"
    r"([A-Za-z_][A-Za-z0-9_]*)\s*(?::\s*([^={]+?))?\s*(=[^{]*)?(\{)?\s*$")


def parse_declarations(sources):
    structs, enums = {}, {}
    for root, _, files in os.walk(sources):
        for name in sorted(files):
            if not name.endswith(".swift"):
                continue
            path = os.path.join(root, name)
            with open(path, encoding="utf-8") as f:
                text = strip_comments(f.read())
            for m in DECL.finditer(text):
                kind, type_name, inherits = m.group(1), m.group(2), (m.group(3) or "")
                body = body_at(text, m.end() - 1)
                conformances = [c.strip() for c in inherits.split(",") if c.strip()]
                if kind == "enum":
                    enums[type_name] = (conformances, body, path)
                else:
                    structs[type_name] = (conformances, body, path)
    return structs, enums


def struct_fields(type_name, body, path):
    flat = top_level(body)
    if re.search(r"\bCodingKeys\b", flat) or re.search(r"\bfunc\s+encode\s*\(\s*to\b", flat) \
            or re.search(r"\binit\s*\(\s*from\b", flat):
        raise LayoutError(f"{path}: {type_name} has a custom Codable conformance; its layout cannot be read from the declaration")
    fields, event_type, schema = [], None, 1
    for line in flat.split("\n"):
        m = PROP.match(line)
        if not m:
            continue
        static, keyword, name, typ, default, brace = m.groups()
        if static:
            if name == "eventType" and default:
                s = re.search(r'"([^"]*)"', default)
                if s:
                    event_type = s.group(1)
            elif name == "schemaVersion":
                s = re.search(r"(\d+)", (default or "") + line)
                if s:
                    schema = int(s.group(1))
            continue
        if brace:
            continue  # computed property
        if typ is None:
            raise LayoutError(f"{path}: {type_name}.{name} has no written type")
        if keyword == "let" and default:
            raise LayoutError(f"{path}: {type_name}.{name} is a let with a default value (not decoded by synthesized Codable)")
        fields.append([name, re.sub(r"\s+", "", typ)])
    return fields, event_type, schema


def enum_cases(type_name, conformances, body, path):
    if not conformances or conformances[0] != "String":
        raise LayoutError(f"{path}: enum {type_name} is not backed by String; BinaryCodec would not write a readable value")
    flat = top_level(body)
    values = []
    for m in re.finditer(r"^\s*case\s+([^\n]+)$", flat, re.M):
        for part in m.group(1).split(","):
            part = part.strip()
            if not part:
                continue
            if "(" in part:
                raise LayoutError(f"{path}: enum {type_name} has associated values")
            name_value = part.split("=", 1)
            case = name_value[0].strip()
            if len(name_value) == 2:
                s = re.search(r'"([^"]*)"', name_value[1])
                if not s:
                    raise LayoutError(f"{path}: enum {type_name}.{case} has a raw value that is not a string literal")
                values.append(s.group(1))
            else:
                values.append(case)
    return values


def split_type(t):
    """('opt', T) | ('array', T) | ('set', T) | ('dict', K, V) | ('name', T)."""
    if t.endswith("?"):
        return ("opt", t[:-1])
    if t.startswith("Optional<") and t.endswith(">"):
        return ("opt", t[9:-1])
    if t.startswith("[") and t.endswith("]"):
        inner = t[1:-1]
        depth = 0
        for i, c in enumerate(inner):
            if c in "[<":
                depth += 1
            elif c in "]>":
                depth -= 1
            elif c == ":" and depth == 0:
                return ("dict", inner[:i], inner[i + 1:])
        return ("array", inner)
    if t.startswith("Array<") and t.endswith(">"):
        return ("array", t[6:-1])
    if t.startswith("Set<") and t.endswith(">"):
        return ("set", t[4:-1])
    return ("name", t)


def build_layouts(sources):
    structs, enums = parse_declarations(sources)
    events, used_structs, used_enums = {}, {}, {}

    def visit(t, where):
        kind = split_type(t)
        if kind[0] in ("opt", "array", "set"):
            visit(kind[1], where)
        elif kind[0] == "dict":
            visit(kind[1], where)
            visit(kind[2], where)
        else:
            name = kind[1]
            if name in BASIC:
                return
            if name in enums:
                if name not in used_enums:
                    conf, body, path = enums[name]
                    used_enums[name] = enum_cases(name, conf, body, path)
                return
            if name in structs:
                if name not in used_structs:
                    conf, body, path = structs[name]
                    used_structs[name] = []  # guards recursion
                    fields, _, _ = struct_fields(name, body, path)
                    used_structs[name] = fields
                    for _, ft in fields:
                        visit(ft, f"{name}")
                return
            raise LayoutError(f"{where}: unknown field type {name}")

    for name, (conf, body, path) in sorted(structs.items()):
        if "DomainEvent" not in conf:
            continue
        fields, event_type, schema = struct_fields(name, body, path)
        if event_type is None:
            raise LayoutError(f"{path}: {name} has no static eventType")
        events[event_type] = {"struct": name, "schemaVersion": schema, "fields": fields}
        for fname, ftype in fields:
            visit(ftype, f"{name}.{fname}")
    if not events:
        raise LayoutError(f"no DomainEvent found under {sources}")
    return {"events": dict(sorted(events.items())),
            "structs": dict(sorted(used_structs.items())),
            "enums": dict(sorted(used_enums.items()))}


def describe(t, layouts):
    kind = split_type(t)
    if kind[0] == "opt":
        return f"presence byte (0 absent, 1 present), then {describe(kind[1], layouts)}"
    if kind[0] == "array":
        return f"UInt32 big-endian count, then each element: {describe(kind[1], layouts)}"
    if kind[0] == "set":
        return f"LEB128 count, then the elements in increasing order: {describe(kind[1], layouts)}"
    if kind[0] == "dict":
        return f"LEB128 count, then key and value of each entry in increasing key order ({describe(kind[1], layouts)}; {describe(kind[2], layouts)})"
    name = kind[1]
    if name in BASIC:
        return BASIC[name]
    if name in layouts["enums"]:
        return "string (LEB128 length + UTF-8): the case name"
    if name in layouts["structs"]:
        return f"the fields of {name}, inline (table below)"
    return "?"


def markdown(layouts):
    lines = []
    lines.append("<!-- generated by tools/payload_layouts.py from Sources/CaseManagement; do not edit by hand -->")
    lines.append("")
    for event_type, e in layouts["events"].items():
        lines.append(f"#### `{event_type}` (schema version {e['schemaVersion']})")
        lines.append("")
        lines.append("| # | field | Swift type | bytes |")
        lines.append("| ---: | --- | --- | --- |")
        for i, (fname, ftype) in enumerate(e["fields"], 1):
            lines.append(f"| {i} | `{fname}` | `{ftype}` | {describe(ftype, layouts)} |")
        lines.append("")
    if layouts["structs"]:
        lines.append("#### Nested structs")
        lines.append("")
        for sname, fields in layouts["structs"].items():
            lines.append(f"`{sname}`:")
            lines.append("")
            lines.append("| # | field | Swift type | bytes |")
            lines.append("| ---: | --- | --- | --- |")
            for i, (fname, ftype) in enumerate(fields, 1):
                lines.append(f"| {i} | `{fname}` | `{ftype}` | {describe(ftype, layouts)} |")
            lines.append("")
    lines.append("#### Enumerations (the string written is the case name)")
    lines.append("")
    lines.append("| enum | values |")
    lines.append("| --- | --- |")
    for ename, values in layouts["enums"].items():
        lines.append(f"| `{ename}` | {', '.join('`' + v + '`' for v in values)} |")
    lines.append("")
    return "\n".join(lines)


def python_literal(layouts):
    return "LAYOUTS = " + json.dumps(layouts, indent=None, sort_keys=True, ensure_ascii=False)


def embedded_layouts(path):
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("LAYOUTS = "):
                return json.loads(line[len("LAYOUTS = "):])
    raise LayoutError(f"{path} has no 'LAYOUTS = ' line")


def main(argv):
    sources = DEFAULT_SOURCES
    mode, check_path = "markdown", None
    args = list(argv)
    while args:
        a = args.pop(0)
        if a == "--sources" and args:
            sources = args.pop(0)
        elif a in ("--markdown", "--json", "--python"):
            mode = a[2:]
        elif a == "--check" and args:
            mode, check_path = "check", args.pop(0)
        elif a in ("-h", "--help"):
            print(__doc__)
            return 0
        else:
            print(f"payload_layouts.py: unknown argument {a}", file=sys.stderr)
            return 2
    try:
        layouts = build_layouts(sources)
        if mode == "markdown":
            print(markdown(layouts))
        elif mode == "json":
            print(json.dumps(layouts, indent=2, ensure_ascii=False))
        elif mode == "python":
            print(python_literal(layouts))
        else:
            if embedded_layouts(check_path) != layouts:
                print(f"{check_path}: LAYOUTS differ from {sources}; regenerate with --python", file=sys.stderr)
                return 1
            print(f"{check_path}: LAYOUTS match {len(layouts['events'])} event types")
    except (LayoutError, OSError) as e:
        print(f"payload_layouts.py: {e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
