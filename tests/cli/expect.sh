#!/usr/bin/env bash
# expect.sh CODE REGEX [--lines N] -- COMMAND...: runs COMMAND and requires exit code CODE, REGEX
# (grep -E) in its combined stdout and stderr, and with --lines exactly N lines of output.
set -u
code=$1; regex=$2; shift 2
lines=""
if [ "$1" = "--lines" ]; then lines=$2; shift 2; fi
[ "$1" = "--" ] && shift
out=$("$@" 2>&1); rc=$?
if [ "$rc" != "$code" ]; then
  printf 'expected exit code %s, found %s; output:\n%s\n' "$code" "$rc" "$out"; exit 1
fi
if ! printf '%s\n' "$out" | grep -E -q -- "$regex"; then
  printf 'expected output matching:\n  %s\nfound:\n%s\n' "$regex" "$out"; exit 1
fi
if [ -n "$lines" ] && [ "$(printf '%s\n' "$out" | wc -l)" != "$lines" ]; then
  printf 'expected %s line(s) of output, found:\n%s\n' "$lines" "$out"; exit 1
fi
echo "ok: exit $rc, output matches"
