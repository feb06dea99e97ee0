#!/usr/bin/env bash
# The GitHub Action's work (action.yml calls it): check each draft, write SARIF, JSON and Markdown
# reports into the output folder, annotate and summarize through citecheck's own GitHub support,
# and fail when any draft has a finding in the fail-on set. Inputs come as INPUT_* variables so the
# script runs (and is tested) outside GitHub as well.
set -uo pipefail

citecheck="${CITECHECK:-citecheck}"
out="${INPUT_OUTPUT_DIR:-citecheck-reports}"
mkdir -p "$out"
status=0
declare -a drafts
# paths: whitespace- or newline-separated files and globs (globs expanded by the shell, sorted)
set -f  # split the input into patterns without expanding them yet
# shellcheck disable=SC2206
patterns=(${INPUT_PATHS:?the paths input is required})
set +f
shopt -s nullglob globstar
for pattern in "${patterns[@]}"; do
  found=0
  for path in $pattern; do
    if [ -f "$path" ]; then drafts+=("$path"); found=1; fi
  done
  if [ "$found" -eq 0 ]; then
    echo "::error title=citecheck::no draft matches '$pattern'"
    status=2
  fi
done
n=0
for draft in "${drafts[@]}"; do
  n=$((n + 1))
  name="$(printf '%03d' "$n")-$(basename "$draft")"
  args=(check "$draft" --format text -o "sarif=$out/$name.sarif" -o "json=$out/$name.json" -o "markdown=$out/$name.md")
  [ -n "${INPUT_FAIL_ON:-}" ] && args+=(--fail-on "$INPUT_FAIL_ON")
  # shellcheck disable=SC2206 # extra arguments are words on purpose
  [ -n "${INPUT_ARGS:-}" ] && args+=(${INPUT_ARGS})
  echo "::group::citecheck $draft"
  "$citecheck" "${args[@]}"
  code=$?
  echo "::endgroup::"
  if [ "$code" -gt "$status" ]; then status=$code; fi
done
# one comment body for all drafts
cat "$out"/*.md > "$out/comment.md" 2>/dev/null || true
if [ -n "${GITHUB_OUTPUT:-}" ]; then
  {
    echo "sarif-dir=$out"
    echo "comment=$out/comment.md"
    echo "exit-code=$status"
  } >> "$GITHUB_OUTPUT"
fi
exit 0  # the last step of action.yml fails the job, after the reports are uploaded
