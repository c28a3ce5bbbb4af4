"""Shared steps for the curation tests: a practitioner's answers, walked through the form."""

from typing import Any

from django.test import Client

from directory.models import Category

ANSWERS: dict[str, dict[str, Any]] = {
    "service": {
        "organisation_name": "Rutland Family Mediation",
        "service_name": "Rutland Family Mediation",
        "website": "https://rutland-mediation.example.org/",
    },
    "about": {
        "offers": "Mediation for separating parents in Oakham and Uppingham.",
        "who_for": "Parents living apart",
        "area": "Rutland",
    },
    "why": {"reason": "Parents in Rutland travel to Leicester for mediation today."},
    "you": {
        "practitioner_name": "Sam Taylor",
        "practitioner_role": "Family support worker",
        "practitioner_email": "sam.taylor@council.example.org",
        "practitioner_organisation": "Rutland County Council",
    },
}


def walk_suggestion(client: Client, category: Category, **overrides: dict[str, Any]) -> Any:
    """Answer every step; returns the response of the last step (a redirect onwards)."""
    response = None
    for step, answers in ANSWERS.items():
        data = {**answers, **overrides.get(step, {})}
        if step == "about":
            data.setdefault("category", category.pk)
        response = client.post(f"/services/suggest/{step}/", data)
        assert response.status_code == 302, (step, response.content.decode()[:3000])
    return response
