#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# The weekly link report (.github/workflows/link-report.yml): check every link, then keep ONE
# GitHub issue titled "Link health report" in step with the result, using the gh CLI:
#   - something failing or dead: create the issue, or update (and reopen) the existing one,
#     with the Markdown report as its body;
#   - all well: close the open issue with a comment; never open one.
# A run that was offline or hit a network outage changes nothing.
#
#   scripts/link-report.sh                         run plnkit check-links, then update the issue
#   scripts/link-report.sh --from-report JSON MD   post a report written earlier
#
# gh needs GH_TOKEN (issues: write) and, outside a checkout of the repository, GH_REPO.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
. "$here/lib.sh"

TITLE="Link health report"
MAX_BODY=60000 # GitHub refuses issue bodies over 65,536 characters

json=
markdown=
case "${1:-}" in
  "") ;;
  --from-report)
    json=${2:?--from-report needs the JSON report and the Markdown report}
    markdown=${3:?--from-report needs the JSON report and the Markdown report}
    ;;
  *) show_usage "${BASH_SOURCE[0]}"; exit 2 ;;
esac
mkdir -p "$REPORT_DIR"

if [ -z "$json" ]; then
  if ! has_command check-links; then
    notice "skipped the link report: this version of plnkit has no check-links command"
    exit 0
  fi
  json=$REPORT_DIR/links.json
  markdown=$REPORT_DIR/links.md
  step "Check every link"
  status=0
  # The kit mkdocs.yml builds (a fork's own folders too), or PLNKIT_KIT's folder.
  "$PLNKIT" check-links ${KIT_DIR:+"$KIT_DIR"} --json "$json" --markdown "$markdown" || status=$?
  end_step
  # 1 only means a link is newly dead: that is what the report is for.
  [ "$status" -le 1 ] || die "plnkit check-links failed (exit $status)"
fi
[ -s "$json" ] || die "no link report at $json"
add_to_summary "$markdown"

# One line: "skip REASON", "healthy", or "unhealthy DEAD FAILING CHECKED_AT".
verdict=$("$PYTHON" - "$json" <<'PY'
import json, sys
try:
    with open(sys.argv[1], encoding="utf-8") as f:
        report = json.load(f)
    results = report["results"]
except (OSError, ValueError, KeyError, TypeError) as err:
    sys.exit(f"the link report {sys.argv[1]} is not readable: {err}")
if report.get("offline"):
    print("skip the check ran offline")
elif report.get("outage"):
    print("skip the check ran during a network outage")
else:
    health = [r.get("health") for r in results if isinstance(r, dict)]
    dead, failing = health.count("dead"), health.count("failing")
    when = str(report.get("generated_at") or "")[:10] or "today"
    print(f"unhealthy {dead} {failing} {when}" if dead or failing else f"healthy {when}")
PY
)
read -r state rest <<<"$verdict"
if [ "$state" = skip ]; then
  notice "no change to the link health issue: $rest"
  exit 0
fi

# The issue this report owns: the open one with exactly this title, else the newest closed one.
issue=$(gh issue list --state all --search "\"$TITLE\" in:title" --limit 50 \
  --json number,state,title | "$PYTHON" -c '
import json, sys
title = sys.argv[1]
issues = [i for i in json.load(sys.stdin) if i.get("title") == title]
issues.sort(key=lambda i: (i.get("state") != "OPEN", -int(i["number"])))
if issues:
    print(issues[0]["number"], issues[0]["state"])
' "$TITLE")
number=${issue%% *}
issue_state=${issue#* }

run_url="${GITHUB_SERVER_URL:-https://github.com}/${GITHUB_REPOSITORY:-}/actions/runs/${GITHUB_RUN_ID:-}"
if [ "$state" = healthy ]; then
  when=$rest
  if [ -n "$issue" ] && [ "$issue_state" = OPEN ]; then
    gh issue close "$number" --comment "All links are healthy as of $when ([link check]($run_url)). Closing; the weekly check reopens this issue when a link fails again."
    say "closed issue #$number: all links are healthy"
  else
    say "all links are healthy; no issue to open or close"
  fi
  exit 0
fi

read -r dead failing when <<<"$rest"
body=$REPORT_DIR/link-issue.md
{
  printf '_Updated %s by the weekly [link check](%s): %s dead, %s failing. ' \
    "$when" "$run_url" "$dead" "$failing"
  printf 'This issue closes itself when every link is healthy again._\n\n'
  if [ -s "$markdown" ]; then
    head -c "$MAX_BODY" "$markdown"
    if [ "$(wc -c <"$markdown")" -gt "$MAX_BODY" ]; then
      printf '\n\n_The report is cut here; the whole report is in the run above._\n'
    fi
  else
    printf 'The Markdown report is missing; see the run above.\n'
  fi
} >"$body"

if [ -z "$issue" ]; then
  gh issue create --title "$TITLE" --body-file "$body"
  say "opened the link health issue: $dead dead, $failing failing"
else
  if [ "$issue_state" != OPEN ]; then
    gh issue reopen "$number" --comment "Some links are failing again ($when)."
  fi
  gh issue edit "$number" --body-file "$body"
  say "updated issue #$number: $dead dead, $failing failing"
fi
