#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# The sharded link check (.github/workflows/link-check-sharded.yml), one step per command:
#   scripts/link-shards.sh plan N        write `count=N` and `shards=[1,...,N]` (JSON) to
#                                        $GITHUB_OUTPUT (or stdout), for the job matrix
#   scripts/link-shards.sh check K/N     check the links and fetch the feeds of the hosts of
#                                        shard K of N; the shard files go to $REPORT_DIR/shards
#   scripts/link-shards.sh merge DIR     merge every shard file under DIR into the state store,
#                                        then update the "Link health report" issue
#                                        (scripts/link-report.sh --from-report)
# N is 1 to 256 (GitHub runs at most 256 jobs of one matrix).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
. "$here/lib.sh"

command=${1:-}
case "$command" in
  plan)
    count=${2:?plan needs the number of shards}
    [[ "$count" =~ ^[0-9]+$ ]] && [ "$count" -ge 1 ] && [ "$count" -le 256 ] ||
      die "the number of shards must be a whole number from 1 to 256, not '$count'"
    list=$(seq -s, 1 "$count")
    out=${GITHUB_OUTPUT:-/dev/stdout}
    printf 'count=%s\nshards=[%s]\n' "$count" "$list" >>"$out"
    say "planned $count shards"
    ;;
  check)
    shard=${2:?check needs the shard, K/N}
    [[ "$shard" =~ ^[0-9]+/[0-9]+$ ]] || die "a shard is written K/N, not '$shard'"
    label=${shard/\//-of-}
    mkdir -p "$REPORT_DIR/shards"
    step "Check the links of shard $shard"
    status=0
    "$PLNKIT" check-links ${KIT_DIR:+"$KIT_DIR"} --shard "$shard" \
      --shard-file "$REPORT_DIR/shards/links-$label.json" || status=$?
    end_step
    # 1 only means a link is newly dead: the merge job reports it.
    [ "$status" -le 1 ] || die "plnkit check-links failed (exit $status)"
    step "Fetch the feeds of shard $shard"
    status=0
    "$PLNKIT" fetch-feeds ${KIT_DIR:+"$KIT_DIR"} --shard "$shard" \
      --shard-file "$REPORT_DIR/shards/feeds-$label.json" || status=$?
    end_step
    # 1 is every feed of the shard failing: its records are unchanged; not the links' fault.
    [ "$status" -le 1 ] || die "plnkit fetch-feeds failed (exit $status)"
    ;;
  merge)
    dir=${2:?merge needs the folder of shard files}
    mapfile -t files < <(find "$dir" -name '*.json' -type f | sort)
    [ "${#files[@]}" -gt 0 ] || die "no shard file under $dir"
    mkdir -p "$REPORT_DIR"
    step "Merge ${#files[@]} shard files into the state store"
    status=0
    "$PLNKIT" merge-state "${files[@]}" --json "$REPORT_DIR/links.json" \
      --markdown "$REPORT_DIR/links.md" || status=$?
    end_step
    [ "$status" -le 1 ] || die "plnkit merge-state failed (exit $status)"
    "$here/link-report.sh" --from-report "$REPORT_DIR/links.json" "$REPORT_DIR/links.md"
    ;;
  *) show_usage "${BASH_SOURCE[0]}"; exit 2 ;;
esac
