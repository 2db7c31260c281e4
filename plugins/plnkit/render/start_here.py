"""The "Start here" tab's own content: the four PLN stages as a path, and two librarians' paths.

The journeys retell, in this project's words, the two stories of the magazine article the kit
descends from; they show the stages as real people lived them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from plnkit.kit.model import STAGES, Kit, Resource
from plnkit.render.i18n import N_, _
from plnkit.render.stages import STAGE_NAMES
from plnkit.render.text import esc
from plnkit.render.whole_kit import whole_kit_href

STAGE_TEXT = {
    "consumption": (
        N_("Listen first"),
        N_(
            "Follow a few blogs and communities and simply read. Lurking is how "
            "almost everyone starts."
        ),
    ),
    "connection": (
        N_("Join the conversation"),
        N_(
            "Comment on a post, ask a question in a webinar chat, reply to someone "
            "whose ideas helped you."
        ),
    ),
    "creation": (
        N_("Make it your own"),
        N_(
            "Adapt what you found for your own library and students, and keep notes on what worked."
        ),
    ),
    "contribution": (
        N_("Give back"),
        N_(
            "Share your lessons in a blog or a chat so the next librarian can start from your work."
        ),
    ),
}
FIRST_STEPS = {
    "consumption": N_("Put three blogs in a feed reader and read them for two weeks."),
    "connection": N_("Leave one comment or reply a week, or sit in on a live chat."),
    "creation": N_("Try one borrowed idea with a class this month and note what you changed."),
    "contribution": N_("Write up how it went and say where the idea came from."),
}
RESOURCES_PER_STAGE = 6


@dataclass(frozen=True)
class Journey:
    key: str
    name: str
    summary: str
    steps: tuple[tuple[str, str], ...]  # (stage, what happened)


JOURNEYS = (
    Journey(
        key="tiff",
        name=N_("Tiff: from surviving year one to a network of friends"),
        summary=N_(
            "Tiff came through her first year running an elementary library tired but sure "
            "she could do far better, if only she had more ideas to draw on."
        ),
        steps=(
            (
                "consumption",
                N_(
                    "Hunting for elementary program ideas, she found a Ning community for "
                    "teacher librarians; its links led her to dozens of librarians' blogs, which "
                    "she gathered in a feed reader."
                ),
            ),
            (
                "connection",
                N_(
                    "She kept asking questions on the Ning, joined Twitter, and at a national "
                    "conference finally met, face to face, people she had learned from for months."
                ),
            ),
            (
                "contribution",
                N_(
                    "All along she had been blogging about her lessons, her reading and her "
                    "students, so her own ideas travelled back into the network."
                ),
            ),
        ),
    ),
    Journey(
        key="jennifer",
        name=N_("Jennifer: from “what have I done?” to a daily habit"),
        summary=N_(
            "Jennifer left the classroom for the library and discovered that nobody in her "
            "building could tell her what the job should look like."
        ),
        steps=(
            (
                "consumption",
                N_(
                    "She began with a handful of librarian blogs, and a state technology "
                    "conference showed her how feeds could bring every new post to her."
                ),
            ),
            (
                "connection",
                N_(
                    "At a national library conference she saw how teachers everywhere were "
                    "talking on Twitter, though she still meant only to read."
                ),
            ),
            (
                "contribution",
                N_(
                    "When budget cuts threatened school libraries in her state, she started a blog "
                    "and took the argument to Twitter."
                ),
            ),
            (
                "creation",
                N_(
                    "What began as advocacy became everyday professional learning that keeps "
                    "changing how she works, mostly thanks to people she has never met."
                ),
            ),
        ),
    ),
)


def _tab_link(resource: Resource) -> str:
    return f"../{resource.tab}/#{resource.slug}"


def render_stage_path(kit: Kit, href: Callable[[Resource], str] | None = None) -> str:
    """The four stages in order, each with a first step and the resources that serve it.

    `href` gives a resource's link from the Start here page (default: its tab's page; a
    split tab's resource lives on one of the tab's pages, plnkit.render.paging)."""
    href = href or _tab_link
    tab_of = {t.id: t for t in kit.binder.tabs}
    blocks = [
        f'<h2 id="stages--path">{esc(_("Four stages, one path"))}</h2>',
        '<p class="plnkit-lead">'
        + esc(
            _(
                "Most librarians grow a network in this order. "
                "Stay in a stage as long as it helps; there is no test at the end."
            )
        )
        + "</p>",
        '<ol class="plnkit-stages">',
    ]
    for number, stage in enumerate(STAGES, start=1):
        title, advice = (_(text) for text in STAGE_TEXT[stage])
        serving = [r for r in kit.resources if stage in r.stages and r.is_current]
        shown = [r for r in serving if r.tab in tab_of][:RESOURCES_PER_STAGE]
        links = "".join(
            f'<li><a href="{esc(href(r))}">{esc(r.name)}</a>'
            f' <span class="plnkit-stages__tab">({esc(tab_of[r.tab].title)})</span></li>'
            for r in shown
        )
        more = len(serving) - len(shown)
        more_words = _("…and {more} more: filter any tab by this stage.").format(more=more)
        more_text = (
            f'<p class="plnkit-stages__more"><a href="{esc(whole_kit_href("../", stage))}">'
            f"{esc(more_words)}</a></p>"
            if more > 0
            else ""
        )
        stage_name = _(STAGE_NAMES[stage])
        blocks.append(
            f'<li class="plnkit-stage-step">'
            f'<h3 id="stage--{stage}"><span class="plnkit-stage-step__num" aria-hidden="true">'
            f'{number}</span> <span class="plnkit-sr">'
            f"{esc(_('Stage {number}:').format(number=number))} </span>"
            f"{esc(stage_name)}: {esc(title)}</h3>"
            f"<p>{esc(advice)}</p>"
            f'<p class="plnkit-stage-step__first"><strong>{esc(_("First step:"))}</strong> '
            f"{esc(_(FIRST_STEPS[stage]))}</p>"
            + (
                f'<p class="plnkit-stage-step__label">{esc(_("Where to do it"))}</p>'
                f'<ul class="plnkit-stages__resources">{links}</ul>{more_text}'
                if links
                else ""
            )
            + "</li>"
        )
    blocks.append("</ol>")
    return "".join(blocks)


def render_journeys() -> str:
    """Two short journeys, each step tagged with the stage it shows."""
    blocks = [
        f'<h2 id="journeys--two-librarians">{esc(_("Two librarians, two paths"))}</h2>',
        '<p class="plnkit-lead">'
        + esc(
            _(
                "Nobody follows the stages exactly. These two school librarians "
                "started from different places and still passed through them."
            )
        )
        + "</p>",
        '<div class="plnkit-journeys">',
    ]
    for journey in JOURNEYS:
        steps = "".join(
            f'<li><span class="plnkit-journey__stage">{esc(_(STAGE_NAMES[stage]))}</span> '
            f"{esc(_(text))}</li>"
            for stage, text in journey.steps
        )
        blocks.append(
            f'<section class="plnkit-journey" aria-labelledby="journeys--{journey.key}">'
            f'<h3 id="journeys--{journey.key}">{esc(_(journey.name))}</h3>'
            f"<p>{esc(_(journey.summary))}</p><ol>{steps}</ol></section>"
        )
    blocks.append("</div>")
    return "".join(blocks)
