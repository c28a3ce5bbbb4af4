"""The safety rules key on category codes a curator cannot edit (issue 7 item 2)."""

import pytest
from django.core.management import call_command
from django.test import Client

from directory.checks import check_core_categories
from directory.models import Category, Service
from directory.services import taxonomy_ensure
from directory.taxonomy import CORE_CATEGORIES, CategoryCode
from tests.conftest import sign_in
from tests.directory.factories import (
    CENTRE,
    OrganisationFactory,
    PostcodeFactory,
    PublishedServiceFactory,
    north_of_centre,
)
from tests.referrals.test_get_help_views import COOPERATIVE_ANSWERS, SAFETY_ANSWERS, answer_all

pytestmark = pytest.mark.django_db

ANY_MODE = {"modes": {"answer": ["in_person", "online", "phone"]}}
AT_RISK = {**SAFETY_ANSWERS, "postcode": {"answer": "LE1"}, **ANY_MODE}
NO_WORRIES = {**COOPERATIVE_ANSWERS, "postcode": {"answer": "LE1"}, **ANY_MODE}


@pytest.fixture
def curator_client(client: Client, curator) -> Client:  # type: ignore[no-untyped-def]
    sign_in(client, curator)
    return client


def category(code: CategoryCode) -> Category:
    return Category.objects.get(code=code)


def results_html(client: Client, answers: dict) -> str:
    answer_all(client, answers)
    response = client.get("/get-help/your-results/")
    assert response.status_code == 200
    return response.content.decode()


def test_every_install_has_each_core_category_after_migrate() -> None:
    assert set(Category.objects.values_list("code", flat=True)) >= set(CategoryCode.values)
    assert len(CORE_CATEGORIES) == len(CategoryCode)


def test_ensuring_the_taxonomy_again_changes_nothing_a_curator_edited() -> None:
    mediation = category(CategoryCode.MEDIATION)
    Category.objects.filter(pk=mediation.pk).update(name="Talking it through", slug="talk")

    assert taxonomy_ensure() == 0

    mediation.refresh_from_db()
    assert (mediation.name, mediation.slug) == ("Talking it through", "talk")


def test_a_curator_renaming_mediation_in_the_admin_keeps_it_off_the_safety_pathway(
    curator_client: Client,
) -> None:
    parent = Client()
    PostcodeFactory(code="LE1", latitude=CENTRE[0], longitude=CENTRE[1])
    mediation = category(CategoryCode.MEDIATION)
    service = PublishedServiceFactory(
        name="Riverside mediation sessions", categories=[mediation], at=north_of_centre(1)
    )
    # Flagged safe by mistake, and also under legal advice: it must still never be offered.
    Service.objects.filter(pk=service.pk).update(safe_where_abuse=True)
    service.categories.add(category(CategoryCode.LEGAL))

    response = curator_client.post(
        f"/admin/directory/category/{mediation.pk}/change/",
        {
            "name": "Talking it through together",
            "slug": "talking-together",
            "code": "legal_advice",  # not a form field: ignored
            "position": 0,
            "description": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    mediation.refresh_from_db()
    assert (mediation.slug, mediation.code) == ("talking-together", CategoryCode.MEDIATION)

    safety = results_html(parent, AT_RISK)
    cooperative = results_html(Client(), NO_WORRIES)

    assert "Riverside mediation sessions" not in safety
    assert "Riverside mediation sessions" in cooperative


def test_a_curators_new_child_of_mediation_is_a_joint_option_too(client: Client) -> None:
    online = Category.objects.create(
        slug="online-mediation", name="Online mediation", parent=category(CategoryCode.MEDIATION)
    )
    service = PublishedServiceFactory(name="Mediation by video", categories=[online])
    service.categories.add(category(CategoryCode.LEGAL))
    Service.objects.filter(pk=service.pk).update(safe_where_abuse=True)

    assert "Mediation by video" not in results_html(client, AT_RISK)


def test_a_core_category_cannot_be_deleted_in_the_admin(client: Client, curator) -> None:  # type: ignore[no-untyped-def]
    curator.is_superuser = True
    curator.save(update_fields=["is_superuser"])
    sign_in(client, curator)
    miams = category(CategoryCode.MIAMS)

    page = client.get(f"/admin/directory/category/{miams.pk}/delete/")
    posted = client.post(f"/admin/directory/category/{miams.pk}/delete/", {"post": "yes"})
    bulk = client.post(
        "/admin/directory/category/",
        {"action": "delete_selected", "_selected_action": [miams.pk], "post": "yes"},
    )

    assert page.status_code == 403
    assert posted.status_code == 403
    assert bulk.status_code == 200  # the list again, with "no action selected"
    assert Category.objects.filter(pk=miams.pk).exists()


def test_the_system_check_fails_loudly_when_a_core_category_is_missing() -> None:
    assert check_core_categories(databases=["default"]) == []

    Category.objects.filter(code=CategoryCode.MIAMS).delete()
    errors = check_core_categories(databases=["default"])

    assert [e.id for e in errors] == ["directory.E001"]
    assert "miams" in errors[0].msg
    # migrate brings it back (post_migrate), and the check passes again.
    call_command("migrate", verbosity=0)
    assert check_core_categories(databases=["default"]) == []


def test_a_new_service_is_not_safe_where_there_is_abuse_until_a_curator_says_so() -> None:
    service = Service.objects.create(
        organisation=OrganisationFactory(), name="New drop-in", slug="new-drop-in", summary="x"
    )

    assert service.safe_where_abuse is False


def test_a_joint_option_cannot_be_marked_safe_where_there_is_abuse_in_the_admin(
    curator_client: Client,
) -> None:
    organisation = OrganisationFactory()
    response = curator_client.post(
        "/admin/directory/service/add/",
        {
            "service_at_locations-TOTAL_FORMS": "0",
            "service_at_locations-INITIAL_FORMS": "0",
            "schedules-TOTAL_FORMS": "0",
            "schedules-INITIAL_FORMS": "0",
            "contacts-TOTAL_FORMS": "0",
            "contacts-INITIAL_FORMS": "0",
            "organisation": organisation.pk,
            "name": "Weekend mediation",
            "slug": "weekend-mediation",
            "summary": "Mediation on Saturdays.",
            "categories": [category(CategoryCode.MIAMS).pk],
            "safe_where_abuse": "on",
            "area_covered": "radius",
        },
    )

    assert response.status_code == 200
    assert "cannot be marked safe where there is domestic abuse" in response.content.decode()
    assert not Service.objects.filter(slug="weekend-mediation").exists()
