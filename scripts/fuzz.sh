#!/usr/bin/env bash
# Coverage-guided fuzzing (libFuzzer) of the reply parser and the address parser.
#   bash scripts/fuzz.sh [SECONDS]      runs each target for SECONDS (default 60)
# The targets are in Fuzz/Targets: `resp` feeds RESP2/RESP3 bytes to RESPDecoder in random splits and checks the
# result against decoding the same bytes whole; `address` parses random text as a RedisAddress and checks that no
# password shows in what it prints or throws. The library's sources and the targets are compiled together with
# `swiftc -sanitize=fuzzer,address` into .build/fuzz/fuzz (about a minute), linked against the objects SwiftPM
# built for the package's dependencies. Seeds: Fuzz/corpus/<target> (committed); what a run adds to them goes to
# .build/fuzz/corpus-<target>. Any crash, failed check, leak, hang (10 s on one input) or memory blow-up (2 GB)
# fails the run; the input is then saved as .build/fuzz/<target>-crash-* (or -leak-, -timeout-, -oom-).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/lib.sh

seconds=${1:-60}
[[ $seconds =~ ^[0-9]+$ ]] && [ "$seconds" -gt 0 ] || die "SECONDS must be a positive integer, got '$seconds'"
out=.build/fuzz
mkdir -p "$out"

# redis-bench links exactly the library's dependencies: its link list, without the library and redis-bench
# themselves, is what the fuzz binary needs besides the sources it compiles.
swift build --product redis-bench >&2
bin=$(swift build --show-bin-path)
grep -v -e '/AsyncRedis\.build/' -e '/redis_bench\.build/' "$bin/redis-bench.product/Objects.LinkFileList" \
  > "$out/dependencies.LinkFileList"
# The search paths and C module maps SwiftPM gave the library's compile.
mapfile -t import_flags < <(python3 - .build/debug.yaml <<'PY'
import json, sys
plan = open(sys.argv[1]).read()
start = plan.index('"C.AsyncRedis-')
line = plan[plan.index('args:', start):].split('\n', 1)[0]
args = json.loads(line[len('args:'):])
flags, i = [], 0
while i < len(args):
    if args[i] in ('-Xcc', '-I'):
        flags += args[i:i + 2]
        i += 2
    else:
        i += 1
print('\n'.join(flags))
PY
)
[ ${#import_flags[@]} -gt 0 ] || die "could not read the library's compile flags from .build/debug.yaml"
log "compiling the fuzz targets"
mapfile -t sources < <(find Sources/AsyncRedis Fuzz/Targets -name '*.swift' | sort)
swiftc -module-name AsyncRedisFuzz -parse-as-library -swift-version 6 -sanitize=fuzzer,address -g \
  "${import_flags[@]}" "${sources[@]}" "@$out/dependencies.LinkFileList" -o "$out/fuzz" 2>&1 \
  | { grep -v "Cannot export local symbol '__asan_" || true; } >&2
[ "${PIPESTATUS[0]}" -eq 0 ] || die "the fuzz targets did not compile"

status=0
for target in resp address; do
  mkdir -p "$out/corpus-$target"
  log "fuzzing $target for $seconds s"
  if ASYNCREDIS_FUZZ_TARGET=$target "$out/fuzz" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -max_len=1024 -print_final_stats=1 -artifact_prefix="$out/$target-" \
    "$out/corpus-$target" "Fuzz/corpus/$target" > "$out/$target.log" 2>&1; then
    log "$target: $(grep -m1 -o 'stat::number_of_executed_units: *[0-9]*' "$out/$target.log" | grep -o '[0-9]*$') inputs, no failure"
  else
    status=1
    log "$target: FAILED, see $out/$target.log; the input is saved under $out/$target-*"
    tail -40 "$out/$target.log" >&2
  fi
done
exit "$status"
