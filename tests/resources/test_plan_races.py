"""Races on PostgreSQL: one link opened in two tabs at once signs in once; two changes at once
send one alert."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection

from alliance.models import OutboundMessage
from resources.plan import services
from resources.plan.models import PlanLink
from resources.plan.rules import Section

pytestmark = pytest.mark.django_db(transaction=True)


def at_once(*calls: Callable[[], Any]) -> list[Any]:
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def run(index: int, call: Callable[[], Any]) -> None:
        barrier.wait()
        try:
            results[index] = call()
        except Exception as error:
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_one_link_used_in_two_tabs_at_once_signs_in_once() -> None:
    participant = services.plan_start(email="a@example.org", name="Alex", private=False)
    _link, url = services._link_new(participant=participant, purpose=PlanLink.Purpose.SIGN_IN)
    token = url.rstrip("/").rsplit("/", 1)[-1]

    results = at_once(
        lambda: services.link_use(token=token), lambda: services.link_use(token=token)
    )

    assert sum(isinstance(r, services.PlanError) for r in results) == 1
    assert sum(not isinstance(r, Exception) for r in results) == 1


def test_two_changes_at_once_send_the_other_parent_one_alert() -> None:
    starter = services.plan_start(email="a@example.org", name="Alex", private=False)
    _link, url = services._link_new(participant=starter, purpose=PlanLink.Purpose.SIGN_IN)
    starter = services.link_use(token=url.rstrip("/").rsplit("/", 1)[-1])
    services.invite_send(participant=starter, email="b@example.org")
    invite = PlanLink.objects.filter(purpose=PlanLink.Purpose.INVITE).get()
    _link, url = services._link_new(participant=invite.participant, purpose=PlanLink.Purpose.INVITE)
    services.link_use(token=url.rstrip("/").rsplit("/", 1)[-1], name="Sam")

    results = at_once(
        lambda: services.item_propose(participant=starter, section=Section.LIVING, text="One"),
        lambda: services.item_propose(participant=starter, section=Section.MONEY, text="Two"),
    )

    assert not [r for r in results if isinstance(r, Exception)]
    alerts = OutboundMessage.objects.filter(
        to="b@example.org", idempotency_key__startswith="plan-update"
    )
    assert alerts.count() == 1
