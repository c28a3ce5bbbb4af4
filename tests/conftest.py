"""The fixed cast and shared fixtures: real PostgreSQL, real Redis, Debian's Chromium."""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.cache import cache
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from alliance.models import Role, User

ROOT = Path(__file__).resolve().parent.parent

# Real Celery worker fixtures (`worker_env`, `start_worker`) for every app's worker tests.
pytest_plugins = ["tests.support.worker"]
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
PASSWORD = "correct-horse-battery-staple"


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings) -> None:  # type: ignore[no-untyped-def]
    """PBKDF2's million rounds cost ~0.3 s per sign-in; tests check who gets in, not the hash."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _clean_redis() -> Iterator[None]:
    """Sessions and the cache live in the real Redis: start every test from empty."""
    cache.clear()
    yield
    cache.clear()


def make_staff(email: str, role: Role, *, is_staff: bool = False) -> User:
    user = User.objects.create_user(email=email, password=PASSWORD, role=role, is_staff=is_staff)
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    return user


@pytest.fixture
def curator(db: None) -> User:
    return make_staff("curator@example.org", Role.CURATOR, is_staff=True)


@pytest.fixture
def editor(db: None) -> User:
    return make_staff("editor@example.org", Role.EDITOR, is_staff=True)


@pytest.fixture
def fca(db: None) -> User:
    return make_staff("fca@example.org", Role.FCA)


@pytest.fixture
def provider_staff(db: None) -> User:
    return make_staff("provider@example.org", Role.PROVIDER)


def sign_in(client: Client, user: User, *, second_factor: bool = True) -> None:
    """Sign in as a person would: password, then (optionally) the TOTP code."""
    from django_otp.oath import totp

    response = client.post("/accounts/login/", {"username": user.email, "password": PASSWORD})
    assert response.status_code == 302, response.content[:500]
    if second_factor:
        device = TOTPDevice.objects.get(user=user, confirmed=True)
        code = totp(device.bin_key, device.step, device.t0, device.digits, device.drift)
        response = client.post("/accounts/two-factor/", {"token": f"{code:06d}"})
        assert response.status_code == 302, response.content[:500]


# Browser fixtures ---------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), f"Debian's chromium is needed at {CHROMIUM}"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server) -> Iterator[object]:  # type: ignore[no-untyped-def]
    context = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844})
    page = context.new_page()
    # Nothing may leave the machine: any request to another host fails the test.
    external: list[str] = []
    page.on(
        "request",
        lambda request: None
        if request.url.startswith(live_server.url) or request.url.startswith("data:")
        else external.append(request.url),
    )
    page.external_requests = external  # type: ignore[attr-defined]
    yield page
    context.close()


def axe_violations(page) -> list[dict]:  # type: ignore[no-untyped-def]
    """Run axe-core (from npm) in the page against the WCAG 2.2 A and AA rules."""
    page.evaluate(AXE_JS.read_text(encoding="utf-8"))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS
    )
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
    ]
