#!/usr/bin/env bash
# Builds the DocC documentation (Sources/AsyncRedis/AsyncRedis.docc and every doc comment) with
# swift-docc-plugin and fails on any DocC warning or on a public symbol without documentation, naming each:
# a merge that adds undocumented API shows here. Output: .build/docs (a static site).
#   bash scripts/docs.sh
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=lib.sh
source "$ROOT/scripts/lib.sh"
cd "$ROOT"
OUT=.build/docs
LOG=$(mktemp "${TMPDIR:-/tmp}/asyncredis-docs.XXXXXX")
trap 'rm -f "$LOG"' EXIT

log "generating the documentation into $OUT"
status=0
swift package --allow-writing-to-directory "$OUT" generate-documentation --target AsyncRedis \
  --output-path "$OUT" --warnings-as-errors >"$LOG" 2>&1 || status=$?
# DocC's own diagnostics (SwiftPM's notes about dependencies' packaging are not ours to fix).
if [ "$status" -ne 0 ] || grep -E '^(warning|error): ' "$LOG" | grep -qv 'unhandled; explicitly declare them'; then
  grep -E -A3 '^(warning|error): ' "$LOG" | grep -v 'unhandled; explicitly declare them' >&2 || tail -n 30 "$LOG" >&2
  die "DocC reported problems (above)"
fi

# Every public or open symbol declared in Sources/AsyncRedis needs a doc comment of its own (an extension block
# of another module's type does not; its members do).
graphs=$(find .build -path '*extracted-symbols*' -name 'AsyncRedis*.symbols.json' -newer "$LOG" 2>/dev/null || true)
[ -n "$graphs" ] || graphs=$(find .build -path '*extracted-symbols*' -name 'AsyncRedis*.symbols.json')
[ -n "$graphs" ] || die "no symbol graph of AsyncRedis under .build"
undocumented=$(python3 - $graphs <<'PY'
import json, sys
seen = set()
for path in sys.argv[1:]:
    for symbol in json.load(open(path))["symbols"]:
        uri = symbol.get("location", {}).get("uri", "")
        if "/Sources/AsyncRedis/" not in uri or symbol.get("accessLevel") not in ("public", "open"):
            continue
        if symbol["kind"]["identifier"] == "swift.extension" or (symbol.get("docComment") or {}).get("lines"):
            continue
        line = symbol["location"]["position"]["line"] + 1
        seen.add(f"Sources/{uri.split('/Sources/', 1)[1]}:{line}: {symbol['kind']['displayName'].lower()} "
                 + ".".join(symbol["pathComponents"]))
print("\n".join(sorted(seen)))
PY
)
if [ -n "$undocumented" ]; then
  echo "$undocumented" >&2
  die "$(echo "$undocumented" | wc -l) public symbols have no documentation (above)"
fi
log "documentation built with no warnings; every public symbol is documented"
