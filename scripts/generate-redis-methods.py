#!/usr/bin/env python3
"""Writes `Redis`'s command methods (Sources/AsyncRedis/Commands/Generated/Redis+CommandMethods.swift) from the
builders in `extension RedisCommands` blocks: each `RedisCommands` method that returns a `RedisCommand<T>` gets a
`Redis` method of the same name, arguments and documentation that builds that command and executes it.

    python3 scripts/generate-redis-methods.py           # rewrite the file
    python3 scripts/generate-redis-methods.py --check   # exit 1 when the committed file is not what it would write

The builders are the one place a command's arguments and reply shaping are written; this file is only forwarding.
A builder's first doc line starts with the Redis command it sends (`/// ZADD: ...`, `/// CLIENT KILL ...`), or
`// Redis commands: acl|help client|help` lines before it list them; each forwarder's doc comment then gets the
command's summary, "since" and time complexity from the command table (RedisCommandTableData.swift, which
scripts/generate-commands.sh reads from the server's COMMAND DOCS), and the forwarders are grouped by the
command's Redis group. The same run writes RedisCommandMethodIndex.swift: every command → the `Redis` methods
that send it (forwarders and hand-written `Redis` methods whose doc starts with the command), which the coverage
tests check against the table and the live server's COMMAND LIST. Those hand-written methods' doc comments get
the same reference lines, written into their own files (and checked by `--check` like the rest).
A variadic builder `f(_ keys: String...)` has an internal twin `fListForm(_ keys: [String])` (Swift cannot pass a
variadic list on), which the `Redis` method calls. A builder preceded by `// Redis method hand-written` gets none:
its `Redis` method is written by hand (it answers some arguments without asking the server).
"""
import pathlib
import re
import sys
import textwrap

ROOT = pathlib.Path(__file__).resolve().parent.parent
SOURCES = ROOT / "Sources" / "AsyncRedis"
OUTPUT = SOURCES / "Commands" / "Generated" / "Redis+CommandMethods.swift"
INDEX_OUTPUT = SOURCES / "Commands" / "Generated" / "RedisCommandMethodIndex.swift"
TABLE = SOURCES / "Commands" / "Generated" / "RedisCommandTableData.swift"
COMMANDS_MARKER = "    // Redis commands:"
LINE_LIMIT = 120


def split_top_level(text, separator=","):
    parts, depth, current = [], 0, ""
    for char in text:
        if char in "([<":
            depth += 1
        elif char in ")]>":
            depth -= 1
        if char == separator and depth == 0:
            parts.append(current.strip())
            current = ""
        else:
            current += char
    if current.strip():
        parts.append(current.strip())
    return parts


def parameter_list(signature):
    start = signature.index("(", signature.index("func "))
    depth, inner = 0, ""
    for char in signature[start:]:
        if char == "(":
            depth += 1
            if depth == 1:
                continue
        elif char == ")":
            depth -= 1
            if depth == 0:
                break
        inner += char
    return split_top_level(" ".join(inner.split()))


def call_arguments(signature):
    arguments = []
    for parameter in parameter_list(signature):
        names = parameter.split(":")[0].split()
        label, name = (names[0], names[1]) if len(names) == 2 else (names[0], names[0])
        arguments.append(name if label == "_" else f"{label}: {name}")
    return ", ".join(arguments)


BUILDER = re.compile(r"\)\s+throws\s+->\s+RedisCommand<(?P<reply>.*)>(?P<where>\s+where\s[^{]*?)?\s*\{$", re.S)


def builders(path):
    """(doc and attribute lines, signature, forwarded) for each public builder in the file's `extension RedisCommands`
    blocks; `forwarded` is false for a builder whose `Redis` method is hand-written."""
    lines = path.read_text().split("\n")
    found, inside, pending, index = [], False, [], 0
    while index < len(lines):
        line = lines[index]
        if line.startswith("extension RedisCommands {"):
            inside, pending = True, []
        elif line.startswith("}"):
            inside = False
        elif inside and (line.startswith("    ///") or line.startswith("    @")):
            pending.append(line)
        elif inside and (line.startswith("    // Redis method hand-written") or line.startswith(COMMANDS_MARKER)):
            pending.append(line)
        elif inside and line.startswith("    public func "):
            end = index
            while not lines[end].rstrip().endswith("{"):
                end += 1
            signature = "\n".join(lines[index : end + 1])
            if BUILDER.search(signature):
                found.append((pending, signature, not any("// Redis method hand-written" in l for l in pending)))
            pending, index = [], end
        elif inside and line.startswith("    ") and not line.startswith("        "):
            pending = []
        index += 1
    return found


def read_table():
    """name → (group, since, complexity, summary) from the committed command table."""
    text = TABLE.read_text()
    body = text[text.index('#"""\n') + 5 : text.index('\n"""#')]
    table = {}
    for line in body.split("\n"):
        fields = line.split("\t")
        table[fields[0]] = (fields[7], fields[8], fields[10].strip(), fields[11].strip())
    return table


def commands_sent(documentation, table, where):
    """The table names of the commands a builder or method sends: its `// Redis commands:` line, else the leading
    upper-case words of its first doc line (a container's subcommand when the second word is one). None when the
    doc does not start with a command (a helper such as `close()`)."""
    names = [name for line in documentation if line.startswith(COMMANDS_MARKER)
             for name in line[len(COMMANDS_MARKER) :].split()]
    if names:
        unknown = [name for name in names if name not in table]
        if unknown:
            sys.exit(f"generate-redis-methods: {where} lists commands the table does not know: {unknown}")
        return names
    first = next((line.strip()[3:].strip() for line in documentation if line.strip().startswith("///")), "")
    words = re.match(r"([A-Z][A-Z0-9_-]*)(?:\s+([A-Z][A-Z0-9_-]*)\b)?", first)
    if not words:
        return None
    name = words.group(1).lower()
    if words.group(2) and f"{name}|{words.group(2).lower()}" in table:
        name = f"{name}|{words.group(2).lower()}"
    return [name] if name in table else None


def reference_lines(name, table):
    """The generated part of a forwarder's doc comment: the command's summary, since and complexity."""
    group, since, complexity, summary = table[name]
    lines = [f"Redis `{name.upper().replace('|', ' ')}`: {summary}", f"- Since: Redis {since}"]
    if complexity:
        lines.append(f"- Complexity: {complexity}")
    wrapped = []
    for line in lines:
        indent = "    ///   " if line.startswith("- ") else "    /// "
        wrapped += textwrap.wrap(line, LINE_LIMIT, initial_indent="    /// ", subsequent_indent=indent,
                                 break_long_words=False, break_on_hyphens=False)
    return wrapped


def method(documentation, signature, table, names):
    name = re.search(r"func (\w+)", signature).group(1)
    target = f"{name}ListForm" if "..." in signature else name
    match = BUILDER.search(signature)
    documentation = [line for line in documentation if not line.startswith(COMMANDS_MARKER)]
    doc = [line for line in documentation if line.startswith("    ///")]
    attributes = [line for line in documentation if not line.startswith("    ///")]
    documentation = doc + ["    ///"] + reference_lines(names[0], table) + attributes
    where = match.group("where") or ""
    head = signature[: match.start()] + f") async throws -> {match.group('reply')}{where} {{"
    if len(head.split("\n")[-1]) > 120 or "\n" in head:
        head = signature[: match.start()] + f")\n        async throws -> {match.group('reply')}{where}\n    {{"
    body = f"        try await execute(RedisCommands().{target}({call_arguments(signature)}))"
    if len(body) > LINE_LIMIT:
        body = f"        try await execute(\n            RedisCommands().{target}({call_arguments(signature)}))"
        body = "\n".join(wrap_at_commas(line, 16) for line in body.split("\n"))
    return "\n".join(documentation + [head, body, "    }"])


def wrap_at_commas(line, continuation_indent):
    """`line` broken after the last ", " that keeps each piece within LINE_LIMIT columns."""
    pieces = []
    while len(line) > LINE_LIMIT:
        cut = line.rfind(", ", 0, LINE_LIMIT - 1)
        if cut <= continuation_indent:
            break
        pieces.append(line[: cut + 1])
        line = " " * continuation_indent + line[cut + 2 :]
    return "\n".join(pieces + [line])


def swift_name(signature):
    """`name(label:_:)`, how the method is written in the index and in error messages."""
    name = re.search(r"func (\w+)", signature).group(1)
    labels = [parameter.split(":")[0].split()[0] for parameter in parameter_list(signature)]
    return f"{name}({''.join(label + ':' for label in labels)})"


def hand_written_methods(path):
    """(doc lines, signature, index of the doc's first line) of each public method in the file's `extension Redis`
    blocks."""
    lines = path.read_text().split("\n")
    found, inside, pending, start = [], False, [], 0
    for index, line in enumerate(lines):
        if line.startswith("extension Redis {") or re.match(r"public final class Redis\b", line):
            inside, pending = True, []
        elif line.startswith("}"):
            inside = False
        elif inside and (line.startswith("    ///") or line.startswith("    @")):
            if not pending:
                start = index
            pending.append(line)
        elif inside and line.startswith("    public func "):
            found.append((pending, line, start))
            pending = []
        elif inside and line.startswith("    ") and not line.startswith("        "):
            pending = []
    return found


def without_reference(doc):
    """A hand-written method's doc lines without the reference part an earlier run added (its `Redis `NAME`:`
    line, the `- Since`/`- Complexity` lines and their continuations, and the empty `///` line before them)."""
    for index, line in enumerate(doc):
        if line.startswith("    /// Redis `"):
            end = index + 1
            while end < len(doc) and doc[end].startswith("    ///   ") or end < len(doc) and (
                    doc[end].startswith("    /// - Since:") or doc[end].startswith("    /// - Complexity:")):
                end += 1
            start = index - 1 if index > 0 and doc[index - 1] == "    ///" else index
            return doc[:start] + doc[end:]
    return doc


def with_reference(doc, name, table):
    """A hand-written method's doc lines ending with the command's summary, since and complexity, as the
    forwarders' do (attributes such as `@discardableResult` stay after them)."""
    doc = without_reference(doc)
    comment = [line for line in doc if line.startswith("    ///")]
    attributes = [line for line in doc if not line.startswith("    ///")]
    return comment + ["    ///"] + reference_lines(name, table) + attributes


def hand_written_documented(table):
    """Every source file with hand-written `Redis` methods whose doc starts with a command, its text with those
    docs ending in the command's reference lines."""
    outputs = {}
    for path in sorted(SOURCES.rglob("*.swift")):
        if path in (OUTPUT, INDEX_OUTPUT):
            continue
        lines = path.read_text().split("\n")
        changed = False
        # From the bottom up, so that earlier indices stay valid as docs grow.
        for doc, _, start in reversed(hand_written_methods(path)):
            names = commands_sent(doc, table, str(path))
            if not names:
                continue
            lines[start : start + len(doc)] = with_reference(doc, names[0], table)
            changed = True
        if changed:
            outputs[path] = "\n".join(lines)
    return outputs


def collect(table):
    """The forwarders to write as (group, source order, text) and the index as command → set of method names."""
    forwarders, index = [], {}
    for order, path in enumerate(sorted(SOURCES.rglob("*.swift"))):
        if path == OUTPUT:
            continue
        for doc, signature, forwarded in builders(path):
            where = f"{path.relative_to(SOURCES)}: {swift_name(signature)}"
            names = commands_sent(doc, table, where)
            if names is None:
                sys.exit(f"generate-redis-methods: {where}: its first doc line must start with the Redis command "
                         "it sends (or add a `// Redis commands:` line)")
            for name in names:
                index.setdefault(name, set()).add(swift_name(signature))
            if forwarded:
                forwarders.append((table[names[0]][0], order, method(doc, signature, table, names)))
        for doc, signature, _ in hand_written_methods(path):
            for name in commands_sent(doc, table, str(path)) or []:
                index.setdefault(name, set()).add(swift_name(signature))
    return forwarders, index


def render(table, forwarders):
    out = [
        "// Generated by scripts/generate-redis-methods.py from the `RedisCommands` builders: do not edit.",
        "// Each method builds its command with the builder of the same name and runs it with `execute(_:)`; the",
        "// summary, since and complexity lines come from the command table (the server's COMMAND DOCS).",
        "",
    ]
    for group in sorted({group for group, _, _ in forwarders}):
        out.append(f"// MARK: - {group}")
        out.append("")
        out.append("extension Redis {")
        out.append("\n\n".join(text for g, _, text in sorted(forwarders, key=lambda f: f[:2]) if g == group))
        out.append("}")
        out.append("")
    return "\n".join(out)


def render_index(index):
    lines = [f"{name}\t{' '.join(sorted(methods))}" for name, methods in sorted(index.items())]
    return "\n".join([
        "// Generated by scripts/generate-redis-methods.py: do not edit.",
        "// Every command of the command table that a `Redis` method sends, and those methods (tab-separated),",
        "// collected from the builders and hand-written methods whose doc comment starts with the command.",
        "",
        "extension RedisCommandTable {",
        "    static let encodedMethodIndex: String = #\"\"\"",
        *lines,
        "\"\"\"#",
        "}",
        "",
    ])


def main():
    table = read_table()
    forwarders, index = collect(table)
    outputs = {OUTPUT: render(table, forwarders), INDEX_OUTPUT: render_index(index)}
    outputs.update(hand_written_documented(table))
    if "--check" in sys.argv[1:]:
        stale = [path for path, text in outputs.items() if not path.exists() or path.read_text() != text]
        for path in stale:
            print(f"{path.relative_to(ROOT)} is stale: run python3 scripts/generate-redis-methods.py", file=sys.stderr)
        return 1 if stale else 0
    for path, text in outputs.items():
        path.write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
