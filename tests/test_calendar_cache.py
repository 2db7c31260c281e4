"""calendar.ics kept between builds: the same bytes as made afresh, made again on any change."""

from __future__ import annotations

import dataclasses
import datetime as dt
import doctest
from pathlib import Path

import pytest

from plnkit.exports import calendar_cache, ics
from plnkit.exports.calendar_cache import cached_calendar
from plnkit.exports.ics import schedule_calendar
from plnkit.model import Kit
from tests.test_ics_lines import series_kit

NOW = dt.datetime(2026, 11, 29, 12, 30, 15, 123456, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def kit(tmp_path_factory: pytest.TempPathFactory) -> Kit:
    return series_kit(tmp_path_factory.mktemp("series"))


@pytest.fixture
def made(monkeypatch: pytest.MonkeyPatch) -> list[dt.datetime]:
    """When the calendar was really made (the real function, counted)."""
    calls: list[dt.datetime] = []
    real = ics.schedule_calendar

    def counted(kit_: Kit, now: dt.datetime, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(now)
        return real(kit_, now, **kwargs)

    monkeypatch.setattr(calendar_cache, "schedule_calendar", counted)
    return calls


def test_a_kept_calendar_is_the_calendar(kit: Kit, tmp_path: Path, made: list) -> None:
    first = cached_calendar(kit, NOW, tmp_path)
    later = NOW + dt.timedelta(hours=3, seconds=7)
    second = cached_calendar(kit, later, tmp_path)
    assert len(made) == 1, "the second build reused the kept text"
    assert first == schedule_calendar(kit, NOW)
    assert second == schedule_calendar(kit, later)
    assert b"DTSTAMP:20261129T153022Z" in second


def test_a_changed_series_or_a_new_day_makes_it_again(
    kit: Kit,
    tmp_path: Path,
    made: list,
) -> None:
    cached_calendar(kit, NOW, tmp_path)
    resource = next(r for r in kit.resources if r.schedule)
    changed = dataclasses.replace(
        resource, schedule=dataclasses.replace(resource.schedule, time="06:45")
    )
    other = dataclasses.replace(
        kit, resources=tuple(changed if r is resource else r for r in kit.resources)
    )
    assert cached_calendar(other, NOW, tmp_path) == schedule_calendar(other, NOW)
    tomorrow = NOW + dt.timedelta(days=1)
    assert cached_calendar(other, tomorrow, tmp_path) == schedule_calendar(other, tomorrow)
    assert len(made) == 3


def test_without_a_store_nothing_is_kept(kit: Kit, tmp_path: Path) -> None:
    assert cached_calendar(kit, NOW, tmp_path / "none") == schedule_calendar(kit, NOW)
    assert not (tmp_path / "none").exists()


def test_docstring_examples() -> None:
    assert doctest.testmod(calendar_cache).failed == 0
