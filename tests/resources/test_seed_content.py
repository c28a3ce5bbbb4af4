"""The seeded guides, news and pages are well formed, safe to read and plain enough (issue 12).

No database: these read the files under `resources/seed/` the way the loader will (front matter
between two `+++` lines, TOML; a Markdown body) and check what the loader cannot: the facts
that must not drift (helpline numbers come only from `alliance/helplines.py`), the wording
rules (DESIGN.md privacy and safety rule 5: no minimising words about abuse, and joint options
never offered without saying plainly they are not for someone who is unsafe) and the reading
level of every guide.

Reading level. The brief is "plain English, a reading age of about 9 to 11". A UK reading age
is roughly a US school grade plus 5, so 9 to 11 is US grades 4 to 6; the Flesch-Kincaid grade
of a guide must therefore be at most 6.0. Flesch's own table puts a reading ease of 80 to 90
("easy") at grade 6 and 70 to 80 ("fairly easy") at grade 7, so a guide must also score at least
80 on reading ease. Measured with the syllable counting below, the thirteen guides score grade
2.1 to 4.0 and ease 84 to 95 (the figures in the report of issue 12), so the thresholds sit at
the top of the reading-age band, not at whatever the text happened to reach; the control
passage in `test_the_reading_check_tells_legal_english_from_plain_english` (our own formal
rewording of the same facts) fails both, which shows the check can tell the two apart.

Syllables are counted by pyphen's hyphenation dictionary alone. textstat 0.7 first looks words
up in NLTK's CMU dictionary, which it downloads on first use; tests run without a network, and
a measure that depends on whether a download once worked is not a test. Pyphen ships inside its
wheel, so the figures are the same on every machine.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest
import textstat  # type: ignore[import-untyped]
import textstat.backend.counts._count_syllables as textstat_syllables  # type: ignore[import-untyped]

from alliance.helplines import HELPLINES
from directory.taxonomy import JOINT_OPTIONS, CategoryCode
from resources.content import markdown_to_html

SEED = Path(__file__).resolve().parents[2] / "resources" / "seed"
GUIDES = sorted((SEED / "guides").glob("*.md"))
NEWS = sorted((SEED / "news").glob("*.md"))
PAGES = sorted((SEED / "pages").glob("*.md"))

REQUIRED_GUIDES = {
    "the-parenting-programme",
    "mediation-and-miams",
    "ways-to-agree-arrangements",
    "making-a-parenting-plan",
    "listening-to-your-children",
    "the-first-hearing-and-cafcass",
    "domestic-abuse-getting-help",
    "money-and-child-maintenance",
    "co-parenting-after-separation",
    "childrens-emotional-wellbeing",
    "kinship-carers-and-childrens-services",
    "for-young-people",
}
TOPICS = {
    "Agreeing arrangements",
    "Going to court",
    "Safety",
    "Children",
    "Money",
    "Looking after yourself",
    "Young people",
}
AUDIENCES = {"parents", "young_people", "practitioners"}
CATEGORY_CODES = {code.value for code in CategoryCode}
COMMON_KEYS = {"title", "summary", "audience", "categories", "review_by", "language"}
KEYS = {
    "guides": COMMON_KEYS | {"topic"},
    "news": COMMON_KEYS | {"published"},
    "pages": COMMON_KEYS,
}

# Our own pages a seed body may link to: DESIGN.md's stable public contract, the guides, and
# the alliance's two sub-pages (their paths are the loader's to confirm).
STABLE_PATHS = {
    "/",
    "/services/",
    "/services/suggest/",
    "/contact/",
    "/news/",
    "/about/",
    "/about/standards/",
    "/practitioners/",
    "/get-help/",
    "/resources/",
    "/parenting-plan/",
    "/referrals/",
}

# DESIGN.md privacy and safety rule 5 and domain.md 2.3 (Cafcass Domestic Abuse Practice
# Policy): abuse is never written down as alleged, historical, high conflict or a one-off.
MINIMISING = re.compile(r"\balleg\w*|\bhistoric\w*|\bhigh[- ]conflict\b|\bone[- ]off\b", re.I)
RAW_HTML = re.compile(r"<\s*[a-z/!?]", re.I)
LINK = re.compile(r"\[([^\]]*)\]\(([^)\s]*)[^)]*\)")
UK_NUMBER = re.compile(r"(?<![\d-])0\d{2,4}(?: \d{3,4}){1,2}(?![\d-])")
SHORT_NUMBER = re.compile(r"(?<!\d)(?:999|101|116 123)(?!\d)")
# A guide that mentions a joint option must say plainly, in its safety section, that it is not
# for someone who is unsafe (DESIGN.md rule 5; directory.taxonomy.JOINT_OPTIONS).
JOINT_WORDS = re.compile(
    r"mediation|mediator|\bMIAM|parenting plan|shared plan|Planning Together|co-parent", re.I
)
SAFETY_HEADING = re.compile(r"^## (If .*(safe|danger|abuse)|Things that are not right)", re.I)
PLAINLY_NOT_FOR_YOU = re.compile(
    r"not for you|not right for|not for everyone|not suitable|not safe|do not have to", re.I
)


def split_front_matter(text: str) -> tuple[dict[str, object], str]:
    lines = text.split("\n")
    assert lines[0] == "+++", "the first line must be +++"
    end = lines.index("+++", 1)
    return tomllib.loads("\n".join(lines[1:end])), "\n".join(lines[end + 1 :])


def plain_text(markdown: str) -> str:
    """The words a reader reads: link text without addresses, no Markdown marks; a heading or a
    list item is its own sentence (readers take them one at a time, and without a full stop the
    formula would run them into the next sentence)."""
    out = []
    for raw in markdown.split("\n"):
        line = LINK.sub(r"\1", raw)
        line = re.sub(r"^\s*(#+|[-*+]|\d+\.|>)\s*", "", line)
        line = line.replace("**", "").replace("__", "").replace("|", " ").strip()
        if not line:
            continue
        if line[-1] not in ".!?:":
            line += "."
        out.append(line)
    return "\n".join(out)


def sections(body: str) -> Iterator[tuple[str, str]]:
    heading, lines = "", []
    for line in body.split("\n"):
        if line.startswith("## "):
            yield heading, "\n".join(lines)
            heading, lines = line, []
        else:
            lines.append(line)
    yield heading, "\n".join(lines)


def numbers_in(text: str) -> list[str]:
    long_numbers = UK_NUMBER.findall(text)
    rest = UK_NUMBER.sub(" ", text)
    return long_numbers + SHORT_NUMBER.findall(rest)


@pytest.fixture
def offline_syllables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(textstat_syllables, "get_cmudict", lambda lang: None)


def readability(text: str) -> tuple[float, float]:
    return textstat.flesch_kincaid_grade(text), textstat.flesch_reading_ease(text)


def every_file() -> list[Path]:
    return GUIDES + NEWS + PAGES


def kind_of(path: Path) -> str:
    return path.parent.name


def test_every_required_guide_and_page_is_seeded() -> None:
    assert {p.stem for p in GUIDES} >= REQUIRED_GUIDES
    assert {p.stem for p in PAGES} == {"about", "standards", "practitioners"}
    assert 3 <= len(NEWS) <= 4


@pytest.mark.parametrize("path", every_file(), ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_front_matter_has_the_keys_the_loader_needs(path: Path) -> None:
    meta, _ = split_front_matter(path.read_text(encoding="utf-8"))
    kind = kind_of(path)

    assert set(meta) == KEYS[kind]
    assert isinstance(meta["title"], str)
    assert 0 < len(meta["title"]) <= 120
    summary = meta["summary"]
    assert isinstance(summary, str)
    assert len(summary) <= 200
    assert summary.endswith(".")
    assert ". " not in summary[:-1], "the summary is one sentence"
    assert not re.search(r"[*_\[\]#<>`]", summary), "the summary is plain text"
    assert isinstance(meta["audience"], list)
    assert meta["audience"]
    assert set(meta["audience"]) <= AUDIENCES
    assert isinstance(meta["categories"], list)
    assert set(meta["categories"]) <= CATEGORY_CODES
    assert type(meta["review_by"]) is dt.date
    assert meta["review_by"].year == 2027
    assert meta["language"] == "en"
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", path.stem)
    if kind == "guides":
        assert meta["topic"] in TOPICS
        assert meta["categories"], "every guide lists matching local services"
    if kind == "news":
        published = meta["published"]
        assert type(published) is dt.date
        assert path.stem.startswith(f"{published.isoformat()}-")
        assert meta["review_by"] > published


def test_the_young_peoples_guide_is_for_young_people() -> None:
    meta, _ = split_front_matter((SEED / "guides" / "for-young-people.md").read_text())
    assert meta["audience"] == ["young_people"]
    assert meta["topic"] == "Young people"


@pytest.mark.parametrize("path", every_file(), ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_body_is_markdown_only_with_headings_from_h2_and_root_relative_links(path: Path) -> None:
    _, body = split_front_matter(path.read_text(encoding="utf-8"))
    guide_slugs = {p.stem for p in GUIDES}

    assert body.strip()
    assert not RAW_HTML.search(body), "no raw HTML in a seed body"
    assert not re.search(r"^# ", body, re.M), "the title is the page's only h1"
    assert not re.search(r"^(=+|-{3,})\s*$", body, re.M), "no setext headings or rules"
    for _, target in LINK.findall(body):
        if target.startswith("/"):
            path_only = target.split("?")[0].split("#")[0]
            guide = re.fullmatch(r"/resources/([a-z0-9-]+)/", path_only)
            assert path_only in STABLE_PATHS or (guide and guide[1] in guide_slugs), target
        else:
            assert target.startswith("https://"), f"an outside link is https: {target}"


@pytest.mark.parametrize("path", every_file(), ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_body_renders_through_the_sanitiser_with_every_link_and_heading(path: Path) -> None:
    _, body = split_front_matter(path.read_text(encoding="utf-8"))
    html = markdown_to_html(body)

    assert html.count("<a ") == len(LINK.findall(body))
    assert html.count("<h2 ") == len(re.findall(r"^## ", body, re.M))
    assert html.count("<h3 ") == len(re.findall(r"^### ", body, re.M))
    assert "**" not in html
    assert "](" not in html


@pytest.mark.parametrize("path", every_file(), ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_no_words_that_minimise_abuse(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert not MINIMISING.search(text), MINIMISING.search(text)


@pytest.mark.parametrize("path", every_file(), ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_every_helpline_number_is_the_one_in_the_helplines_table(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    known = {line.number for line in HELPLINES.values()}
    names = {str(line.name): line.number for line in HELPLINES.values()}
    # Short forms a writer uses for the same lines.
    names |= {
        "National Domestic Abuse Helpline": HELPLINES["domestic_abuse"].number,
        "Galop": HELPLINES["galop"].number,
        "Respect": HELPLINES["respect"].number,
    }

    for number in numbers_in(text):
        assert number in known, f"{number} is not in alliance/helplines.py"
    for line in text.split("\n"):
        for name, number in names.items():
            at = line.find(name)
            if at < 0:
                continue
            found = numbers_in(line[at + len(name) :])
            if found:
                assert found[0] == number, f"{name} is {number}, not {found[0]}"


@pytest.mark.parametrize("path", GUIDES, ids=lambda p: p.stem)
def test_every_guide_points_to_help_for_someone_not_safe(path: Path) -> None:
    meta, body = split_front_matter(path.read_text(encoding="utf-8"))
    safety = "\n".join(text for heading, text in sections(body) if SAFETY_HEADING.match(heading))

    assert "(/get-help/)" in body
    assert safety, "a guide has an 'If you are not safe' section"
    assert "999" in body
    if JOINT_WORDS.search(body) or set(meta["categories"]) & set(JOINT_OPTIONS):
        assert PLAINLY_NOT_FOR_YOU.search(safety), "say plainly joint options are not for you"


@pytest.mark.parametrize("path", GUIDES, ids=lambda p: p.stem)
def test_every_guide_reads_at_a_reading_age_of_about_9_to_11(
    path: Path, offline_syllables: None
) -> None:
    _, body = split_front_matter(path.read_text(encoding="utf-8"))
    text = plain_text(body)
    words = len(text.split())
    grade, ease = readability(text)

    assert 350 <= words <= 900, f"{words} words"
    assert grade <= 6.0, f"Flesch-Kincaid grade {grade}"
    assert ease >= 80, f"Flesch reading ease {ease}"


def test_the_reading_check_tells_legal_english_from_plain_english(offline_syllables: None) -> None:
    legal = (
        "Attendance at a Mediation Information and Assessment Meeting is ordinarily a "
        "prerequisite to the issue of an application for a child arrangements order, save "
        "where the applicant is able to demonstrate that one of the prescribed exemptions, "
        "including evidence of domestic abuse or circumstances of urgency, is applicable. "
        "The determination of suitability for non-court dispute resolution rests with the "
        "accredited mediator, who will undertake an individual screening assessment."
    )
    plain = (
        "Most people must go to a meeting with a mediator before they go to court. It is "
        "called a MIAM. You do not need one if there is proof of domestic abuse. You do not "
        "need one if it is urgent. The mediator sees you on your own first. They check if "
        "mediation is safe for you."
    )

    legal_grade, legal_ease = readability(legal)
    plain_grade, plain_ease = readability(plain)

    assert legal_grade > 6.0
    assert legal_ease < 80
    assert plain_grade <= 6.0
    assert plain_ease >= 80


def test_plain_text_drops_markdown_and_link_addresses() -> None:
    text = plain_text("## Get help\n\n- Call **999**\n- Read [our guide](/resources/x/).")

    assert text == "Get help.\nCall 999.\nRead our guide."


def test_events_are_practitioners_training_in_2027() -> None:
    events = tomllib.loads((SEED / "events.toml").read_text(encoding="utf-8"))["event"]

    assert 3 <= len(events) <= 5
    for event in events:
        assert set(event) in (
            {"title", "starts_at", "ends_at", "place", "booking_url", "summary", "audience"},
            {"title", "starts_at", "ends_at", "online", "booking_url", "summary", "audience"},
        )
        assert isinstance(event["starts_at"], dt.datetime)
        assert event["starts_at"].tzinfo is not None
        assert event["ends_at"].tzinfo is not None
        assert event["starts_at"].year == 2027
        assert event["starts_at"] < event["ends_at"]
        if "online" in event:
            assert event["online"] is True
        else:
            assert event["place"]
        assert event["booking_url"].startswith("https://example.org/")
        assert event["audience"] == "practitioners"
        assert not MINIMISING.search(event["summary"])
