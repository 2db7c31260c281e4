"""Links for contributors: the "Suggest a resource" issue form and "edit this file" on GitHub.

Both are built only from a GitHub repository address (`repo_url` in mkdocs.yml); any other
address gives no link, so a reader never follows a guess.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import quote

from plnkit.render.i18n import N_, _
from plnkit.render.text import esc

ISSUE_FORM = "suggest-resource.yml"
_GITHUB_REPO = re.compile(r"^https://github\.com/([A-Za-z0-9_.-]+)/([A-Za-z0-9_.-]+?)(?:\.git)?/?$")
_BRANCH = re.compile(r"^[A-Za-z0-9._/-]+$")

# User-facing words, kept together; `_` gives them in the site's language where they are shown.
SUGGEST_TEXT = N_("Suggest a resource")
SUGGEST_HINT = N_("a short form on GitHub; a maintainer checks it and adds it to the kit")
EDIT_TEXT = N_("Edit this file on GitHub")


@dataclass(frozen=True)
class Contribute:
    """Where contributions go: a GitHub repository, its branch, and the folder of mkdocs.yml
    (resource paths are written relative to it)."""

    repo_url: str = ""
    branch: str = "main"
    root: Path | None = None

    @property
    def repo(self) -> str | None:
        """The repository's canonical address, or None when it is not a GitHub repository.

        >>> Contribute("https://github.com/plnkit/pln-kit.git").repo
        'https://github.com/plnkit/pln-kit'
        >>> Contribute("https://gitlab.com/a/b").repo is None
        True
        """
        match = _GITHUB_REPO.match(self.repo_url.strip())
        return f"https://github.com/{match[1]}/{match[2]}" if match else None

    def suggest_url(self) -> str | None:
        """The issue form's address.

        >>> Contribute("https://github.com/plnkit/pln-kit").suggest_url()
        'https://github.com/plnkit/pln-kit/issues/new?template=suggest-resource.yml'
        """
        repo = self.repo
        return f"{repo}/issues/new?template={ISSUE_FORM}" if repo else None

    def edit_url(self, path: Path) -> str | None:
        """The GitHub editor for one kit file, or None when the file is outside the project.

        >>> Contribute("https://github.com/o/r", root=Path("/p")).edit_url(Path("/p/kit/a/b.yml"))
        'https://github.com/o/r/edit/main/kit/a/b.yml'
        """
        repo = self.repo
        if not repo or self.root is None or not _BRANCH.match(self.branch):
            return None
        try:
            rel = PurePosixPath(path.resolve().relative_to(self.root.resolve()).as_posix())
        except ValueError:
            return None
        return f"{repo}/edit/{self.branch}/{quote(str(rel))}"


def branch_of(edit_uri: str | None) -> str:
    """The branch MkDocs' `edit_uri` names, else "main".

    >>> branch_of("edit/trunk/docs/"), branch_of(None), branch_of("blob/main/docs/")
    ('trunk', 'main', 'main')
    """
    parts = [p for p in (edit_uri or "").split("/") if p]
    if len(parts) >= 2 and parts[0] in ("edit", "blob", "tree") and _BRANCH.match(parts[1]):
        return parts[1]
    return "main"


def suggest_link(contribute: Contribute) -> str:
    """The "Suggest a resource" paragraph, or "" without a GitHub repository."""
    url = contribute.suggest_url()
    if not url:
        return ""
    return (
        f'<p class="plnkit-suggest"><a class="plnkit-suggest__link" href="{esc(url)}"'
        f' rel="noopener">{esc(_(SUGGEST_TEXT))}</a> <span class="plnkit-suggest__hint">'
        f"({esc(_(SUGGEST_HINT))})</span></p>"
    )


def edit_link(contribute: Contribute, path: Path, name: str) -> str:
    """The card's "Edit this file on GitHub" link, or ""."""
    url = contribute.edit_url(path)
    if not url:
        return ""
    return (
        f'<a class="plnkit-card__edit" href="{esc(url)}" rel="noopener">{esc(_(EDIT_TEXT))}'
        f'<span class="plnkit-sr">: {esc(name)}</span></a>'
    )
