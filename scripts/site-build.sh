#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Build the site the way the workflows do. The deploy, pull-request, suggestion and release
# workflows all call this script, and the test suite runs it too.
#
#   scripts/site-build.sh deploy                  validate, check every link, fetch feeds, build
#   scripts/site-build.sh pull-request --changed-since REV
#                                                 validate, check the links of resources changed
#                                                 since REV (a new address that is broken fails
#                                                 the run), build with no network
#   scripts/site-build.sh offline                 validate and build with no network
#
# Options: --site-dir DIR (default: site), --config FILE (default: mkdocs.yml),
#          --for-files (a site that works opened from disk: mkdocs-material's offline plugin).
# Every build is `mkdocs build --strict` (or, with PLNKIT_ENGINE=properdocs|zensical, `plnkit build
# --engine ENGINE`, as strict): a warning fails it. Validation, link checks and feeds
# work on the kit the config builds: its kit_dir plus a fork's extra_kit_dirs, minus `exclude`
# (PLNKIT_KIT=DIR names one kit folder instead).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
. "$here/lib.sh"

usage() {
  show_usage "${BASH_SOURCE[0]}"
  exit 2
}

mode=${1:-}
[ -n "$mode" ] || usage
shift
site_dir=site
config=mkdocs.yml
changed_since=
for_files=
while [ $# -gt 0 ]; do
  case "$1" in
    --site-dir) site_dir=${2:?--site-dir needs a folder}; shift 2 ;;
    --config) config=${2:?--config needs a file}; shift 2 ;;
    --changed-since) changed_since=${2:?--changed-since needs a git revision}; shift 2 ;;
    --for-files) for_files=1; shift ;;
    -h | --help) usage ;;
    *) say "unknown option: $1"; usage ;;
  esac
done
case "$mode" in
  deploy | offline) ;;
  pull-request) [ -n "$changed_since" ] || die "pull-request mode needs --changed-since REV" ;;
  *) say "unknown mode: $mode"; usage ;;
esac
mkdir -p "$REPORT_DIR"
if [ -n "$KIT_DIR" ]; then kit_args=("$KIT_DIR"); else kit_args=(--config "$config"); fi

validate() {
  step "Validate the kit (${KIT_DIR:-as $config builds it})"
  local format=text
  if in_actions; then format=github; fi
  # A pull request's checkout could bring a kit cache of its own: check every file afresh.
  local -a cache_args=()
  if [ "$mode" = pull-request ]; then cache_args=(--no-cache); fi
  "$PLNKIT" validate --format "$format" "${cache_args[@]}" "${kit_args[@]}"
  end_step
}

# check_links [--changed-since REV]: exit 1 from plnkit means a link is newly dead.
check_links() {
  if ! has_command check-links; then
    notice "skipped the link check: this version of plnkit has no check-links command"
    return 0
  fi
  step "Check links${1:+ of resources changed since $2}"
  local status=0
  "$PLNKIT" check-links "${kit_args[@]}" "$@" \
    --json "$REPORT_DIR/links.json" --markdown "$REPORT_DIR/links.md" || status=$?
  end_step
  add_to_summary "$REPORT_DIR/links.md"
  case "$status" in
    0) ;;
    1)
      if [ "$mode" = pull-request ]; then
        die "a link in this pull request is broken or dead; see the messages above"
      fi
      # The site shows dead links and the weekly report opens an issue: keep publishing.
      warn "some links are newly dead; the site marks them and the weekly link report lists them"
      ;;
    *) die "plnkit check-links failed (exit $status)" ;;
  esac
}

fetch_feeds() {
  if ! has_command fetch-feeds; then
    notice "skipped fetching feeds: this version of plnkit has no fetch-feeds command"
    return 0
  fi
  step "Fetch feeds"
  local status=0
  "$PLNKIT" fetch-feeds "${kit_args[@]}" || status=$?
  end_step
  case "$status" in
    0) ;;
    1) warn "no feed could be fetched this time; the site keeps the posts it had" ;;
    *) die "plnkit fetch-feeds failed (exit $status)" ;;
  esac
}

build() {
  step "Build the site into $site_dir"
  local -a env_vars=()
  if [ "$mode" != deploy ]; then env_vars+=(PLNKIT_OFFLINE=1); fi
  if [ -n "$for_files" ]; then env_vars+=(PLNKIT_FOR_FILES=true); fi
  # PLNKIT_ENGINE=properdocs|zensical (README: "Choosing an engine") builds the same site with
  # another engine through `plnkit build`; the default, and the --for-files copy, use MkDocs.
  local engine=${PLNKIT_ENGINE:-mkdocs}
  if [ "$engine" != mkdocs ] && [ -z "$for_files" ]; then
    env "${env_vars[@]}" "$PLNKIT" build --engine "$engine" --config "$config" --site-dir "$site_dir"
  else
    env "${env_vars[@]}" "$MKDOCS" build --strict --config-file "$config" --site-dir "$site_dir"
  fi
  end_step
  [ -f "$site_dir/index.html" ] || die "the build wrote no $site_dir/index.html"
}

validate
case "$mode" in
  deploy)
    check_links
    fetch_feeds
    ;;
  pull-request)
    # An address the pull request adds or changes is judged at once (it has no history):
    # broken is an error on its file's url: line, a passing failure a warning.
    format=text
    if in_actions; then format=github; fi
    check_links --changed-since "$changed_since" --fail-on-new-broken --format "$format"
    ;;
  offline) ;;
esac
build
say "built $site_dir ($mode)"
