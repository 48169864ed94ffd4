#!/usr/bin/env bash
# check_generated.sh FILE -- COMMAND...: FILE must equal what COMMAND prints (regenerate with
# scripts/gen-docs).
set -u
file=$1; shift 2
if ! diff -u "$file" <("$@"); then
  echo "$file is stale: run scripts/gen-docs"; exit 1
fi
echo "ok: $file is up to date"
