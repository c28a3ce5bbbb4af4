"""Pages read as a parent would read them (found walking the demo, h17)."""

import re

from django.test import Client


def test_the_contact_page_names_the_emergency_number_once_as_a_link(client: Client, db) -> None:
    text = client.get("/contact/").content.decode()
    inset = text.split('class="govuk-inset-text"')[1].split("</div>")[0]
    visible = re.sub(r"<[^>]+>", "", inset)

    assert re.search(r'call <a class="govuk-link" href="tel:999">999</a>\.', inset)
    assert visible.count("999") == 1


def test_a_service_delivered_several_ways_reads_as_one_phrase(client: Client, db) -> None:
    from directory.models import Service
    from tests.directory.factories import PublishedServiceFactory

    modes = [Service.DeliveryMode.IN_PERSON, Service.DeliveryMode.PHONE]
    service = PublishedServiceFactory(name="Two ways", delivery_modes=modes)

    assert "In person, by phone" in client.get(f"/services/{service.slug}/").content.decode()
    assert "In person, by phone" in client.get("/services/", {"q": "Two ways"}).content.decode()
