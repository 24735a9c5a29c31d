#!/usr/bin/env bash
# Runs the libFuzzer targets of the fuzz build for DURATION seconds each.
#
#   cmake --preset fuzz && cmake --build --preset fuzz && tests/fuzz/run.sh 60
#   tests/fuzz/run.sh 600 fuzz_model_json       # one target, ten minutes
#
# Builds nothing: the targets and strider_fuzz_corpus must exist in the build directory
# (build/fuzz, or $STRIDER_FUZZ_BUILD_DIR). Writes fresh seed corpora with
# strider_fuzz_corpus into a temporary directory, then runs the targets,
# $STRIDER_FUZZ_JOBS at a time (default 2), each with
#   -max_total_time=DURATION -rss_limit_mb=2048 -malloc_limit_mb=1024 -timeout=10
# An input that crashes, trips a sanitizer or an invariant, runs out of memory, asks for
# more than 1 GiB at once, leaks or takes more than 10 s is a finding: libFuzzer stops that
# target and writes the input to <work>/artifacts/<target>/. Prints one line per target
# (executions, executions per second, coverage), then every finding with its artefact,
# the report's first lines and the command that reproduces it, and exits 1. The temporary
# directory is removed when nothing is found (kept with STRIDER_FUZZ_KEEP=1).
set -euo pipefail

usage() { echo "usage: $0 DURATION_SECONDS [TARGET...]" >&2; exit 2; }
[ $# -ge 1 ] || usage
duration=$1
shift
[[ "$duration" =~ ^[1-9][0-9]*$ ]] || usage

root=$(cd "$(dirname "$0")/../.." && pwd)
build=${STRIDER_FUZZ_BUILD_DIR:-$root/build/fuzz}
bin=$build/tests/fuzz
jobs=${STRIDER_FUZZ_JOBS:-2}
all_targets=(fuzz_ucr_tsv fuzz_ucr_txt fuzz_ts fuzz_csv fuzz_model_binary fuzz_model_json)
if [ $# -gt 0 ]; then targets=("$@"); else targets=("${all_targets[@]}"); fi

for exe in strider_fuzz_corpus "${targets[@]}"; do
  if [ ! -x "$bin/$exe" ]; then
    echo "$0: $bin/$exe not found; build it first: cmake --preset fuzz && cmake --build --preset fuzz" >&2
    exit 2
  fi
done

work=$(mktemp -d "${TMPDIR:-/tmp}/strider-fuzz.XXXXXX")
mkdir -p "$work/logs"
"$bin/strider_fuzz_corpus" "$work/corpus" >/dev/null

# The model targets' per-process files go to the work directory (even after a crash).
mkdir -p "$work/tmp"
export TMPDIR=$work/tmp
# Sanitizer reports with stack traces; leaks are findings too.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

run_target() {
  local t=$1 dict=()
  mkdir -p "$work/artifacts/$t"
  if [ -f "$work/corpus/$t.dict" ]; then dict=("-dict=$work/corpus/$t.dict"); fi
  if [ -f "$root/tests/fuzz/$t.dict" ]; then dict=("-dict=$root/tests/fuzz/$t.dict"); fi
  local rc=0
  "$bin/$t" -max_total_time="$duration" -rss_limit_mb=2048 -malloc_limit_mb=1024 -timeout=10 \
    -print_final_stats=1 -artifact_prefix="$work/artifacts/$t/" "${dict[@]}" \
    "$work/corpus/$t" >"$work/logs/$t.log" 2>&1 || rc=$?
  echo "$rc" >"$work/logs/$t.rc"
}

start=$(date +%s)
running=0
for t in "${targets[@]}"; do
  if [ "$running" -ge "$jobs" ]; then
    wait -n
    running=$((running - 1))
  fi
  run_target "$t" &
  running=$((running + 1))
done
wait

# One line per target, then the findings.
final_stat() { sed -n "s/^stat::$1: *//p" "$work/logs/$2.log" | tail -1; }
findings=0
printf '%-18s %-8s %12s %8s %6s\n' target result executions exec/s cov
for t in "${targets[@]}"; do
  rc=$(cat "$work/logs/$t.rc" 2>/dev/null || echo "?")
  result=ok
  if [ "$rc" != 0 ]; then result=FINDING; findings=$((findings + 1)); fi
  cov=$(grep -oE 'cov: [0-9]+' "$work/logs/$t.log" | tail -1 | cut -d' ' -f2)
  printf '%-18s %-8s %12s %8s %6s\n' "$t" "$result" "$(final_stat number_of_executed_units "$t")" \
    "$(final_stat average_exec_per_sec "$t")" "${cov:-?}"
done
echo "($(($(date +%s) - start)) s for ${#targets[@]} targets of ${duration} s, $jobs at a time)"

if [ "$findings" -eq 0 ]; then
  if [ "${STRIDER_FUZZ_KEEP:-0}" = 1 ]; then echo "kept: $work"; else rm -rf "$work"; fi
  exit 0
fi
for t in "${targets[@]}"; do
  [ "$(cat "$work/logs/$t.rc")" != 0 ] || continue
  echo
  echo "== $t: finding (exit status $(cat "$work/logs/$t.rc"), log $work/logs/$t.log)"
  grep -m1 -E 'ERROR: |runtime error: |invariant broken|ALARM: |out-of-memory|malloc\(.*limit' \
    "$work/logs/$t.log" || true
  # The top frames of the first stack trace (without libFuzzer's, libc's and the
  # sanitizers'), then its first frame in strider's own code.
  awk '/^ *#[0-9]+ /{seen=1; print; next} seen{exit}' "$work/logs/$t.log" >"$work/logs/$t.frames"
  grep -vE 'fuzzer::|__sanitizer_|/libc\.so|nptl/|sysdeps/|csu/|stdlib/abort|strider::fuzz::fail| in (main|_start) ' \
    "$work/logs/$t.frames" | head -4 | cut -c1-240 || true
  own=$(grep -E ' in .*strider::' "$work/logs/$t.frames" | grep -v 'strider::fuzz::' | head -1 || true)
  if [ -n "$own" ]; then printf 'first strider frame:\n%s\n' "${own:0:240}"; fi
  grep -m1 '^SUMMARY: ' "$work/logs/$t.log" || true
  for a in "$work/artifacts/$t"/*; do
    [ -e "$a" ] || continue
    case "$(basename "$a")" in slow-unit-*) continue ;; esac
    echo "artefact:  $a ($(wc -c <"$a") bytes)"
    echo "reproduce: $bin/$t $a"
  done
done
echo
echo "$findings target(s) with findings; inputs, corpora and logs kept in $work"
exit 1
