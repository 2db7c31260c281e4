"""Formatters over a `RunReport`: the JSON link report, a Markdown issue body, a summary.

The JSON follows shared DESIGN.md §3 field for field; `outage` and the `skipped` count are
added where the contract is silent.
"""

from __future__ import annotations

from typing import Any

from plnkit.kit.problems import display_path
from plnkit.links.types import Entry, Health, LinkState, RunReport

SUMMARY_STATES = (
    LinkState.OK, LinkState.REDIRECTED, LinkState.BLOCKED, LinkState.TRANSIENT, LinkState.BROKEN,
)  # fmt: skip


def to_json(report: RunReport) -> dict[str, Any]:
    summary = {state.value: report.count(state) for state in SUMMARY_STATES}
    summary["skipped"] = report.count(LinkState.SKIPPED)
    return {
        "generated_at": report.generated_at,
        "offline": report.offline,
        "outage": report.outage,
        "summary": summary,
        "results": [
            {
                "slug": e.use.slug,
                "url": e.url,
                "kind": e.use.kind,
                "state": e.result.state.value,
                "http_status": e.result.http_status,
                "final_url": e.result.final_url,
                "error": e.result.error,
                "health": e.health.value,
                "failures_in_a_row": e.failures_in_a_row,
                "first_failed_at": e.first_failed_at,
                "checked_at": e.result.checked_at,
                "embeddable": e.result.embeddable,
                "changed": e.changed,
            }
            for e in report.entries
        ],
    }


def problem_groups(report: RunReport) -> list[tuple[str, list[Entry]]]:
    """Entries needing a maintainer's eye, grouped by health, worst first."""
    dead = [e for e in report.entries if e.health is Health.DEAD]
    failing = [e for e in report.entries if e.health is Health.FAILING]
    moved = [
        e for e in report.entries
        if e.health is Health.HEALTHY and e.result.state is LinkState.REDIRECTED
    ]  # fmt: skip
    blocked = [
        e for e in report.entries
        if e.health is Health.HEALTHY and e.result.state is LinkState.BLOCKED
    ]  # fmt: skip
    changed = [e for e in report.entries if e.changed and e.health is not Health.DEAD]
    return [("May have changed hands", changed), ("Dead", dead), ("Failing", failing),
            ("Moved", moved), ("Blocked", blocked)]  # fmt: skip


def suggested_action(entry: Entry) -> str:
    """What a maintainer should do next, in one sentence."""
    result = entry.result
    if entry.changed and entry.health is not Health.DEAD:
        return (
            f"Open it in a browser ({entry.changed}). If it is still the resource, run "
            f"`plnkit verify {entry.use.slug} --by NAME`; if not, set `status: retired` "
            "with an `archive_url`."
        )
    if entry.health is Health.DEAD:
        copy = f" Archived copy: {entry.archive_url}" if entry.archive_url else ""
        return (
            "Open it by hand. If it is gone, find its new home or set `status: archived` "
            f"with an `archive_url`.{copy}"
        )
    if entry.health is Health.FAILING:
        if result.state is LinkState.BROKEN:
            return "Open it by hand; it is marked dead if it keeps failing for a week."
        return "Probably temporary; nothing to do unless it keeps failing for a week."
    if result.state is LinkState.REDIRECTED:
        return (
            f"Change `url:` to {result.suggested_url} "
            "(`plnkit check-links --fix-redirects` does it)."
        )
    if result.state is LinkState.BLOCKED:
        return "The site turns away automated checkers; check it in a browser once."
    return ""


def _cell(text: object) -> str:
    """A Markdown table cell that stays one cell: no pipes, no line breaks, no raw HTML."""
    value = "" if text is None else str(text)
    for old, new in (("\\", "\\\\"), ("|", "\\|"), ("<", "&lt;"), (">", "&gt;"), ("`", "'")):
        value = value.replace(old, new)
    return " ".join(value.split())


def _url_cell(url: str) -> str:
    return f"`{url.replace('`', '%60')}`"


def to_markdown(report: RunReport) -> str:
    """An issue body for maintainers: one table per health group."""
    lines = [f"# Link report, {report.generated_at[:10]}", ""]
    checked = sum(e.result.state is not LinkState.SKIPPED for e in report.entries)
    lines.append(
        f"{len(report.entries)} links in the kit, {checked} checked in this run "
        f"(generated {report.generated_at})."
    )
    lines.append("")
    if report.offline:
        lines += ["This run was offline: nothing was checked; health is from earlier runs.", ""]
    if report.outage:
        lines += [
            "> **Network outage:** most hosts could not be reached at all, so this run was "
            "not recorded. Health below is from earlier runs.",
            "",
        ]
    groups = [(title, entries) for title, entries in problem_groups(report) if entries]
    if not groups:
        lines.append(
            "No link is known to be failing."
            if report.outage or report.offline
            else "Every checked link works. Nothing to do."
        )
        return "\n".join(lines) + "\n"
    for title, entries in groups:
        lines += [f"## {title} ({len(entries)})", ""]
        lines.append("| Resource file | URL | Error | Since | Suggested action |")
        lines.append("|---|---|---|---|---|")
        for e in entries:
            since = (e.first_failed_at or "")[:10]
            kind = " (feed)" if e.use.kind == "feed" else ""
            lines.append(
                f"| {_cell(display_path(e.use.path))}{kind} | {_url_cell(e.url)} "
                f"| {_cell(e.changed or e.result.error)} | {since} | {_cell(suggested_action(e))} |"
            )
        lines.append("")
    return "\n".join(lines)


def summary_rows(report: RunReport) -> list[tuple[str, int]]:
    rows = [(state.value, report.count(state)) for state in (*SUMMARY_STATES, LinkState.SKIPPED)]
    rows += [(f"health: {h.value}", sum(e.health is h for e in report.entries)) for h in Health]
    return rows


def summary_text(report: RunReport) -> str:
    """The end-of-run summary as plain lines (CI logs)."""
    width = max(len(name) for name, _ in summary_rows(report))
    lines = [f"{name:<{width}}  {count}" for name, count in summary_rows(report)]
    for title, entries in problem_groups(report):
        for e in entries:
            lines.append(f"{title.lower():<8} {e.use.slug} {e.url} {e.result.error or ''}".rstrip())
    if report.outage:
        lines.append("network outage: most hosts were unreachable; nothing was recorded")
    lines.append(f"{report.requests} requests in {report.seconds:.2f} s")
    return "\n".join(lines)
