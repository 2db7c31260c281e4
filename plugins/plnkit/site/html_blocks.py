"""Generated pages' big HTML blocks, set aside while an engine converts the Markdown around them.

A tab page is a few lines of Markdown around one large block of finished HTML (the binder:
every card, already escaped and sanitized). Python-Markdown would pass that block through
unchanged, but only after scanning all of it, which is most of a build's time at 1,000
resources. An engine adapter that runs Python-Markdown page by page (MkDocs, ProperDocs) swaps
each big block for a marker before the conversion and puts it back after: the page's HTML is
the same, and the work is done once. (Zensical reads the docs tree's files as they are.)

>>> page = 'Intro *here*.\\n\\n<div class="big">' + "x" * 3000 + "</div>\\n\\nEnd."
>>> aside = set_aside(page, token="t")
>>> aside.markdown
'Intro *here*.\\n\\n<!--plnkit-t-0-->\\n\\nEnd.'
>>> aside.put_back("<p>Intro</p>\\n<!--plnkit-t-0-->\\n<p>End.</p>").count("x")
3000
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, field

import markdown

# Smaller blocks are cheap to scan, and putting them back would cost more than it saves.
MIN_BLOCK = 2048
FIRST_TAG = re.compile(r"<([a-zA-Z][a-zA-Z0-9]*)[\s>]")
_BLOCK_LEVEL = markdown.Markdown()  # only asked which tags are block-level


@dataclass
class SetAside:
    markdown: str
    blocks: dict[str, str] = field(default_factory=dict)  # marker -> the HTML it stands for

    def put_back(self, html: str) -> str:
        """The converted page with every block in place of its marker."""
        if not self.blocks:
            return html
        return re.sub(r"<!--plnkit-[0-9a-z]+-\d+-->", lambda m: self.blocks.get(m[0], m[0]), html)


def _is_raw_block(block: str) -> bool:
    """A block Python-Markdown passes through as raw HTML: it starts with a block-level tag
    and ends with a closing tag (generated blocks never hold a blank line)."""
    block = block.strip()
    found = FIRST_TAG.match(block)
    return (
        found is not None
        and _BLOCK_LEVEL.is_block_level(found[1].lower())
        and block.endswith(f"</{found[1]}>")
    )


def set_aside(page: str, *, token: str | None = None, min_block: int = MIN_BLOCK) -> SetAside:
    """`page` with each big raw-HTML block replaced by a marker no kit text can hold (an HTML
    comment with a random token: contributed text is sanitized with comments stripped)."""
    token = token or secrets.token_hex(6)
    out = SetAside(page)
    parts = page.split("\n\n")
    for index, block in enumerate(parts):
        if len(block) >= min_block and _is_raw_block(block):
            marker = f"<!--plnkit-{token}-{len(out.blocks)}-->"
            out.blocks[marker] = block.strip("\n")
            parts[index] = marker
    if out.blocks:
        out.markdown = "\n\n".join(parts)
    return out
