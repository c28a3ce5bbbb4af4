"""The demo's guides, news, pages and events load from files, idempotently (resources/demo.py)."""

import io
import re
from pathlib import Path

import pytest
from django.core.management.base import CommandError

from alliance.models import AuditEvent
from resources import demo
from resources.models import Article, Event, Topic

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "seed"


def test_the_seed_files_load_as_live_articles_topics_and_events() -> None:
    changed = demo.load(FIXTURES)

    assert changed == {"guides": 2, "news": 2, "pages": 3, "events": 2}
    guide = Article.objects.get(slug="mediation-and-miams")
    assert guide.kind == Article.Kind.GUIDE
    assert guide.state() == "published"
    assert guide.topic.name == "Agreeing arrangements"
    assert guide.categories == ["mediation", "miams"]
    assert str(guide.review_by) == "2027-05-01"
    assert guide.body.startswith("## What mediation is")
    news = Article.objects.get(kind=Article.Kind.NEWS, slug="new-guides")
    assert news.publish_at.isoformat() == "2026-01-15T09:00:00+00:00"
    assert Article.objects.get(slug="far-future").state() == "scheduled"
    assert set(Article.objects.filter(kind="page").values_list("slug", flat=True)) == {
        "about",
        "standards",
        "practitioners",
    }
    assert list(Topic.objects.values_list("name", flat=True)) == list(demo.TOPICS)
    online = Event.objects.get(title__startswith="Planning Together")
    assert online.online
    assert online.place == ""


def test_loading_twice_changes_nothing() -> None:
    demo.load(FIXTURES)
    events_before = AuditEvent.objects.count()
    updated = dict(Article.objects.values_list("slug", "updated_at"))

    changed = demo.load(FIXTURES)

    assert changed == {"guides": 0, "news": 0, "pages": 0, "events": 0}
    assert AuditEvent.objects.count() == events_before
    assert dict(Article.objects.values_list("slug", "updated_at")) == updated


def test_the_file_wins_over_an_edit_since(tmp_path: Path) -> None:
    demo.load(FIXTURES)
    Article.objects.filter(slug="for-young-people").update(title="Edited in the admin")

    changed = demo.load(FIXTURES)

    assert changed["guides"] == 1
    assert Article.objects.get(slug="for-young-people").title == "For young people"


def test_no_seed_folder_is_nothing_to_load(tmp_path: Path) -> None:
    assert demo.load(tmp_path / "missing") == {"guides": 0, "news": 0, "pages": 0, "events": 0}
    assert not Article.objects.exists()


def test_seed_demo_runs_with_whatever_is_in_the_seed_folder() -> None:
    out = io.StringIO()

    demo.seed(out)
    demo.seed(out)

    assert "(0 changed by this load)" in out.getvalue().splitlines()[-1]


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


GOOD = '+++\ntitle = "T"\nsummary = "S"\ntopic = "Safety"\n+++\nBody\n'


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("a.md", "title = 'no front matter'\n", "first line must be +++"),
        ("a.md", "+++\ntitle = 'T'\n", "no closing +++"),
        ("a.md", "+++\ntitle = \n+++\n", "not valid TOML"),
        ("a.md", GOOD.replace('"Safety"', '"Gardening"'), "topic must be one of"),
        ("a.md", GOOD.replace('title = "T"', 'title = "' + "t" * 121 + '"'), "longer than 120"),
        ("a.md", GOOD.replace('title = "T"', "title = 5"), "title must be some text"),
        ("a.md", GOOD.replace("+++\nBody", 'categories = ["gardening"]\n+++\nBody'), "do"),
        ("a.md", GOOD.replace("+++\nBody", 'audience = ["everyone"]\n+++\nBody'), "do"),
        ("a.md", GOOD.replace("+++\nBody", 'language = "xx"\n+++\nBody'), "language"),
        ("a.md", GOOD.replace("+++\nBody", "colour = 'red'\n+++\nBody"), "does not know"),
        ("a.md", GOOD.replace("+++\nBody", "review_by = 'soon'\n+++\nBody"), "a date"),
        ("a.md", GOOD.replace("Body", "b" * 40_001), "body is longer"),
        ("Not A Slug.md", GOOD, "must be a slug"),
    ],
)
def test_a_bad_guide_file_stops_the_load_naming_the_file(
    tmp_path: Path, name: str, text: str, message: str
) -> None:
    write(tmp_path / "guides", name, text)

    with pytest.raises(demo.SeedError, match=re.escape(message)) as error:
        demo.load(tmp_path)

    assert f"guides/{name}" in str(error.value)


def test_a_news_file_needs_its_date_in_the_name(tmp_path: Path) -> None:
    write(tmp_path / "news", "no-date.md", GOOD.replace('topic = "Safety"\n', ""))

    with pytest.raises(demo.SeedError, match="yyyy-mm-dd"):
        demo.load(tmp_path)


def test_a_page_must_be_one_of_the_alliance_pages(tmp_path: Path) -> None:
    write(tmp_path / "pages", "contact.md", GOOD.replace('topic = "Safety"\n', ""))

    with pytest.raises(demo.SeedError, match="pages are"):
        demo.load(tmp_path)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[[event]]\ntitle = 'x'\nstarts_at = 2099-01-01T09:00:00\n", "with an offset"),
        ("[[event]]\ntitle = 'x'\nbanana = 1\n", "does not know"),
        ("[talk]\n", "does not know"),
        (
            "[[event]]\ntitle = 'x'\nstarts_at = 2099-01-01T09:00:00Z\n"
            "ends_at = 2099-01-01T08:00:00Z\nplace = 'Hall'\n",
            "after the start",
        ),
    ],
)
def test_a_bad_events_file_stops_the_load(tmp_path: Path, text: str, message: str) -> None:
    write(tmp_path, "events.toml", text)

    with pytest.raises(demo.SeedError, match=message):
        demo.load(tmp_path)


def test_seed_turns_a_bad_file_into_a_command_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path / "guides", "a.md", "nothing")
    monkeypatch.setattr(demo, "SEED_DIR", tmp_path)

    with pytest.raises(CommandError, match=re.escape("guides/a.md")):
        demo.seed(io.StringIO())


def test_every_seed_file_parses() -> None:
    """The shipped seed (written by the content work) loads as it is, and again unchanged.

    Its words (reading level, helplines) are checked by tests/resources/test_seed_content.py.
    """
    demo.load(demo.SEED_DIR)

    assert not any(demo.load(demo.SEED_DIR).values())
