"""The words plnkit renders, in the site's language: gettext catalogues read through Babel.

Every label, sentence and date on a generated page goes through `_` (or `ngettext`,
`format_date`) here. The language is the site's: `theme.language` in mkdocs.yml, or the plugin's
`language` option, so a fork in French gets French pages from one line. Catalogues live in
`plnkit/locale/<language>/LC_MESSAGES/plnkit.po`, compiled to `.mo` beside them
(CONTRIBUTING.md: `make messages`). A language without a catalogue renders English.

The build picks the language once (`using`); the render functions read it from a context
variable, so they keep their signatures and stay free of I/O beyond reading a catalogue once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.dates import format_date as _babel_format_date
from babel.numbers import format_decimal
from babel.support import NullTranslations, Translations

DOMAIN = "plnkit"
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
DEFAULT_LANGUAGE = "en"
ENGLISH_DATES = "en_GB"


@dataclass(frozen=True)
class Catalogue:
    """One language's messages and its Babel locale (for dates)."""

    language: str
    translations: NullTranslations
    locale: Locale

    @property
    def has_catalogue(self) -> bool:
        return isinstance(self.translations, Translations)


def normalize(language: str | None) -> str:
    """A language code as gettext looks it up.

    >>> normalize("pt-BR"), normalize(None), normalize(" FR ")
    ('pt_BR', 'en', 'fr')
    """
    text = (language or DEFAULT_LANGUAGE).strip().replace("-", "_")
    head, _sep, tail = text.partition("_")
    return f"{head.lower()}_{tail.upper()}" if tail else head.lower()


@cache
def catalogue(language: str | None) -> Catalogue:
    """The catalogue for `language`, falling back from `fr_CA` to `fr`, then to English."""
    code = normalize(language)
    found = Translations.load(str(LOCALE_DIR), [code], domain=DOMAIN)
    try:
        # English dates read "3 December 2026", as the kit has always written them.
        locale = Locale.parse(ENGLISH_DATES if code == DEFAULT_LANGUAGE else code)
    except (UnknownLocaleError, ValueError):
        locale = Locale.parse(ENGLISH_DATES)
    return Catalogue(code, found, locale)


def available_languages() -> tuple[str, ...]:
    """The languages shipped with a compiled catalogue, English first."""
    found = sorted(p.parent.parent.name for p in LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.mo"))
    return (DEFAULT_LANGUAGE, *(code for code in found if code != DEFAULT_LANGUAGE))


_current: ContextVar[Catalogue | None] = ContextVar("plnkit_catalogue", default=None)


def current() -> Catalogue:
    return _current.get() or catalogue(DEFAULT_LANGUAGE)


@contextmanager
def using(language: str | None) -> Iterator[Catalogue]:
    """Render in `language` inside the block (the build wraps its rendering in this)."""
    token = _current.set(catalogue(language))
    try:
        yield current()
    finally:
        _current.reset(token)


def _(message: str) -> str:
    """`message` in the current language."""
    return current().translations.gettext(message)


def N_(message: str) -> str:
    """Marks `message` for the catalogue where it is defined; `_` translates it where used."""
    return message


def ngettext(singular: str, plural: str, count: int) -> str:
    """The form of a message that fits `count`, in the current language."""
    return current().translations.ngettext(singular, plural, count)


def format_date(value: str | dt.date | dt.datetime | None) -> str:
    """A date as readers of the current language write it (`12 mars 2026`, `12 March 2026`).

    Takes an ISO text (as the state store keeps dates) and shows it unchanged when it is none.
    """
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value[:10])
        except ValueError:
            return value
    if isinstance(value, dt.datetime):
        value = value.date()
    return _babel_format_date(value, format="long", locale=current().locale)


def format_number(value: int) -> str:
    """A count as readers of the current language write it (`12,500`; `12 500` in French)."""
    return format_decimal(value, locale=current().locale)
