"""The public pages: guides with local services, search, news and its feed, the alliance's pages."""

from datetime import timedelta
from xml.etree import ElementTree

import pytest
from django.test import Client
from django.utils import timezone

from directory.models import Category, Service
from directory.taxonomy import CategoryCode
from resources.models import Article
from tests.directory.factories import (
    CategoryFactory,
    DraftServiceFactory,
    OrganisationFactory,
    PublishedServiceFactory,
)
from tests.resources.factories import (
    DraftGuideFactory,
    EventFactory,
    GuideFactory,
    NewsFactory,
    PageFactory,
    ScheduledGuideFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


def category(code: CategoryCode) -> Category:
    return Category.objects.get(code=code)


# Guides and their local services ----------------------------------------------------------


def test_a_guide_lists_the_listed_local_services_in_its_categories(client: Client) -> None:
    online_mediation = CategoryFactory(
        name="Online mediation", parent=category(CategoryCode.MEDIATION)
    )
    PublishedServiceFactory(name="City Mediation", categories=[category(CategoryCode.MEDIATION)])
    PublishedServiceFactory(name="Mediation on a screen", categories=[online_mediation])
    PublishedServiceFactory(name="Debt advice", categories=[category(CategoryCode.MONEY_HOUSING)])
    DraftServiceFactory(name="Unfinished mediation", categories=[category(CategoryCode.MEDIATION)])
    closed = PublishedServiceFactory(
        name="Closed mediation", categories=[category(CategoryCode.MEDIATION)]
    )
    Service.objects.filter(pk=closed.pk).update(status=Service.Status.TEMPORARILY_CLOSED)
    GuideFactory(slug="mediation-and-miams", categories=[CategoryCode.MEDIATION])

    page = client.get("/resources/mediation-and-miams/").content.decode()

    assert "Local services that can help" in page
    assert "City Mediation" in page
    assert "Mediation on a screen" in page  # a curator's sub-category of mediation
    assert "Debt advice" not in page
    assert "Unfinished mediation" not in page
    assert "Closed mediation" not in page


def test_a_guide_with_no_categories_lists_no_services(client: Client) -> None:
    PublishedServiceFactory(name="City Mediation", categories=[category(CategoryCode.MEDIATION)])
    GuideFactory(slug="plain", categories=[])

    page = client.get("/resources/plain/").content.decode()

    assert "City Mediation" not in page
    assert "Local services that can help" not in page


def test_a_guide_body_is_rendered_safely(client: Client) -> None:
    GuideFactory(
        slug="hostile",
        body='## Help\n\n<script>alert("x")</script>[click](javascript:alert(1))'
        '<iframe src="https://evil.example"></iframe><p style="color:red">hi</p>',
    )

    page = client.get("/resources/hostile/").content.decode()

    assert '<h2 class="govuk-heading-l">Help</h2>' in page
    assert 'alert("x")' not in page
    assert "javascript:alert" not in page
    assert "evil.example" not in page
    assert 'style="color:red"' not in page


def test_the_guides_page_groups_live_guides_by_topic_in_order(client: Client) -> None:
    first = TopicFactory(name="Agreeing arrangements", slug="agreeing", position=0)
    second = TopicFactory(name="Going to court", slug="court", position=1)
    GuideFactory(title="The first hearing", topic=second)
    GuideFactory(title="Mediation", topic=first)
    ScheduledGuideFactory(title="Tomorrow's guide", topic=first)

    page = client.get("/resources/").content.decode()

    assert (
        page.index("Agreeing arrangements") < page.index("Mediation") < page.index("Going to court")
    )
    assert page.index("Going to court") < page.index("The first hearing")
    assert "Tomorrow" not in page
    assert "on their way" not in page


def test_searching_the_guides_finds_words_in_the_body(client: Client) -> None:
    GuideFactory(title="The first hearing", body="Cafcass will phone you before the hearing.")
    GuideFactory(title="Money", body="Child maintenance is money for the child.")
    DraftGuideFactory(title="Draft about Cafcass", body="Cafcass again.")

    page = client.get("/resources/", {"q": "cafcass phone"}).content.decode()

    assert "1 guide found" in page
    assert "The first hearing" in page
    assert "Money" not in page
    assert "Draft about Cafcass" not in page


@pytest.mark.parametrize(
    "words", ["\x00", "a" * 201, "-" * 40 + "x", '"' * 33, "²", "<script>alert(1)</script>"]
)
def test_hostile_guide_search_words_never_fail(client: Client, words: str) -> None:
    GuideFactory()

    response = client.get("/resources/", {"q": words})

    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()


def test_too_long_search_words_show_the_error_summary(client: Client) -> None:
    page = client.get("/resources/", {"q": "a" * 201}).content.decode()

    assert "There is a problem" in page
    assert "at most 200 characters" in page


# Language versions -----------------------------------------------------------------------


def test_a_guide_in_two_languages_has_a_switcher_and_hreflang_links(client: Client) -> None:
    GuideFactory(slug="mediation", title="Mediation", language="en")
    GuideFactory(slug="mediation", title="Mediacja", language="pl")

    english = client.get("/resources/mediation/").content.decode()
    polish = client.get("/resources/mediation/pl/").content.decode()

    assert 'hreflang="pl" href="http://testserver/resources/mediation/pl/"' in english
    assert 'hreflang="en" href="http://testserver/resources/mediation/"' in english
    assert 'hreflang="x-default"' in english
    assert (
        '<a class="govuk-link" href="/resources/mediation/pl/" hreflang="pl" lang="pl">' in english
    )
    assert "Mediacja" in polish
    assert '<div lang="pl">' in polish
    # The guides page lists the English guide once.
    assert client.get("/resources/").content.decode().count("Mediacja") == 0


def test_a_guide_in_english_only_has_no_switcher(client: Client) -> None:
    GuideFactory(slug="only-english")

    page = client.get("/resources/only-english/").content.decode()

    assert "hreflang" not in page
    assert "Read this in" not in page


def test_a_right_to_left_version_is_marked_so(client: Client) -> None:
    GuideFactory(slug="mediation", language="en")
    GuideFactory(slug="mediation", language="ur", title="ثالثی")

    assert 'dir="rtl"' in client.get("/resources/mediation/ur/").content.decode()


def test_language_addresses_redirect_english_and_refuse_unknown_or_missing(client: Client) -> None:
    GuideFactory(slug="mediation")

    english = client.get("/resources/mediation/en/")

    assert english.status_code == 301
    assert english["Location"] == "/resources/mediation/"
    assert client.get("/resources/mediation/xx/").status_code == 404
    assert client.get("/resources/mediation/pl/").status_code == 404


# News and the feed -------------------------------------------------------------------------


def test_the_news_list_shows_live_posts_newest_first(client: Client) -> None:
    now = timezone.now()
    NewsFactory(title="Older post", publish_at=now - timedelta(days=10))
    NewsFactory(title="Newer post", publish_at=now - timedelta(days=1))
    NewsFactory(title="Draft post", status=Article.Status.DRAFT)
    GuideFactory(title="A guide, not news")

    page = client.get("/news/").content.decode()

    assert page.index("Newer post") < page.index("Older post")
    assert "Draft post" not in page
    assert "A guide, not news" not in page


def test_the_news_list_pages_and_survives_hostile_page_numbers(client: Client) -> None:
    for day in range(12):
        NewsFactory(title=f"Post {day:02d}", publish_at=timezone.now() - timedelta(days=day + 1))

    second = client.get("/news/", {"page": "2"}).content.decode()

    assert "Post 10" in second
    assert "Post 00" not in second
    for raw in ["²", "\u0661", "9" * 30, "-1", "\x00", "abc"]:
        assert client.get("/news/", {"page": raw}).status_code == 200


def test_the_news_feed_is_atom_with_live_posts_only(client: Client) -> None:
    NewsFactory(title="Feed post", slug="feed-post", summary="Short words.")
    NewsFactory(title="Draft in feed", status=Article.Status.DRAFT)
    NewsFactory(title="Later in feed", publish_at=timezone.now() + timedelta(days=1))

    response = client.get("/news/feed/")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ElementTree.fromstring(response.content)  # noqa: S314 - our own response
    entries = feed.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == ["Feed post"]
    assert entries[0].find(f"{ATOM}link").get("href") == "http://testserver/news/feed-post/"
    assert entries[0].findtext(f"{ATOM}summary") == "Short words."


def test_a_news_post_page_shows_its_date(client: Client) -> None:
    NewsFactory(slug="dated", publish_at=timezone.now().replace(year=2026, month=3, day=5))

    assert "5 March 2026" in client.get("/news/dated/").content.decode()


# The alliance's pages -----------------------------------------------------------------------


def test_the_about_page_links_partners_to_their_listings(client: Client) -> None:
    PageFactory(slug="about", title="About the alliance", body="## Our objectives\n\nEarly help.")
    mediators = OrganisationFactory(name="City Mediators")
    PublishedServiceFactory(
        organisation=mediators, name="Family mediation", slug="family-mediation"
    )
    DraftServiceFactory(organisation=OrganisationFactory(name="Not yet a partner"))

    page = client.get("/about/").content.decode()

    assert "Our objectives" in page
    assert "City Mediators" in page
    assert 'href="/services/family-mediation/"' in page
    assert "Not yet a partner" not in page


def test_the_alliance_pages_answer_before_an_editor_has_written_them(client: Client) -> None:
    for path in ["/about/", "/about/standards/", "/practitioners/"]:
        response = client.get(path)
        assert response.status_code == 200, path
        assert 'class="govuk-exit-this-page"' in response.content.decode()


def test_the_standards_page_shows_which_listed_services_meet_them(client: Client) -> None:
    PageFactory(slug="standards", title="Our standards")
    PublishedServiceFactory(name="Accredited mediation", accreditations=["fmc_mediator"])
    PublishedServiceFactory(name="Contact centre", accreditations=["naccc_centre", "bacp"])
    PublishedServiceFactory(name="No accreditation")
    DraftServiceFactory(name="Draft accredited", accreditations=["fmc_mediator"])

    page = client.get("/about/standards/").content.decode()

    assert "Family Mediation Council accredited mediator" in page
    assert "Accredited mediation" in page
    assert "NACCC accredited child contact centre" in page
    assert page.count("Contact centre") == 2  # under both of its accreditations
    assert "No accreditation" not in page
    assert "Draft accredited" not in page


def test_the_practitioners_page_lists_upcoming_events_and_tools(client: Client) -> None:
    PageFactory(slug="practitioners", title="For practitioners")
    EventFactory(title="Coming up", place="Town Hall", booking_url="https://example.org/b")
    EventFactory(title="Online briefing", place="", online=True)
    EventFactory(
        title="Already over",
        starts_at=timezone.now() - timedelta(days=3),
        ends_at=timezone.now() - timedelta(days=3) + timedelta(hours=1),
    )
    GuideFactory(title="Early intervention guide", audience=["practitioners"])
    GuideFactory(title="A guide for parents", audience=["parents"])

    page = client.get("/practitioners/").content.decode()

    assert "Coming up" in page
    assert "Town Hall" in page
    assert 'href="https://example.org/b"' in page
    assert "Online briefing" in page
    assert "Already over" not in page
    assert "Early intervention guide" in page
    assert "A guide for parents" not in page


# Joined up ---------------------------------------------------------------------------------


def test_the_home_page_shows_the_latest_news_and_links_to_guides(client: Client) -> None:
    topic = TopicFactory(name="Agreeing arrangements", slug="agreeing", position=0)
    GuideFactory(title="Mediation and MIAMs", slug="mediation-and-miams", topic=topic)
    for day in range(4):
        NewsFactory(title=f"News item {day}", publish_at=timezone.now() - timedelta(days=day + 1))

    page = client.get("/").content.decode()

    assert 'href="/resources/mediation-and-miams/"' in page
    assert "News item 0" in page
    assert "News item 2" in page
    assert "News item 3" not in page  # the three newest only
    assert 'href="/news/"' in page
    assert 'href="/about/"' in page


def test_a_search_with_no_services_suggests_guides_with_those_words(client: Client) -> None:
    GuideFactory(title="Mediation and MIAMs", slug="mediation-and-miams", body="Mediation helps.")
    GuideFactory(title="Money", body="Child maintenance.")

    page = client.get("/services/", {"q": "mediation hinckley"}).content.decode()

    assert "No services match your search." in page
    assert "Guides that may help" in page
    assert 'href="/resources/mediation-and-miams/"' in page
    assert "Child maintenance" not in page


def test_a_search_with_services_suggests_no_guides(client: Client) -> None:
    PublishedServiceFactory(name="Mediation", categories=[category(CategoryCode.MEDIATION)])
    GuideFactory(title="Mediation and MIAMs", body="Mediation helps.")

    page = client.get("/services/", {"q": "mediation"}).content.decode()

    assert "Guides that may help" not in page


def test_every_resources_page_has_the_exit_control(client: Client) -> None:
    GuideFactory(slug="g")
    NewsFactory(slug="n")
    for path in ["/resources/", "/resources/g/", "/news/", "/news/n/", "/about/"]:
        assert 'class="govuk-exit-this-page"' in client.get(path).content.decode(), path


def test_services_that_involve_the_other_parent_carry_a_safety_note(client: Client) -> None:
    PublishedServiceFactory(categories=[category(CategoryCode.MEDIATION)])
    PublishedServiceFactory(categories=[category(CategoryCode.SURVIVORS)])
    GuideFactory(slug="mediation", categories=[CategoryCode.MEDIATION])
    GuideFactory(slug="abuse", categories=[CategoryCode.SURVIVORS])

    mediation = client.get("/resources/mediation/").content.decode()
    abuse = client.get("/resources/abuse/").content.decode()

    assert "they may not be safe for you" in mediation
    assert 'href="/resources/domestic-abuse-getting-help/"' in mediation
    assert "they may not be safe for you" not in abuse


@pytest.mark.parametrize("services", [1, 6])
def test_a_guide_page_costs_the_same_queries_however_many_services_it_lists(
    client: Client, django_assert_max_num_queries, services: int
) -> None:  # type: ignore[no-untyped-def]
    for _ in range(services):
        PublishedServiceFactory(categories=[category(CategoryCode.MEDIATION)])
    GuideFactory(slug="mediation", categories=[CategoryCode.MEDIATION])

    # The guide, its language versions, the services, their places.
    with django_assert_max_num_queries(4):
        assert client.get("/resources/mediation/").status_code == 200


@pytest.mark.parametrize("posts", [1, 10])
def test_the_news_list_costs_the_same_queries_however_many_posts(
    client: Client, django_assert_max_num_queries, posts: int
) -> None:  # type: ignore[no-untyped-def]
    for _ in range(posts):
        NewsFactory()

    # The count and the page.
    with django_assert_max_num_queries(2):
        assert client.get("/news/").status_code == 200
