"""The contact page reads as a parent would read it (found walking the demo, h17)."""

import re

from django.test import Client


def test_the_contact_page_names_the_emergency_number_once_as_a_link(client: Client, db) -> None:
    text = client.get("/contact/").content.decode()
    inset = text.split('class="govuk-inset-text"')[1].split("</div>")[0]
    visible = re.sub(r"<[^>]+>", "", inset)

    assert re.search(r'call <a class="govuk-link" href="tel:999">999</a>\.', inset)
    assert visible.count("999") == 1
