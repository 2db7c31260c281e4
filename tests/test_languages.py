"""Another language: every word plnkit renders comes from a catalogue, and a site in French or
Spanish keeps no English label."""

from __future__ import annotations

import datetime as dt
import re
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from plnkit.feeds.view import FeedView, Post
from plnkit.kit.loader import load_kit
from plnkit.links.view import LinkView
from plnkit.render import i18n
from plnkit.render.contribute import Contribute, edit_link, suggest_link
from plnkit.render.head import PageHead, head_tags
from plnkit.render.pages import RenderOptions, nav, site_pages
from plnkit.render.state import SiteState
from plnkit.render.subscribe import render_subscribe
from tests.conftest import ROOT, write_kit

sys.path.insert(0, str(ROOT / "scripts"))
import messages

LANGUAGES = ("fr", "es")
LOCALE = ROOT / "plugins" / "plnkit" / "locale"


def english_messages() -> list[str]:
    found: list[str] = []
    for message in messages.all_messages():
        found.extend([message] if isinstance(message, str) else message)
    return found


def state_for(kit) -> SiteState:
    """A state that shows every health and freshness word, posts and dates."""
    healths = ("ok", "moved", "failing", "dead", "blocked", "verified", "changed", "unchecked")
    freshness = ("active", "quiet", "dormant", "gone", "undated", "unreadable")
    post = Post(
        slug="",
        source="A blog",
        title="",
        url="https://x.example/p",
        published="2026-03-12T10:00:00Z",
    )
    links, feeds, river = {}, {}, []
    for index, resource in enumerate(kit.resources):
        links[resource.slug] = LinkView(
            health=healths[index % len(healths)],
            final_url="https://moved.example.org/",
            since="2026-03-01T00:00:00Z",
            archive_url="https://web.archive.org/web/2020/x",
            checked_at="2026-03-12T09:00:00Z",
            verified_on="2026-03-10",
            verified_by="qq",
        )
        feeds[resource.slug] = FeedView(
            freshness=freshness[index % len(freshness)],
            posts=(post,),
            last_post="2026-03-12",
            refreshed_at="2026-03-13T08:00:00Z",
        )
        river.append(Post(**{**post.__dict__, "slug": resource.slug}))
    return SiteState(links=links, feeds=feeds, river=tuple(river))


# Attributes that hold keys the binder's script reads (tab ids, kinds, stages...), never words.
KEY_ATTRIBUTES = ("tab", "kind", "stages", "tags", "cost", "status", "health", "filter")


def visible_text(markdown: str) -> str:
    """The words of a generated page a reader sees or hears (text and labels), without tags."""
    found = re.findall(r'(aria-label|title|data-[a-z-]+)="([^"]*)"', markdown)
    keys = {f"data-{name}" for name in KEY_ATTRIBUTES}
    attrs = " ".join(value for name, value in found if name not in keys)
    return re.sub(r"<[^>]+>", " ", markdown) + " " + attrs


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_has_a_translation_and_a_compiled_catalogue(language: str) -> None:
    po_path = LOCALE / language / "LC_MESSAGES" / "plnkit.po"
    with po_path.open("rb") as handle:
        po = read_po(handle)
    with po_path.with_suffix(".mo").open("rb") as handle:
        mo = read_mo(handle)
    wanted = {m if isinstance(m, str) else m[0] for m in messages.all_messages()}
    translated = {m.id if isinstance(m.id, str) else m.id[0] for m in po if m.id and m.string}
    assert wanted <= translated, f"untranslated in {language}: {sorted(wanted - translated)}"

    # The shipped .mo says what the .po says (run `make messages` after editing a .po).
    def pairs(catalog) -> dict:
        def key(value: object) -> object:
            return value if isinstance(value, str) else tuple(value)  # type: ignore[arg-type]

        return {key(m.id): key(m.string) for m in catalog if m.id}

    assert pairs(mo) == pairs(po)
    for message in po:  # every placeholder kept, none invented
        if not message.id:
            continue
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        strings = [message.string] if isinstance(message.string, str) else list(message.string)
        holes = set(re.findall(r"\{\w+\}", ids[-1]))
        for text in strings:
            assert set(re.findall(r"\{\w+\}", text)) == holes, (language, message.id)


KINDS = ("community", "webinar", "blog", "social", "chat", "platform", "guide", "event",
         "research", "organization", "podcast", "newsletter", "list")  # fmt: skip
BINDER = """\
title: Qqq Xyzzy
description: Zzzz qqqq xyzzy.
site_url: https://kit.example.org/
contact: qq@kit.example.org
tabs:
  - {id: first, title: Qqq}
  - {id: second, title: Zzz}
"""


def content_free_kit(root: Path) -> Path:
    """A kit whose own words are no language at all, so every English word on its pages
    would be plnkit's: every kind, status, cost and stage, schedules and handles."""
    files = {}
    for index, kind in enumerate(KINDS):
        status = ("active", "archived", "retired")[index % 3]
        extra = "archive_url: https://web.archive.org/web/2020/x\n" if status != "active" else ""
        files[f"{('first', 'second')[index % 2]}/r{index}.yml"] = (
            f"name: Qqq{index}\nurl: https://r{index}.example.org/\nkind: {kind}\n"
            f"description: Zzzz qqqq xyzzy zzzz qqqq xyzzy {index}.\n"
            "stages: [consumption, connection, creation, contribution]\n"
            f"tags: [qq, zz]\ncost: {('free', 'freemium', 'paid')[index % 3]}\n"
            f"status: {status}\n{extra}feed: https://r{index}.example.org/feed\n"
            "audience: [elementary, all]\nhashtag: '#qqq'\nhandles: {mastodon: '@qq@lib.example'}\n"
            "schedule: {text: Qqq 19:00, rrule: 'FREQ=WEEKLY;BYDAY=MO', time: '19:00',"
            " timezone: America/New_York}\n"
        )
    return write_kit(root, files, binder=BINDER)


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_english_label_remains_on_any_generated_page(language: str, tmp_path: Path) -> None:
    loaded = load_kit(content_free_kit(tmp_path))
    kit = loaded.kit
    assert kit is not None, [p.format() for p in loaded.problems]
    state = state_for(kit)
    events = frozenset(r.slug for r in kit.resources)
    # A GitHub repository, so "Suggest a resource" and "Edit this file on GitHub" are shown.
    options = RenderOptions(
        calendar_events=events,
        contribute=Contribute("https://github.com/qq/zz", root=tmp_path),
        root_url="https://kit.example.org/",
    )
    english = site_pages(kit, state, options)
    translated = site_pages(kit, state, replace(options, language=language))
    assert english.keys() == translated.keys()
    first = translated["first/index.md"]
    for block in ("plnkit-subscribe", "plnkit-suggest__link", "plnkit-card__edit"):
        assert block in first, block  # the check below reads them
    # Words that read the same in both languages (Blog, Guide, Contribution...) prove nothing.
    with i18n.using(language):
        same = {m for m in english_messages() if i18n._(m) == m}
    labels = [m for m in english_messages() if m not in same]
    for uri, page in translated.items():
        text = visible_text(page)
        for message in labels:
            for piece in re.split(r"\{\w+\}", message):
                piece = piece.strip(" .:()·…;,")
                if len(piece) >= 3 and re.search(rf"(?<!\w){re.escape(piece)}(?!\w)", text):
                    pytest.fail(f"{uri} in {language} still says {piece!r} (from {message!r})")
        assert "2026-03-12" not in re.sub(r'datetime="[^"]*"', "", page), uri  # dates localized
    with i18n.using(language):
        assert list(nav(kit)[0]) == [i18n._("Home")] != ["Home"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_subscribe_suggest_and_edit_carry_no_english_label(language: str, tmp_path: Path) -> None:
    """The Subscribe and follow block, the suggest and edit links, and the head's feed title:
    each English word of theirs is gone on a page in another language."""
    kit = load_kit(content_free_kit(tmp_path)).kit
    assert kit is not None
    contribute = Contribute("https://github.com/qq/zz", root=tmp_path)
    path = kit.resources[0].path

    def blocks() -> str:
        head = head_tags(PageHead("Qqq Xyzzy", "", "", ""))
        return "\n".join(
            [
                render_subscribe(kit, "../", "https://kit.example.org/"),
                suggest_link(contribute),
                edit_link(contribute, path, "Qqq"),
                head,
            ]
        )

    english = visible_text(blocks())
    with i18n.using(language):
        translated = blocks()
    text = visible_text(translated)
    words = [
        "Subscribe and follow", "OPML of the whole kit", "Or one tab only",
        "Atom feed of recent posts", "Mastodon follow list", "Calendar of chats and webinars",
        "Bluesky accounts", "Suggest a resource", "a short form on GitHub",
        "Edit this file on GitHub", "recent posts", "then choose the downloaded file",
    ]  # fmt: skip
    for word in words:
        assert word in english, word
        assert word not in text, f"{language} still says {word!r}"
    assert "https://github.com/qq/zz/issues/new?template=suggest-resource.yml" in translated
    assert "https://kit.example.org/feed.xml" in translated  # addresses stay as they are


def test_dates_are_written_the_languages_way() -> None:
    day = dt.date(2026, 3, 12)
    with i18n.using("fr"):
        assert i18n.format_date(day) == "12 mars 2026"
    with i18n.using("es"):
        assert i18n.format_date("2026-03-12T10:00:00Z") == "12 de marzo de 2026"
    assert i18n.format_date(day) == "12 March 2026"
    assert i18n.format_date("not a date") == "not a date"


def test_a_language_without_a_catalogue_renders_english() -> None:
    with i18n.using("de"):
        assert i18n._("Open") == "Open"
    with i18n.using("fr-CA"):
        assert i18n._("Open") == "Ouvrir"  # falls back to French


def test_a_fork_in_french_gets_a_french_site_from_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    for name in ("kit", "docs"):
        shutil.copytree(ROOT / name, tmp_path / name)
    mkdocs_yml = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert "  language: en\n" in mkdocs_yml
    (tmp_path / "mkdocs.yml").write_text(  # the one line a fork changes
        mkdocs_yml.replace("  language: en\n", "  language: fr\n"), encoding="utf-8"
    )
    monkeypatch.setenv("PLNKIT_OFFLINE", "1")
    config = load_config(str(tmp_path / "mkdocs.yml"), site_dir=str(tmp_path / "site"), strict=True)
    try:
        build(config)
    finally:
        config.plugins.on_shutdown()
    site = tmp_path / "site"
    home = (site / "index.html").read_text(encoding="utf-8")
    blogs = (site / "blogs" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="fr"' in home
    assert re.search(r">\s*Accueil\s*<", home) and not re.search(r">\s*Home\s*<", home)
    assert "Document imprimable de tout le kit" in blogs and "Printable handout" not in blogs
    assert "Filtrer par étape, type, mot-clé ou coût" in blogs
    assert "Showing all" not in blogs and 'data-count-all="Les {total} ressources' in blogs
    start = (site / "start-here" / "index.html").read_text(encoding="utf-8")
    assert "Quatre étapes, un chemin" in start and "Four stages" not in start


def test_the_docs_tree_for_another_engine_speaks_the_forks_language(tmp_path: Path) -> None:
    """`plnkit build` (the docs tree every engine reads) follows `theme.language` too."""
    import shutil

    from plnkit.cli import main

    for name in ("kit", "docs"):
        shutil.copytree(ROOT / name, tmp_path / name)
    mkdocs_yml = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text(
        mkdocs_yml.replace("  language: en\n", "  language: fr\n"), encoding="utf-8"
    )
    work = tmp_path / "work"
    code = main(["build", "--engine", "mkdocs", "--config", str(tmp_path / "mkdocs.yml"),
                 "--offline", "-d", str(tmp_path / "site"), "--work-dir", str(work)])  # fmt: skip
    assert code == 0
    blogs = (work / "docs" / "blogs" / "index.md").read_text(encoding="utf-8")
    assert "Document imprimable de tout le kit" in blogs and "Printable handout" not in blogs
    home = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert re.search(r">\s*Accueil\s*<", home)
