"""Write a synthetic PLN kit of N resources for the benchmark: seeded, so the same arguments
always give the same files, byte for byte.

Every address points at the benchmark server on 127.0.0.1: one port per pretend host, so a
checker sees many hosts as it would on the web. The kit validates with PLNKIT_ALLOW_LOCAL=1.

    python scripts/gen_kit.py OUT_DIR --resources 1000 --base-port 18300 --hosts 32 --seed 8
"""

from __future__ import annotations

import argparse
import random
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

MODELINE = "# yaml-language-server: $schema=../schema/resource.schema.json\n"
FEED_SHARE = 3  # one resource in three has a feed

TABS = (
    ("start-here", "Start here", "Begin with a guide and a feed reader, then follow people."),
    ("communities", "Communities", "Forums and groups where a question gets a kind answer."),
    ("webinars", "Webinars", "Live online sessions, with recordings for evenings you miss."),
    ("blogs", "Blogs & feeds", "Blogs by and for school librarians; subscribe to new posts."),
    ("social", "Social & chats", "Hashtags, live chats and accounts for everyday conversation."),
    ("platforms", "Blogging platforms", "Free or low-cost places to start a reflective blog."),
    ("research", "Research & events", "Research for your program and conferences to attend."),
)
KIND_BY_TAB = {
    "start-here": ("guide", "organization"),
    "communities": ("community", "organization"),
    "webinars": ("webinar", "event"),
    "blogs": ("blog",),
    "social": ("social", "chat"),
    "platforms": ("platform",),
    "research": ("research", "event", "organization"),
}
TAGS = (
    "school-libraries", "reading", "makerspaces", "ed-tech", "advocacy", "information-literacy",
    "collection-development", "graphic-novels", "coding", "research-skills", "digital-citizenship",
    "copyright", "picture-books", "young-adult", "stem", "podcasts", "lesson-plans", "aasl",
    "iste", "future-ready", "rss", "webinars", "conferences", "mentoring", "new-librarians",
    "elementary", "secondary", "ebooks", "databases", "inquiry", "media-literacy", "diversity",
    "book-clubs", "genrefication", "library-design", "assessment", "grants", "leadership",
    "social-media", "chats",
)  # fmt: skip
WORDS = (
    "library", "learning", "reader", "shelf", "story", "inquiry", "maker", "quest", "network",
    "circle", "commons", "lab", "hub", "corner", "studio", "journal", "notes", "forum", "chat",
    "cafe", "connect", "spark", "lantern", "compass", "atlas", "harbor", "orchard", "bridge",
    "pathway", "beacon", "garden", "workshop", "review", "digest", "report", "collective",
)  # fmt: skip
ADJECTIVES = (
    "Curious", "Digital", "Open", "Brave", "Quiet", "Busy", "Modern", "Shared", "Little",
    "Bright", "Northern", "Southern", "Rural", "Urban", "Global", "Everyday", "Thoughtful",
)  # fmt: skip
SENTENCES = (
    "School librarians swap lesson ideas, booklists and advice on running a busy library.",
    "A friendly place to ask questions about collection development and weeding.",
    "Posts about *inquiry-based learning* and how the library supports classroom projects.",
    "Monthly sessions on new tools, with recordings for anyone who cannot attend live.",
    "Practical notes on makerspaces, coding clubs and low-cost STEM activities.",
    "Reviews of new picture books, graphic novels and young-adult titles for school shelves.",
    "Advocacy resources that help explain the library's value to principals and parents.",
    "Research summaries on reading engagement, written for busy practitioners.",
    "A long-running chat where new and experienced librarians trade tips every week.",
    "Ideas for teaching media literacy and evaluating sources with students of all ages.",
)  # fmt: skip
ZONES = ("America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles", "UTC")


@dataclass(frozen=True)
class Spec:
    resources: int
    ports: tuple[int, ...]  # one pretend host per port on 127.0.0.1
    seed: int = 8


def host_url(spec: Spec, index: int) -> str:
    return f"http://127.0.0.1:{spec.ports[index % len(spec.ports)]}"


def _name(rng: random.Random) -> str:
    words = [rng.choice(WORDS).capitalize() for _ in range(rng.randint(1, 3))]
    return f"{rng.choice(ADJECTIVES)} {' '.join(words)}"


def _description(rng: random.Random) -> str:
    text = " ".join(rng.sample(SENTENCES, rng.randint(1, 3)))
    return text if len(text) <= 290 else text[: text.rfind(" ", 0, 290)]


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def resource_yaml(spec: Spec, index: int, rng: random.Random) -> tuple[str, str, str]:
    """(tab, slug, file text) of resource number `index`."""
    tab = TABS[index % len(TABS)][0]
    kind = rng.choice(KIND_BY_TAB[tab])
    name = _name(rng)
    slug = f"{name.lower().replace(' ', '-')}-{index}"
    base = host_url(spec, index)
    lines = [
        MODELINE.rstrip("\n"),
        f"name: {_quoted(name + ' ' + str(index))}",
        f"url: {base}/{tab}/{slug}/",
        f"kind: {kind}",
        f"description: {_quoted(_description(rng))}",
        "stages: [" + ", ".join(sorted(rng.sample(STAGE_NAMES, rng.randint(1, 3)))) + "]",
        "tags: [" + ", ".join(rng.sample(TAGS, rng.randint(2, 5))) + "]",
    ]
    if index % FEED_SHARE == 0:
        lines.append(f"feed: {base}/{tab}/{slug}/feed.xml")
    if rng.random() < 0.3:
        lines.append(f'handles: {{mastodon: "@{slug[:20].replace("-", "_")}@mastodon.social"}}')
    if kind in ("chat", "webinar"):
        zone = rng.choice(ZONES)
        lines.append(
            f'schedule: {{text: "Monthly, first Monday, 8 pm", rrule: "FREQ=MONTHLY;BYDAY=1MO", '
            f'time: "20:00", timezone: "{zone}"}}'
        )
        if kind == "chat":
            lines.append(f'hashtag: "#{slug.replace("-", "")[:20]}"')
    lines.append(f"cost: {rng.choice(('free', 'free', 'free', 'freemium', 'paid'))}")
    lines.append("audience: [" + rng.choice(("all", "elementary", "secondary, middle")) + "]")
    if rng.random() < 0.03:
        lines.append("status: archived")
        lines.append(f"archive_url: {base}/archive/{slug}/")
    lines.append(
        f'added: "20{rng.randint(13, 26)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"'
    )
    if rng.random() < 0.4:
        year = rng.randint(2013, 2026)
        lines.append(f"notes: {_quoted(f'Suggested by a member in {year}; ' + _description(rng))}")
    return tab, slug, "\n".join(lines) + "\n"


STAGE_NAMES = ("consumption", "connection", "creation", "contribution")


def binder_yaml() -> str:
    tabs = "\n".join(
        f"  - {{id: {tid}, title: {_quoted(title)}, intro: {_quoted(intro)}}}"
        for tid, title, intro in TABS
    )
    return (
        "title: Benchmark PLN Starter Kit\n"
        "short_title: Bench Kit\n"
        'description: "A synthetic kit, generated for the benchmark."\n'
        "intro: |\n  A generated kit: **many** resources, to time PLN Kit at scale.\n"
        f"tabs:\n{tabs}\n"
    )


def iter_resources(spec: Spec) -> Iterator[tuple[str, str, str]]:
    rng = random.Random(spec.seed)
    for index in range(spec.resources):
        yield resource_yaml(spec, index, rng)


def write_kit(out: Path, spec: Spec, schema: Path | None = None) -> Path:
    """Write the kit into `out` (replacing what was there); returns `out`."""
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    (out / "binder.yml").write_text(binder_yaml(), encoding="utf-8")
    for tab, _title, _intro in TABS:
        (out / tab).mkdir()
    if schema is not None and schema.is_file():
        (out / "schema").mkdir()
        shutil.copyfile(schema, out / "schema" / schema.name)
    for tab, slug, text in iter_resources(spec):
        (out / tab / f"{slug}.yml").write_text(text, encoding="utf-8")
    return out


def kit_urls(kit_dir: Path) -> tuple[list[str], list[str]]:
    """(resource URLs, feed URLs) of a generated kit, read back from its files, in order."""
    urls: list[str] = []
    feeds: list[str] = []
    for path in sorted(kit_dir.glob("*/*.yml")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith("url: "):
                urls.append(line[5:].strip())
            elif line.startswith("feed: "):
                feeds.append(line[6:].strip())
    return urls, feeds


def archived_urls(kit_dir: Path) -> set[str]:
    """The resource and feed URLs of resources the curator marked archived (about 3%).

    `plnkit check-links` does not request these (it shows their archived copy instead), so
    the benchmark leaves them out of the list every link checker is given: all check the
    same URLs, and all should report the same broken ones."""
    found: set[str] = set()
    for path in sorted(kit_dir.glob("*/*.yml")):
        lines = path.read_text(encoding="utf-8").splitlines()
        if "status: archived" in lines:
            found.update(
                line.split(": ", 1)[1].strip()
                for line in lines
                if line.startswith(("url: ", "feed: "))
            )
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--resources", type=int, default=1000)
    parser.add_argument("--base-port", type=int, default=18300)
    parser.add_argument("--hosts", type=int, default=32)
    parser.add_argument("--seed", type=int, default=8)
    args = parser.parse_args()
    schema = Path(__file__).resolve().parent.parent / "kit" / "schema" / "resource.schema.json"
    ports = tuple(range(args.base_port, args.base_port + args.hosts))
    spec = Spec(args.resources, ports, args.seed)
    write_kit(args.out, spec, schema)
    print(f"wrote {args.resources} resources to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
