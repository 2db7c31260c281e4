#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Turn an approved "suggest a resource" issue into a pull request
# (.github/workflows/suggest-resource.yml). The issue's text is untrusted: it reaches this
# script only inside the event file, and only `plnkit from-issue` reads it.
#
#   scripts/open-suggestion-pr.sh EVENT_JSON
#
# Steps: plnkit from-issue writes and validates the resource file; the whole kit is validated
# and the site built offline (scripts/site-build.sh offline); the file is committed on the
# branch suggest/issue-N crediting the submitter, pushed, and a pull request opened (or
# updated); the issue gets a comment linking it. An invalid submission gets a comment saying
# what to fix, and the script fails.
#
# Environment: ISSUE_NUMBER, SUBMITTER (login), SUBMITTER_ID (optional, for the co-author
# address), BASE_BRANCH (default: main), GH_TOKEN for gh and git push.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
. "$here/lib.sh"

event=${1:?usage: scripts/open-suggestion-pr.sh EVENT_JSON}
issue=${ISSUE_NUMBER:?ISSUE_NUMBER is not set}
submitter=${SUBMITTER:?SUBMITTER is not set}
base=${BASE_BRANCH:-main}
[[ "$issue" =~ ^[0-9]+$ ]] || die "ISSUE_NUMBER must be a number, got '$issue'"
[[ "$submitter" =~ ^[A-Za-z0-9-]+(\[bot\])?$ ]] || die "SUBMITTER is not a GitHub login: '$submitter'"
[[ "${SUBMITTER_ID:-}" =~ ^[0-9]*$ ]] || die "SUBMITTER_ID must be a number"
[ -f "$event" ] || die "no event file at $event"
has_command from-issue ||
  die "this version of plnkit has no from-issue command, so issue #$issue cannot become a resource file"
mkdir -p "$REPORT_DIR"

step "Turn issue #$issue into a resource file"
output=$REPORT_DIR/from-issue.txt
status=0
# Into the kit mkdocs.yml builds: a fork's own folder (extra_kit_dirs) when it has one.
"$PLNKIT" from-issue "$event" --submitter "$submitter" ${KIT_DIR:+--kit "$KIT_DIR"} \
  >"$output" 2>&1 || status=$?
cat "$output" >&2
end_step
if [ "$status" -ne 0 ]; then
  comment=$REPORT_DIR/from-issue-comment.md
  {
    printf 'Thank you for the suggestion, @%s! It could not become a resource file yet:\n\n' "$submitter"
    # In a fenced block no quoted @mention or #reference acts; the fence is longer than any
    # run of backticks in the text, so the text cannot close it.
    head -c 20000 "$output" >"$output.head"
    "$PYTHON" -m plnkit.edit.pr_text fence "$output.head"
    printf '\nPlease edit the issue to fix these. A maintainer can then remove and add '
    printf "the \`approved\` label again.\n"
  } >"$comment"
  gh issue comment "$issue" --body-file "$comment"
  die "the suggestion in issue #$issue is not valid (plnkit from-issue exit $status)"
fi
path=$(tail -n 1 "$output")
case "$path" in
  /* | *..* | "") die "plnkit from-issue did not name a file inside the kit (last line: '$path')" ;;
esac
[ -f "$path" ] || die "plnkit from-issue named $path, but there is no such file"

# The same validation and strict offline build as every pull request.
"$here/site-build.sh" offline --site-dir "$REPORT_DIR/site"

# The submitted name is untrusted text: in the title and body it is inline code, where
# GitHub's closing keywords, @mentions and #references do nothing (plnkit.edit.pr_text); the
# commit message, plain text, names the file's slug (letters, digits and hyphens) instead.
name=$("$PYTHON" -m plnkit.edit.pr_text name "$path")
slug=$(basename "$path" .yml)
[[ "$slug" =~ ^[a-z0-9]+(-[a-z0-9]+)*$ ]] || die "unexpected file name: $path"

step "Commit on a branch and open the pull request"
branch="suggest/issue-$issue"
noreply="${SUBMITTER_ID:+$SUBMITTER_ID+}$submitter@users.noreply.github.com"
git config user.name "github-actions[bot]"
git config user.email "41898282+github-actions[bot]@users.noreply.github.com"
git switch --force-create "$branch"
git add -- "$path"
git commit --quiet \
  -m "Add $slug (suggested in #$issue)" \
  -m "Suggested by @$submitter in #$issue and approved by a maintainer." \
  -m "Co-authored-by: $submitter <$noreply>"
if [ -n "${GH_TOKEN:-}" ]; then gh auth setup-git; fi
git push --force origin "HEAD:refs/heads/$branch"

body=$REPORT_DIR/suggestion-pr.md
cat >"$body" <<MD
Adds $name (\`$path\`), suggested by @$submitter in #$issue.

Closes #$issue

The "Suggest a resource" workflow opened this pull request after it had:

- turned the issue form into \`$path\` with \`plnkit from-issue\`,
- validated the whole kit with \`plnkit validate\`, and
- built the site offline with \`mkdocs build --strict\`,

the same commands the pull-request checks run. Pull requests opened with a workflow's
GITHUB_TOKEN start no other workflow, so those checks have not run here on their own: this
workflow validated and built it instead. To run them too, close and reopen this pull request.
MD

existing=$(gh pr list --head "$branch" --state open --json number,url | "$PYTHON" -c '
import json, sys
prs = json.load(sys.stdin)
print(prs[0]["number"], prs[0]["url"]) if prs else None
')
if [ -n "$existing" ]; then
  url=${existing#* }
  gh pr edit "${existing%% *}" --title "Add $name" --body-file "$body"
else
  url=$(gh pr create --base "$base" --head "$branch" --title "Add $name" --body-file "$body" | tail -n 1)
fi
end_step
gh issue comment "$issue" --body "Thank you, @$submitter! Your suggestion is now pull request $url, validated and built. A maintainer will review and merge it."
say "opened $url for issue #$issue"
