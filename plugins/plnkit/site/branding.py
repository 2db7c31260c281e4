"""An association's identity on the site: name, logo, favicon, colours, footer, intro, contact.

All of it is read from kit/binder.yml, the one file a fork rewrites (`plnkit init`), and applied
to the MkDocs configuration when the site is built. Unknown colours or a missing logo are logged
as warnings, so `mkdocs build --strict` stops on them with the file and key named.
"""

from __future__ import annotations

import logging

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import markdown as markdown_lib
from markupsafe import Markup

from plnkit.kit.model import Binder
from plnkit.render.i18n import _, using
from plnkit.render.text import esc, sanitize


# Material for MkDocs' named colours (docs: setup/changing-the-colors).
PRIMARY_COLORS = (
    "red", "pink", "purple", "deep purple", "indigo", "blue", "light blue", "cyan", "teal",
    "green", "light green", "lime", "yellow", "amber", "orange", "deep orange", "brown", "grey",
    "blue grey", "black", "white",
)  # fmt: skip
ACCENT_COLORS = PRIMARY_COLORS[:16]
LOGO_SUFFIXES = (".png", ".svg", ".jpg", ".jpeg", ".webp", ".gif")
FAVICON_SUFFIXES = (".png", ".svg", ".ico")
BINDER_FILE = "kit/binder.yml"

INTRO_MARKER = "<!-- plnkit:intro -->"
CONTACT_MARKER = "<!-- plnkit:contact -->"
EMAIL = re.compile(r"^[^@\s/:]+@[^@\s/:]+\.[^@\s/:]+$")


@dataclass(frozen=True)
class Branding:
    """What a binder says about how its site looks; empty strings mean "keep the default"."""

    name: str
    short_name: str = ""
    description: str = ""
    logo: str = ""
    primary: str = ""
    accent: str = ""
    contact: str = ""
    copyright: str = ""  # the footer line
    favicon: str = ""  # a file inside docs/; the logo stands in when there is none


Log = logging.Logger | logging.LoggerAdapter


def branding_of(binder: Binder) -> tuple[Branding, list[str]]:
    """The binder's branding and a message for each value that cannot be used."""
    problems: list[str] = []
    extra: Mapping[str, Any] = binder.extra
    colors = extra.get("colors") or {}
    if not isinstance(colors, Mapping):
        problems.append("`colors` must be a mapping like {primary: teal, accent: amber}")
        colors = {}
    picked: dict[str, str] = {}
    for key, allowed in (("primary", PRIMARY_COLORS), ("accent", ACCENT_COLORS)):
        value = str(colors.get(key) or "").strip().lower()
        if value and value not in allowed:
            problems.append(
                f"`colors.{key}` is {value!r}, which is not a Material for MkDocs colour; "
                f"use one of: {', '.join(allowed)}"
            )
            value = ""
        picked[key] = value
    logo = _docs_file(extra, "logo", LOGO_SUFFIXES, problems)
    favicon = _docs_file(extra, "favicon", FAVICON_SUFFIXES, problems)
    copyright_line = extra.get("copyright") or ""
    if not isinstance(copyright_line, str):
        problems.append('`copyright` must be one line of text, like "© 2026 Buckeye Librarians"')
        copyright_line = ""
    return (
        Branding(
            name=binder.title,
            short_name=binder.short_title,
            description=binder.description,
            logo=logo,
            primary=picked["primary"],
            accent=picked["accent"],
            contact=binder.contact,
            copyright=copyright_line.strip(),
            favicon=favicon,
        ),
        problems,
    )


def _docs_file(
    extra: Mapping[str, Any], key: str, suffixes: tuple[str, ...], problems: list[str]
) -> str:
    """A binder value naming an image inside docs/, or "" after saying why it cannot be."""
    value = str(extra.get(key) or "").strip()
    if value and (value.startswith(("/", "\\")) or ".." in Path(value).parts or ":" in value):
        problems.append(
            f"`{key}` must be a file inside docs/, like assets/{key}.png; got {value!r}"
        )
        return ""
    if value and Path(value).suffix.lower() not in suffixes:
        problems.append(f"`{key}` must be an image ({', '.join(suffixes)}); got {value!r}")
        return ""
    return value


def contact_link(contact: str) -> str | None:
    """Where a reader's "contact" link goes: a web address or an email address, else None.

    >>> contact_link("info@example.org"), contact_link("https://example.org/contact")
    ('mailto:info@example.org', 'https://example.org/contact')
    >>> contact_link("javascript:alert(1)") is None
    True
    """
    text = contact.strip()
    if text.lower().startswith("mailto:"):
        text = text[len("mailto:") :]
    if EMAIL.match(text):
        return f"mailto:{text}"
    if re.match(r"^https?://[^\s\"'<>]+$", text, re.IGNORECASE):
        return text
    return None


def apply_branding(config: Any, binder: Binder, log: Log) -> Branding:
    """Put the binder's name, colours, logo and contact into the site's configuration (the
    `mkdocs.yml` settings every supported engine reads); problems go to the engine's `log`."""
    branding, problems = branding_of(binder)
    for problem in problems:
        log.warning("%s: %s", BINDER_FILE, problem)
    # Themes print these unescaped in some places and with `| e` in others: as Markup they are
    # escaped once, everywhere.
    config["site_name"] = Markup.escape(branding.name)
    if branding.description:
        config["site_description"] = Markup.escape(branding.description)
    if not config.get("site_url") and binder.site_url:
        config["site_url"] = binder.site_url
    theme = config["theme"]
    if branding.primary or branding.accent:
        palette = theme.get("palette") or {}
        schemes = [palette] if isinstance(palette, Mapping) else list(palette)
        recoloured = []
        for scheme in schemes or [{}]:
            scheme = dict(scheme)
            if branding.primary:
                scheme["primary"] = branding.primary
            if branding.accent:
                scheme["accent"] = branding.accent
            recoloured.append(scheme)
        theme["palette"] = recoloured if not isinstance(palette, Mapping) else recoloured[0]
    if branding.copyright:
        config["copyright"] = Markup.escape(branding.copyright)
    docs = Path(config["docs_dir"])
    for key, value in (("logo", branding.logo), ("favicon", branding.favicon)):
        if value and not (docs / value).is_file():
            log.warning(
                "%s: `%s` names %s, but there is no such file in the docs folder",
                BINDER_FILE,
                key,
                value,
            )
    if branding.logo and (docs / branding.logo).is_file():
        theme["logo"] = branding.logo
        theme["favicon"] = branding.logo
    if branding.favicon and (docs / branding.favicon).is_file():
        theme["favicon"] = branding.favicon
    link = contact_link(branding.contact)
    if link:
        extra = config["extra"]
        social = [s for s in extra.get("social") or [] if s.get("link") != link]
        icon = "material/email" if link.startswith("mailto:") else "material/web"
        title = _("Contact {name}").format(name=branding.short_name or branding.name)
        extra["social"] = [*social, {"icon": icon, "link": link, "name": title}]
    elif branding.contact:
        log.warning(
            "%s: `contact` must be a web address or an email address; got %r",
            BINDER_FILE,
            branding.contact,
        )
    return branding


def fill_markers(markdown: str, binder: Binder, language: str = "en") -> str:
    """Replace the home page's markers with the binder's intro and contact line.

    A fork changes its intro in kit/binder.yml and never edits docs/index.md, so upstream
    changes to the home page merge cleanly. Text from binder.yml is sanitized like any kit text.
    """
    if INTRO_MARKER in markdown:
        intro = sanitize(_markdown_html(binder.intro), block=True) if binder.intro else ""
        # One line of HTML: Markdown passes a raw block through untouched up to a blank line.
        intro = intro.replace("\n", " ")
        markdown = markdown.replace(INTRO_MARKER, f'<div class="plnkit-intro">{intro}</div>')
    if CONTACT_MARKER in markdown:
        link = contact_link(binder.contact)
        line = ""
        if link:
            with using(language):
                who = esc(_("Contact {name}").format(name=binder.short_title or binder.title))
                ask = esc(_("Questions or suggestions?"))
            line = f'<p class="plnkit-contact">{ask} <a href="{esc(link)}">{who}</a>.</p>'
        markdown = markdown.replace(CONTACT_MARKER, line)
    return markdown


def _markdown_html(text: str) -> str:
    return markdown_lib.markdown(text, output_format="html")
