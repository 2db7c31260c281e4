# shellcheck shell=bash
# Helpers shared by the workflow scripts; source it, don't run it.
#
# Each workflow step that does real work is one of the scripts beside this file, and the test
# suite runs the same scripts, so a green test run means the workflows' commands work.

# shellcheck disable=SC2034 # the scripts that source this file use these
PLNKIT=${PLNKIT:-plnkit}
MKDOCS=${MKDOCS:-mkdocs}
PYTHON=${PYTHON:-python3}
# Empty: plnkit takes the kit mkdocs.yml builds (kit_dir, a fork's extra_kit_dirs, exclude).
KIT_DIR=${PLNKIT_KIT:-}
REPORT_DIR=${PLNKIT_REPORT_DIR:-build/reports}

in_actions() { [ "${GITHUB_ACTIONS:-}" = "true" ]; }

# Progress lines go to stderr, so stdout stays free for results a caller reads. In Actions,
# workflow commands (::group::, ::warning::, ::error::) go to stdout, where the runner reads them.
say() { printf '%s\n' "$*" >&2; }
# The message is escaped as GitHub asks, so no text can start a command of its own.
actions_command() {
  local message=${2:-}
  message=${message//'%'/%25}
  message=${message//$'\r'/%0D}
  message=${message//$'\n'/%0A}
  printf '::%s::%s\n' "$1" "$message"
}
die() {
  if in_actions; then actions_command error "$*"; else say "error: $*"; fi
  exit 1
}
warn() { if in_actions; then actions_command warning "$*"; else say "warning: $*"; fi; }
notice() { if in_actions; then actions_command notice "$*"; else say "note: $*"; fi; }
step() { if in_actions; then actions_command group "$*"; else say "==> $*"; fi; }
end_step() { if in_actions; then actions_command endgroup; fi; }

# True when this plnkit has the sub-command. Features land from parallel work; a script skips a
# step whose command is missing and says so, rather than pretending it ran.
has_command() { "$PLNKIT" "$1" --help >/dev/null 2>&1; }

# Append a Markdown file to the run's summary page (Actions only).
add_to_summary() {
  if [ -n "${GITHUB_STEP_SUMMARY:-}" ] && [ -s "$1" ]; then
    cat "$1" >>"$GITHUB_STEP_SUMMARY"
  fi
}

# Print the comment block at the top of a script: its usage.
show_usage() {
  awk 'NR > 1 && /^# shellcheck/ { next } NR > 1 && /^#/ { sub(/^# ?/, ""); print; next }
       NR > 1 { exit }' "$1" >&2
}
