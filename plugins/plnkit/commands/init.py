"""`plnkit init`: make a fresh fork of the kit an association's own.

Rewrites the fork's lines of kit/binder.yml and mkdocs.yml in place (comments and layout kept),
copies the logo and favicon into docs/, makes the kit-local/ folder for the association's own
resources, writes the fork's own front page (`.github/README.md`, which GitHub shows before the
upstream README.md, so neither file's later edits conflict), and prints what is left to do on
GitHub. Run it again any time to change a value; it only touches what it is given.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

from plnkit.edit.fork import (
    ForkSettings,
    color_name,
    mkdocs_value,
    pages_url,
    rewrite_binder,
    rewrite_mkdocs,
    settings_problems,
    write_fork_file,
)
from plnkit.kit.loader import resource_files
from plnkit.site.branding import ACCENT_COLORS, FAVICON_SUFFIXES, LOGO_SUFFIXES

NAME = "init"
HELP = "make this copy of the kit your association's own (name, logo, colours, addresses)"
MAX_LOGO_BYTES = 1_000_000
LOCAL_README = """\
# Your own resources

Resource files for this kit that upstream PLN Kit does not have: one YAML file per resource,
in a folder named after its tab (for example `communities/our-state-listserv.yml`). A file with
the same name as one in `kit/` replaces it. See docs/fork.md.
"""
FORK_README_FILE = ".github/README.md"  # GitHub shows it before the upstream README.md
FORK_README = """\
# {name}

{description}This repository publishes **{name}** at {site_url}:
a curated personal learning network starter kit for school librarians, built with
[PLN Kit](https://github.com/plnkit/pln-kit).

- Our own resources live in `kit-local/`, one YAML file each; the shared ones are in `kit/`.
- Suggest a resource through the "Suggest a resource" issue form.
- How this copy is looked after, and how it takes in PLN Kit's updates: `docs/fork.md`.
"""

GITHUB_STEPS = """\
What is left to do on GitHub (once):
  1. Actions tab: a fork starts with workflows turned off. Choose "I understand my workflows,
     go ahead and enable them", so the site rebuilds daily and checks its links weekly.
  2. Settings -> Pages -> Build and deployment -> Source: "GitHub Actions".
  3. Settings -> Actions -> General -> Workflow permissions: tick "Allow GitHub Actions to
     create and approve pull requests" (approved suggestions arrive as pull requests).
  4. Issues -> Labels: create the label "approved" (or: gh label create approved).
  5. Commit and push these changes:
       git add -A && git commit -m "Make the kit ours" && git push
     The "Build and deploy the site" workflow then publishes {site_url}
  6. To pull upstream updates later (docs/fork.md):
       git remote add upstream https://github.com/plnkit/pln-kit.git
       git fetch upstream && git merge upstream/main
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--name", help="the kit's full name, shown in the site's header")
    parser.add_argument("--short", help="a short name, e.g. the association's initials")
    parser.add_argument("--description", help="one sentence for search engines and previews")
    parser.add_argument("--intro", help="the home page's opening paragraph (Markdown)")
    parser.add_argument("--logo", type=Path, help="an image file for the header (PNG, SVG, ...)")
    parser.add_argument(
        "--favicon",
        type=Path,
        help="an icon for browser tabs and bookmarks (PNG, SVG or ICO; default: the logo)",
    )
    parser.add_argument(
        "--copyright",
        help='the footer line (default with --name: "Curated by NAME · built on PLN Kit")',
    )
    parser.add_argument("--color", help="main colour, a Material for MkDocs name (e.g. teal)")
    parser.add_argument("--accent", help="accent colour for links and buttons (default: --color)")
    parser.add_argument("--site-url", help="where the site is published (default: from --repo-url)")
    parser.add_argument("--repo-url", help="your fork on GitHub, https://github.com/OWNER/REPO")
    parser.add_argument("--contact", help="an email or web address readers can reach you at")
    parser.add_argument(
        "--exclude",
        action="append",
        default=[],
        metavar="SLUG",
        help="hide an upstream resource by its file name (repeat for more)",
    )
    parser.add_argument(
        "--config", type=Path, default=Path("mkdocs.yml"), help="the site's mkdocs.yml"
    )


def run(args: argparse.Namespace) -> int:
    config: Path = args.config
    if not config.is_file():
        return _fail(f"no {config} here; run plnkit init in the top folder of your copy of the kit")
    root = config.resolve().parent
    mkdocs_text = config.read_text(encoding="utf-8")
    try:
        kit_dir = root / str(mkdocs_value(mkdocs_text, "plnkit", "kit_dir") or "kit")
        docs_dir = root / str(mkdocs_value(mkdocs_text, "docs_dir") or "docs")
    except ValueError as err:
        return _fail(f"{config}: {err}")
    binder_file = kit_dir / "binder.yml"
    if not binder_file.is_file():
        return _fail(f"no {binder_file}; is {config} the kit's mkdocs.yml?")

    color = color_name(args.color) if args.color else None
    accent = color_name(args.accent) if args.accent else None
    if color and not accent and color in ACCENT_COLORS:
        accent = color
    site_url = args.site_url or (pages_url(args.repo_url) if args.repo_url else None)
    logo_uri = f"assets/logo{args.logo.suffix.lower()}" if args.logo else None
    favicon_uri = f"assets/favicon{args.favicon.suffix.lower()}" if args.favicon else None
    copyright_line = args.copyright
    if copyright_line is None and args.name:
        copyright_line = f"Curated by {args.name.strip()} · built on PLN Kit (MIT licensed)"
    settings = ForkSettings(
        name=args.name,
        short=args.short,
        description=args.description,
        intro=args.intro,
        site_url=site_url,
        repo_url=args.repo_url,
        contact=args.contact,
        primary=color,
        accent=accent,
        logo=logo_uri,
        favicon=favicon_uri,
        copyright=copyright_line,
        exclude=tuple(args.exclude),
    )
    problems = settings_problems(settings) + _image_problems("--logo", args.logo, LOGO_SUFFIXES)
    problems += _image_problems("--favicon", args.favicon, FAVICON_SUFFIXES)
    if problems:
        for problem in problems:
            print(f"plnkit init: error: {problem}", file=sys.stderr)
        return 2

    changed = []
    if args.logo:
        target = docs_dir / str(logo_uri)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(args.logo, target)
        changed.append(f"{_shown(target, root)} (your logo)")
    if args.favicon:
        target = docs_dir / str(favicon_uri)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(args.favicon, target)
        changed.append(f"{_shown(target, root)} (your favicon)")
    try:
        if write_fork_file(binder_file, settings, rewrite_binder):
            what = "name, words, logo, favicon, footer, colours, contact"
            changed.append(f"{_shown(binder_file, root)} ({what})")
        if write_fork_file(config, settings, rewrite_mkdocs):
            changed.append(f"{_shown(config, root)} (addresses and fork settings)")
    except ValueError as err:
        return _fail(str(err))
    local = root / settings.local_dir
    if not local.is_dir():
        local.mkdir(parents=True)
        (local / "README.md").write_text(LOCAL_README, encoding="utf-8")
        changed.append(f"{_shown(local, root)}/ (for your own resources)")
    readme = root / FORK_README_FILE
    if args.name and not readme.exists():
        readme.parent.mkdir(parents=True, exist_ok=True)
        readme.write_text(_fork_readme(args, site_url, mkdocs_text), encoding="utf-8")
        changed.append(f"{FORK_README_FILE} (your repository's front page on GitHub)")

    known = {p.stem for p in resource_files(kit_dir)} if kit_dir.is_dir() else set()
    for slug in settings.exclude:
        if slug not in known:
            print(f"warning: --exclude {slug}: no file {slug}.yml in {_shown(kit_dir, root)}")
    print("Updated:" if changed else "Nothing to change: the files already say this.")
    for line in changed:
        print(f"  {line}")
    print()
    shown_url = site_url or mkdocs_value(config.read_text(encoding="utf-8"), "site_url") or ""
    print(GITHUB_STEPS.format(site_url=shown_url or "your site").rstrip())
    return 0


def _image_problems(flag: str, image: Path | None, suffixes: tuple[str, ...]) -> list[str]:
    if image is None:
        return []
    if not image.is_file():
        return [f"{flag} {image}: no such file"]
    if image.suffix.lower() not in suffixes:
        return [f"{flag} {image}: use an image file ({', '.join(suffixes)})"]
    if image.stat().st_size > MAX_LOGO_BYTES:
        return [f"{flag} {image}: the file is over 1 MB; an icon should be much smaller"]
    return []


def _fork_readme(args: argparse.Namespace, site_url: str | None, mkdocs_text: str) -> str:
    shown_url = site_url or mkdocs_value(mkdocs_text, "site_url") or "its GitHub Pages address"
    description = f"{args.description.strip()}\n\n" if args.description else ""
    return FORK_README.format(name=args.name.strip(), description=description, site_url=shown_url)


def _shown(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root).as_posix()
    except ValueError:
        return str(path)


def _fail(message: str) -> int:
    print(f"plnkit init: error: {message}", file=sys.stderr)
    return 1
