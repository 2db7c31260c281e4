"""Parked and for-sale pages are recognised; real pages are not (cases in tests/parking/)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from plnkit.links.fingerprint import Fingerprint, change_of_hands, fingerprint

CASES = sorted((Path(__file__).parent / "parking").glob("*.html"))
HEADER = re.compile(r"<!-- url: (\S+) -->\n<!-- expect: (parked|not parked) -->\n")


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_parking_case(case: Path) -> None:
    text = case.read_text(encoding="utf-8")
    header = HEADER.match(text)
    assert header, f"{case.name} needs the url and expect lines"
    url, expected = header.groups()
    found = fingerprint(url, text.encode("utf-8"))
    assert (found.parked is not None) == (expected == "parked"), (case.name, found)


def test_there_are_cases_of_both_kinds() -> None:
    verdicts = [HEADER.match(c.read_text(encoding="utf-8")).group(2) for c in CASES]
    assert verdicts.count("parked") >= 4 and verdicts.count("not parked") >= 2


@pytest.mark.parametrize(
    ("resource_url", "before", "now", "why"),
    [
        ("https://www.example.org/", None, Fingerprint("example.org", "Home"), None),
        ("https://example.org/", Fingerprint("example.org", "TL Café | Home"),
         Fingerprint("example.org", "TL Café – webinars"), None),
        ("https://example.org/", Fingerprint("example.org", "TL Virtual Café"),
         Fingerprint("example.org", "Best Online Casino Bonuses 2026"), "title changed"),
        ("https://example.org/", None, Fingerprint("example.com", "Home"),
         "another site (example.com)"),
        ("https://example.org/", None, Fingerprint("example.org", "x", parked="for sale"),
         "for sale"),
    ],
)  # fmt: skip
def test_change_of_hands(
    resource_url: str, before: Fingerprint | None, now: Fingerprint, why: str | None
) -> None:
    found = change_of_hands(resource_url, before, now)
    assert (found is None) if why is None else (found is not None and why in found)
