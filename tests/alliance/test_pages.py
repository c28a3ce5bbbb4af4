import re
import struct
from pathlib import Path

import pytest
from django.test import Client

from tests.conftest import sign_in

PUBLIC_PAGES = [
    "/",
    "/leaving-this-site-quickly/",
    "/staying-safe-online/",
    "/accessibility/",
    "/privacy/",
    "/cookies/",
    "/services/",
    "/services/?q=mediation&postcode=LE1",
    "/services/my-list/",
    "/get-help/",
    "/get-help/danger/",
    "/get-help/emergency/",
    "/resources/",
    "/accounts/login/",
    "/a-page-that-does-not-exist/",
]


@pytest.mark.django_db
@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_every_public_page_carries_the_exit_control(client: Client, path: str) -> None:
    response = client.get(path)
    html = response.content.decode()
    assert response.status_code == (404 if "does-not-exist" in path else 200)
    assert 'data-module="govuk-exit-this-page"' in html
    assert re.search(r'href="/exit/"[^>]*class="govuk-button govuk-button--warning', html)
    # The hidden skip link that screen-reader and keyboard users reach first.
    assert 'class="govuk-skip-link govuk-js-exit-this-page-skiplink"' in html
    assert '<html lang="en-gb"' in html
    assert 'href="#main-content"' in html


@pytest.mark.django_db
def test_exit_clears_the_session_and_redirects_away(client: Client) -> None:
    session = client.session
    session["my_list"] = [1, 2, 3]
    session.save()
    old_key = session.session_key

    response = client.get("/exit/")

    assert response.status_code == 302
    assert response["Location"] == "https://www.bbc.co.uk/weather"
    assert "no-store" in response["Cache-Control"]
    assert '"cookies"' in response["Clear-Site-Data"]
    from django.contrib.sessions.backends.cache import SessionStore

    assert not SessionStore(session_key=old_key).exists(old_key)
    assert "my_list" not in client.session


def write_catalogue(folder: Path, language: str, messages: dict[str, str]) -> None:
    """A compiled gettext catalogue (.mo), written here so no gettext tool is needed."""
    entries = sorted((k.encode(), v.encode()) for k, v in {"": "", **messages}.items())
    entries[0] = (b"", b"Content-Type: text/plain; charset=UTF-8\n")
    count = len(entries)
    ids_at, strs_at = 28, 28 + 8 * count
    data_at = 28 + 16 * count
    ids = strs = b""
    index_ids: list[int] = []
    index_strs: list[int] = []
    for msgid, _msgstr in entries:
        index_ids += [len(msgid), data_at + len(ids)]
        ids += msgid + b"\0"
    for _msgid, msgstr in entries:
        index_strs += [len(msgstr), data_at + len(ids) + len(strs)]
        strs += msgstr + b"\0"
    header = struct.pack("<7I", 0x950412DE, 0, count, ids_at, strs_at, 0, 0)
    table = struct.pack(f"<{4 * count}I", *index_ids, *index_strs)
    target = folder / language / "LC_MESSAGES"
    target.mkdir(parents=True)
    (target / "django.mo").write_bytes(header + table + ids + strs)


WELSH = {
    "Exit this page": "Gadael y dudalen hon",
    "Skip to main content": "Neidio i'r prif gynnwys",
    "Find services": "Dod o hyd i wasanaethau",
    "Help for separating and separated families": "Help i deuluoedd sy'n gwahanu",
    "Is anyone in danger right now?": "A oes unrhyw un mewn perygl nawr?",
}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "own_string"),
    [
        ("/", "Help for separating and separated families"),
        ("/services/", None),
        ("/get-help/danger/", "Is anyone in danger right now?"),
        ("/a-page-that-does-not-exist/", None),
    ],
)
def test_pages_render_in_another_language_from_its_catalogue(
    client: Client, settings, tmp_path: Path, path: str, own_string: str | None
) -> None:
    write_catalogue(tmp_path, "cy", WELSH)
    settings.LOCALE_PATHS = [tmp_path]
    settings.LANGUAGES = [("en-gb", "English"), ("cy", "Cymraeg")]

    html = client.get(path, headers={"accept-language": "cy"}).content.decode()

    assert '<html lang="cy"' in html
    for english in ("Exit this page", "Skip to main content", "Find services", own_string):
        if english is not None:
            assert WELSH[english] in html


@pytest.mark.django_db
def test_pages_name_the_alliance_from_settings(client: Client, settings) -> None:
    settings.ALLIANCE_NAME = "Northshire Supporting Separated Families Alliance"
    settings.ALLIANCE_SHORT_NAME = "Northshire Families Alliance"
    settings.ALLIANCE_AREA = "Northshire"
    html = client.get("/").content.decode()
    assert "Northshire Families Alliance" in html
    assert "Leicester" not in html


@pytest.mark.django_db
def test_the_404_page_is_our_own(client: Client) -> None:
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


@pytest.mark.django_db
def test_security_headers_on_a_public_page(client: Client) -> None:
    response = client.get("/", secure=True)
    csp = response["Content-Security-Policy"]
    nonce = re.search(r"'nonce-([^']+)'", csp)
    assert nonce, csp
    assert "script-src 'self' 'nonce-" in csp
    assert "frame-ancestors 'none'" in csp
    assert "'unsafe-inline'" not in csp
    # Every inline script carries the nonce; there are no inline event handlers.
    html = response.content.decode()
    for tag in re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html):
        assert f'nonce="{nonce.group(1)}"' in tag
    assert not re.search(r"\son[a-z]+=", html)
    assert response["Strict-Transport-Security"].startswith("max-age=")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert "camera=()" in response["Permissions-Policy"]


@pytest.mark.django_db
def test_cookies_are_secure_and_http_only(client: Client, curator) -> None:
    response = client.post(
        "/accounts/login/", {"username": curator.email, "password": "correct-horse-battery-staple"}
    )
    cookie = response.cookies["sessionid"]
    assert cookie["secure"]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"


@pytest.mark.django_db
def test_staff_pages_are_never_cached(client: Client, fca) -> None:
    sign_in(client, fca)
    response = client.get("/referrals/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_nothing_is_loaded_from_another_site(client: Client, db: None) -> None:
    html = client.get("/").content.decode()
    for url in re.findall(r'(?:src|href)="([^"]+)"', html):
        assert not url.startswith(("http://", "https://", "//")), url


def test_robots_keep_personal_and_staff_pages_out_of_search_engines(client: Client) -> None:
    response = client.get("/robots.txt")
    body = response.content.decode()
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    for path in ("/get-help/", "/services/my-list/", "/referrals/", "/provider/", "/admin/"):
        assert f"Disallow: {path}" in body
    assert "Disallow: /services/\n" not in body


@pytest.mark.django_db
def test_a_service_page_carries_the_exit_control(client: Client) -> None:
    from tests.directory.factories import PublishedServiceFactory

    service = PublishedServiceFactory()
    html = client.get(service.get_absolute_url()).content.decode()
    assert 'data-module="govuk-exit-this-page"' in html
    assert "govuk-js-exit-this-page-skiplink" in html


def test_the_500_page_is_our_own_and_needs_no_database(rf) -> None:  # type: ignore[no-untyped-def]
    from django.views.defaults import server_error

    response = server_error(rf.get("/"))
    html = response.content.decode()
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in html
    assert 'href="/exit/"' in html


def test_a_request_too_big_to_read_gets_our_own_400_page_with_the_exit(client, db) -> None:  # type: ignore[no-untyped-def]
    # More fields than Django reads (DATA_UPLOAD_MAX_NUMBER_FIELDS): a pasted mess, a bot.
    query = "&".join("a=1" for _ in range(1001))
    response = client.get(f"/services/?{query}")
    html = response.content.decode()
    assert response.status_code == 400
    assert "Sorry, we could not read that" in html
    assert 'href="/exit/"' in html
