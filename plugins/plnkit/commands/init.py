"""`plnkit init`: make a fresh fork of the kit an association's own.

Rewrites kit/binder.yml and mkdocs.yml in place (comments and layout kept), copies the logo into
docs/, makes the kit-local/ folder for the association's own resources, and prints what is left
to do on GitHub. Run it again any time to change a value; it only touches what it is given.
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
from plnkit.site.branding import ACCENT_COLORS, LOGO_SUFFIXES

NAME = "init"
HELP = "make this copy of the kit your association's own (name, logo, colours, addresses)"
MAX_LOGO_BYTES = 1_000_000
LOCAL_README = """\
# Your own resources

Resource files for this kit that upstream PLN Kit does not have: one YAML file per resource,
in a folder named after its tab (for example `communities/our-state-listserv.yml`). A file with
the same name as one in `kit/` replaces it. See docs/fork.md.
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
        exclude=tuple(args.exclude),
    )
    problems = settings_problems(settings) + _logo_problems(args.logo)
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
    try:
        if write_fork_file(binder_file, settings, rewrite_binder):
            changed.append(f"{_shown(binder_file, root)} (name, words, logo, colours, contact)")
        if write_fork_file(config, settings, rewrite_mkdocs):
            changed.append(f"{_shown(config, root)} (addresses and fork settings)")
    except ValueError as err:
        return _fail(str(err))
    local = root / settings.local_dir
    if not local.is_dir():
        local.mkdir(parents=True)
        (local / "README.md").write_text(LOCAL_README, encoding="utf-8")
        changed.append(f"{_shown(local, root)}/ (for your own resources)")

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


def _logo_problems(logo: Path | None) -> list[str]:
    if logo is None:
        return []
    if not logo.is_file():
        return [f"--logo {logo}: no such file"]
    if logo.suffix.lower() not in LOGO_SUFFIXES:
        return [f"--logo {logo}: use an image file ({', '.join(LOGO_SUFFIXES)})"]
    if logo.stat().st_size > MAX_LOGO_BYTES:
        return [f"--logo {logo}: the file is over 1 MB; a header logo should be much smaller"]
    return []


def _shown(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root).as_posix()
    except ValueError:
        return str(path)


def _fail(message: str) -> int:
    print(f"plnkit init: error: {message}", file=sys.stderr)
    return 1
