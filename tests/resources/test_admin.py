"""Editors in /admin/: they write and preview guides, news, pages and events, not the directory.

Every editor form refuses empty, oversized and hostile input with the admin's error list,
stores nothing and never answers 500.
"""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from alliance.models import AuditEvent
from resources.models import BODY_MAX_LENGTH, Article, Event
from tests.conftest import sign_in
from tests.directory.factories import OrganisationFactory, PublishedServiceFactory
from tests.resources.factories import (
    DraftGuideFactory,
    GuideFactory,
    NewsFactory,
    PageFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db
ADD = "/admin/resources/article/add/"


@pytest.fixture
def editor_client(client: Client, editor) -> Client:  # type: ignore[no-untyped-def]
    sign_in(client, editor)
    return client


@pytest.fixture
def curator_client(client: Client, curator) -> Client:  # type: ignore[no-untyped-def]
    sign_in(client, curator)
    return client


def article_form(**changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "kind": "guide",
        "title": "Making a parenting plan",
        "slug": "making-a-parenting-plan",
        "language": "en",
        "summary": "How to write down what you agree.",
        "body": "## Start\n\nTalk about the children first.",
        "audience": ["parents"],
        "categories": ["mediation"],
        "publish_at_0": "",
        "publish_at_1": "",
        "review_by": "2027-01-01",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


# Who may do what ----------------------------------------------------------------------------


def test_an_editor_adds_a_guide_as_a_draft_and_it_is_audited(editor_client: Client) -> None:
    response = editor_client.post(ADD, article_form())

    assert response.status_code == 302, response.content.decode()[:2000]
    article = Article.objects.get(slug="making-a-parenting-plan")
    assert article.status == Article.Status.DRAFT
    assert article.categories == ["mediation"]
    assert AuditEvent.objects.filter(action="resources.article.create").count() == 1


@pytest.mark.parametrize(
    "path",
    [
        "/admin/resources/article/",
        ADD,
        "/admin/resources/topic/",
        "/admin/resources/event/",
        "/admin/resources/event/add/",
    ],
)
def test_every_editor_page_opens_for_an_editor(editor_client: Client, path: str) -> None:
    assert editor_client.get(path).status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/admin/directory/service/",
        "/admin/directory/service/add/",
        "/admin/directory/organisation/",
        "/admin/directory/category/",
        "/admin/directory/location/",
    ],
)
def test_an_editor_cannot_open_the_directory(editor_client: Client, path: str) -> None:
    assert editor_client.get(path).status_code == 403


def test_an_editor_cannot_change_a_listing(editor_client: Client) -> None:
    service = PublishedServiceFactory(name="City Mediation")

    response = editor_client.post(
        f"/admin/directory/service/{service.pk}/change/", {"name": "Changed by an editor"}
    )

    assert response.status_code == 403
    service.refresh_from_db()
    assert service.name == "City Mediation"


def test_the_admin_index_shows_an_editor_only_the_resources(editor_client: Client) -> None:
    OrganisationFactory()

    page = editor_client.get("/admin/").content.decode()

    assert "/admin/resources/article/" in page
    assert "/admin/directory/" not in page


@pytest.mark.parametrize("path", ["/admin/resources/article/", ADD, "/admin/resources/event/"])
def test_a_curator_cannot_edit_the_resources(curator_client: Client, path: str) -> None:
    assert curator_client.get(path).status_code == 403


def test_an_editor_without_the_second_factor_is_sent_to_it(client: Client, editor) -> None:  # type: ignore[no-untyped-def]
    sign_in(client, editor, second_factor=False)

    response = client.get("/admin/resources/article/", follow=True)

    assert response.redirect_chain[-1][0].startswith("/accounts/two-factor/")


# Previews, publishing and reviews ----------------------------------------------------------


def test_an_editor_previews_a_draft_the_public_cannot_see(
    editor_client: Client, client: Client
) -> None:
    draft = DraftGuideFactory(
        slug="secret-draft", title="Draft for preview", body="Words **here**."
    )

    preview = editor_client.get(f"/admin/resources/article/{draft.pk}/preview/")

    assert preview.status_code == 200
    page = preview.content.decode()
    assert "Draft for preview" in page
    assert "<strong>here</strong>" in page
    assert "This is a preview for editors" in page
    assert "noindex" in page
    assert Client().get("/resources/secret-draft/").status_code == 404


def test_a_curator_cannot_preview_a_draft(curator_client: Client) -> None:
    draft = DraftGuideFactory()

    assert curator_client.get(f"/admin/resources/article/{draft.pk}/preview/").status_code == 404


def test_previewing_a_missing_article_is_not_found(editor_client: Client) -> None:
    assert editor_client.get("/admin/resources/article/999999/preview/").status_code == 404


def test_the_publish_action_publishes_and_schedules(editor_client: Client) -> None:
    now_guide = DraftGuideFactory(slug="now")
    later_guide = DraftGuideFactory(slug="later", publish_at=timezone.now() + timedelta(days=5))

    response = editor_client.post(
        "/admin/resources/article/",
        {"action": "publish", "_selected_action": [now_guide.pk, later_guide.pk]},
    )

    assert response.status_code == 302
    now_guide.refresh_from_db()
    later_guide.refresh_from_db()
    assert now_guide.state() == "published"
    assert later_guide.state() == "scheduled"


def test_the_unpublish_action_returns_a_guide_to_draft(editor_client: Client) -> None:
    guide = GuideFactory()

    editor_client.post(
        "/admin/resources/article/", {"action": "unpublish", "_selected_action": [guide.pk]}
    )

    guide.refresh_from_db()
    assert guide.status == Article.Status.DRAFT


def test_saving_the_form_never_changes_the_state(editor_client: Client) -> None:
    guide = DraftGuideFactory(slug="stay-draft")

    response = editor_client.post(
        f"/admin/resources/article/{guide.pk}/change/",
        article_form(slug="stay-draft", status="published"),
    )

    assert response.status_code == 302
    guide.refresh_from_db()
    assert guide.status == Article.Status.DRAFT


def test_editors_are_told_about_overdue_reviews(editor_client: Client) -> None:
    GuideFactory(title="Old guide", review_by=timezone.localdate() - timedelta(days=1))
    GuideFactory(title="Fresh guide", review_by=timezone.localdate() + timedelta(days=30))

    listing = editor_client.get("/admin/resources/article/")
    overdue = editor_client.get("/admin/resources/article/", {"review": "overdue"})

    assert "1 article is overdue for review" in listing.content.decode()
    assert {a.title for a in overdue.context["cl"].result_list} == {"Old guide"}


def test_the_state_filter_tells_scheduled_from_published(editor_client: Client) -> None:
    GuideFactory(title="Live")
    NewsFactory(title="Scheduled", publish_at=timezone.now() + timedelta(days=1))
    DraftGuideFactory(title="Draft")

    def titles(state: str) -> set[str]:
        response = editor_client.get("/admin/resources/article/", {"state": state})
        return {a.title for a in response.context["cl"].result_list}

    assert titles("published") == {"Live"}
    assert titles("scheduled") == {"Scheduled"}
    assert titles("draft") == {"Draft"}


# Empty, oversized and hostile input ---------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": "", "summary": "", "body": "", "slug": ""}, "title"),
        ({"title": "t" * 121}, "title"),
        ({"summary": "s" * 301}, "summary"),
        ({"slug": "s" * 81}, "slug"),
        ({"body": "b" * (BODY_MAX_LENGTH + 1)}, "body"),
        ({"title": "Null\x00byte"}, "title"),
        ({"title": "Two\nlines"}, "title"),
        ({"summary": "Escape \x1b[31m"}, "summary"),
        ({"body": "A NUL \x00 in the body"}, "body"),
        ({"slug": "not a slug/../x"}, "slug"),
        ({"slug": "<script>"}, "slug"),
        ({"categories": ["not_a_category"]}, "categories"),
        ({"audience": ["everyone"]}, "audience"),
        ({"kind": "script"}, "kind"),
        ({"language": "xx"}, "language"),
        ({"review_by": "31/02/2027"}, "review_by"),
        ({"review_by": "9" * 40}, "review_by"),
        ({"publish_at_0": "2027-13-01", "publish_at_1": "25:00"}, "publish_at"),
        ({"topic": "999999999999999999999"}, "topic"),
        ({"kind": "page", "slug": "contact"}, "slug"),
    ],
)
def test_bad_article_input_is_refused_and_nothing_stored(
    editor_client: Client, changes: dict[str, object], field: str
) -> None:
    response = editor_client.post(ADD, article_form(**changes))

    assert response.status_code == 200
    assert field in response.context["adminform"].form.errors
    assert "Please correct the error" in response.content.decode()
    assert not Article.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="resources.").exists()


def test_a_second_article_with_the_same_slug_and_language_is_refused(
    editor_client: Client,
) -> None:
    GuideFactory(slug="making-a-parenting-plan")

    response = editor_client.post(ADD, article_form())

    assert response.status_code == 200
    assert Article.objects.count() == 1


def test_hostile_markdown_is_stored_as_written_but_never_served_as_html(
    editor_client: Client,
) -> None:
    body = '<script>alert(1)</script>\n\n[x](javascript:alert(2))\n\n<iframe src="//e"></iframe>'
    editor_client.post(ADD, article_form(body=body))
    article = Article.objects.get()

    preview = editor_client.get(f"/admin/resources/article/{article.pk}/preview/").content.decode()

    assert "alert(1)" not in preview
    assert "javascript:" not in preview
    assert "<iframe" not in preview


def event_form(**changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "title": "Safeguarding briefing",
        "summary": "An hour for practitioners.",
        "starts_at_0": "2099-03-04",
        "starts_at_1": "09:30",
        "ends_at_0": "2099-03-04",
        "ends_at_1": "10:30",
        "place": "Town Hall",
        "booking_url": "https://example.org/book",
    }
    data.update(changes)
    return data


def test_an_editor_adds_an_event(editor_client: Client) -> None:
    response = editor_client.post("/admin/resources/event/add/", event_form())

    assert response.status_code == 302
    assert Event.objects.get().place == "Town Hall"
    assert AuditEvent.objects.filter(action="resources.event.create").count() == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": ""}, "title"),
        ({"title": "t" * 121}, "title"),
        ({"title": "a\x00b"}, "title"),
        ({"place": ""}, "place"),
        ({"place": "p" * 201}, "place"),
        ({"ends_at_0": "2099-03-03"}, "ends_at"),
        ({"booking_url": "javascript:alert(1)"}, "booking_url"),
        ({"booking_url": "https://example.org/" + "a" * 500}, "booking_url"),
    ],
)
def test_bad_event_input_is_refused_and_nothing_stored(
    editor_client: Client, changes: dict[str, object], field: str
) -> None:
    response = editor_client.post("/admin/resources/event/add/", event_form(**changes))

    assert response.status_code == 200
    assert field in response.context["adminform"].form.errors
    assert not Event.objects.exists()


def test_only_a_guide_has_a_topic(editor_client: Client) -> None:
    topic = TopicFactory()

    response = editor_client.post(ADD, article_form(kind="news", topic=str(topic.pk)))

    assert "topic" in response.context["adminform"].form.errors
    assert not Article.objects.exists()


def test_emptying_publish_at_on_a_live_guide_keeps_it_live(
    editor_client: Client, client: Client
) -> None:
    guide = GuideFactory(slug="making-a-parenting-plan")

    response = editor_client.post(f"/admin/resources/article/{guide.pk}/change/", article_form())

    assert response.status_code == 302
    assert Client().get("/resources/making-a-parenting-plan/").status_code == 200


def test_an_editor_previews_one_of_the_alliance_pages(editor_client: Client) -> None:
    about = PageFactory(slug="about", title="About us", status=Article.Status.DRAFT)

    page = editor_client.get(f"/admin/resources/article/{about.pk}/preview/").content.decode()

    assert "About us" in page
    assert "This is a preview for editors" in page


def test_view_on_site_is_offered_only_for_a_live_article(editor_client: Client) -> None:
    draft = DraftGuideFactory()
    live = GuideFactory()

    draft_page = editor_client.get(f"/admin/resources/article/{draft.pk}/change/")
    live_page = editor_client.get(f"/admin/resources/article/{live.pk}/change/")

    assert draft_page.status_code == live_page.status_code == 200
    assert "View on site" not in draft_page.content.decode()
    assert "View on site" in live_page.content.decode()
    assert "Preview as the public will see it" in draft_page.content.decode()
