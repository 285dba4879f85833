#!/usr/bin/env python3
"""Writes `Redis`'s command methods (Sources/AsyncRedis/Commands/Generated/Redis+CommandMethods.swift) from the
builders in `extension RedisCommands` blocks: each `RedisCommands` method that returns a `RedisCommand<T>` gets a
`Redis` method of the same name, arguments and documentation that builds that command and executes it.

    python3 scripts/generate-redis-methods.py           # rewrite the file
    python3 scripts/generate-redis-methods.py --check   # exit 1 when the committed file is not what it would write

The builders are the one place a command's arguments and reply shaping are written; this file is only forwarding.
A variadic builder `f(_ keys: String...)` has an internal twin `fListForm(_ keys: [String])` (Swift cannot pass a
variadic list on), which the `Redis` method calls. A builder preceded by `// Redis method hand-written` gets none:
its `Redis` method is written by hand (it answers some arguments without asking the server).
"""
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
SOURCES = ROOT / "Sources" / "AsyncRedis"
OUTPUT = SOURCES / "Commands" / "Generated" / "Redis+CommandMethods.swift"
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
    """(doc and attribute lines, signature) for each public builder in the file's `extension RedisCommands` blocks."""
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
        elif inside and line.startswith("    // Redis method hand-written"):
            pending.append(line)
        elif inside and line.startswith("    public func "):
            end = index
            while not lines[end].rstrip().endswith("{"):
                end += 1
            signature = "\n".join(lines[index : end + 1])
            if BUILDER.search(signature) and not any("// Redis method hand-written" in l for l in pending):
                found.append((pending, signature))
            pending, index = [], end
        elif inside and line.startswith("    ") and not line.startswith("        "):
            pending = []
        index += 1
    return found


def method(documentation, signature):
    name = re.search(r"func (\w+)", signature).group(1)
    target = f"{name}ListForm" if "..." in signature else name
    match = BUILDER.search(signature)
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


def render():
    out = [
        "// Generated by scripts/generate-redis-methods.py from the `RedisCommands` builders: do not edit.",
        "// Each method builds its command with the builder of the same name and runs it with `execute(_:)`.",
        "",
    ]
    for path in sorted(SOURCES.rglob("*.swift")):
        if path == OUTPUT:
            continue
        found = builders(path)
        if not found:
            continue
        out.append(f"// MARK: {path.relative_to(SOURCES)}")
        out.append("")
        out.append("extension Redis {")
        out.append("\n\n".join(method(doc, signature) for doc, signature in found))
        out.append("}")
        out.append("")
    return "\n".join(out)


def main():
    text = render()
    if "--check" in sys.argv[1:]:
        if not OUTPUT.exists() or OUTPUT.read_text() != text:
            print(f"{OUTPUT.relative_to(ROOT)} is stale: run python3 scripts/generate-redis-methods.py", file=sys.stderr)
            return 1
        return 0
    OUTPUT.write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
