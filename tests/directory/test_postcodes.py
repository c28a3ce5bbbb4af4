"""Postcodes: normalising what people type, looking up, importing, and the demo data."""

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from directory.models import Postcode, Service
from directory.postcodes import parse_postcode, postcode_district
from directory.selectors import postcode_lookup
from tests.directory.factories import PostcodeFactory


@pytest.mark.parametrize(
    ("raw", "code", "district"),
    [
        ("le1 6zg", "LE1 6ZG", "LE1"),
        ("LE16ZG", "LE1 6ZG", "LE1"),
        ("  le1   6zg ", "LE1 6ZG", "LE1"),
        ("le1", "LE1", "LE1"),
        ("LE16", "LE16", "LE16"),
        ("EC1A 1BB", "EC1A 1BB", "EC1A"),
        ("W1A0AX", "W1A 0AX", "W1A"),
    ],
)
def test_postcodes_are_normalised(raw: str, code: str, district: str) -> None:
    parsed = parse_postcode(raw)

    assert parsed is not None
    assert (parsed.code, parsed.district) == (code, district)


@pytest.mark.parametrize("raw", ["", "hello", "LE", "12345", "LE1 6ZGX", "L" * 50, "LE1-6ZG"])
def test_things_that_are_not_postcodes_are_refused(raw: str) -> None:
    assert parse_postcode(raw) is None


def test_the_district_of_anything_never_reveals_more_than_the_first_part() -> None:
    assert postcode_district("LE3 9QX") == "LE3"
    assert postcode_district("le39qx") == "LE3"
    assert postcode_district("somewhere secret") == "SOME"


@pytest.mark.django_db
def test_lookup_prefers_the_full_postcode_and_falls_back_to_its_district() -> None:
    PostcodeFactory(code="LE1", latitude=52.6, longitude=-1.1)
    PostcodeFactory(code="LE1 6ZG", latitude=52.63, longitude=-1.13)

    exact = postcode_lookup("le16zg")
    fallback = postcode_lookup("LE1 9ZZ")

    assert exact is not None
    assert (exact.postcode, exact.point, exact.is_district) == ("LE1 6ZG", (52.63, -1.13), False)
    assert fallback is not None
    assert (fallback.postcode, fallback.point, fallback.is_district) == (
        "LE1 9ZZ",
        (52.6, -1.1),
        True,
    )
    assert postcode_lookup("LE99 9ZZ") is None
    assert postcode_lookup("rubbish") is None


@pytest.mark.django_db
def test_import_postcodes_reads_onspd_columns_in_batches_and_skips_bad_rows(
    tmp_path: Path,
) -> None:
    csv = tmp_path / "onspd.csv"
    csv.write_text(
        "\ufeffpcd,pcds,doterm,lat,long\n"
        "LE1 6ZG,LE1 6ZG,,52.63,-1.13\n"
        "LE1 7AA,LE1 7AA,200101,52.64,-1.14\n"  # terminated
        "LE2 1AB,LE2 1AB,,99.999999,0.000000\n"  # no grid reference
        "XXXXXX,nonsense,,52.1,-1.1\n"
        "LE3 9QX,le39qx,,52.62,-1.17\n",
        encoding="utf-8",
    )
    out = io.StringIO()

    call_command("import_postcodes", str(csv), "--batch-size", "1", stdout=out, stderr=out)
    call_command("import_postcodes", str(csv), stdout=io.StringIO(), stderr=io.StringIO())

    full = Postcode.objects.filter(is_district=False)
    assert sorted(full.values_list("code", "is_district")) == [
        ("LE1 6ZG", False),
        ("LE3 9QX", False),
    ]
    assert "Imported 2 postcodes; skipped 3 rows." in out.getvalue()


@pytest.mark.django_db
def test_import_postcodes_explains_a_file_it_cannot_read(tmp_path: Path) -> None:
    csv = tmp_path / "wrong.csv"
    csv.write_text("name,value\nx,1\n", encoding="utf-8")

    with pytest.raises(CommandError, match="none of the columns"):
        call_command("import_postcodes", str(csv), stdout=io.StringIO(), stderr=io.StringIO())
    with pytest.raises(CommandError, match="No such file"):
        call_command("import_postcodes", str(tmp_path / "missing.csv"))


@pytest.mark.slow
@pytest.mark.django_db
def test_the_demo_seeds_the_whole_area_and_is_idempotent() -> None:
    from directory import demo

    demo.seed(io.StringIO())
    counts = (Postcode.objects.count(), Service.objects.count())
    demo.seed(io.StringIO())

    assert (Postcode.objects.count(), Service.objects.count()) == counts
    assert Postcode.objects.filter(is_district=True, code__in=["LE1", "LE19", "LE15"]).count() == 3
    published = Service.objects.filter(status=Service.Status.PUBLISHED)
    assert published.count() >= 60
    assert Service.objects.values("organisation").distinct().count() >= 30
    for slug in (
        "mediation",
        "miams",
        "parenting-programme",
        "child-contact-centres",
        "supported-contact",
        "supervised-contact",
        "domestic-abuse-support",
        "support-for-survivors",
        "programmes-for-people-who-harm",
        "legal-advice",
        "counselling-emotional-support",
        "children-young-people",
        "parenting-courses",
        "money-debt-housing",
    ):
        assert (
            published.filter(categories__slug=slug).exists()
            or published.filter(categories__parent__slug=slug).exists()
        ), slug
    assert published.filter(is_free=False).exists()
    assert published.filter(locations__confidential=True).exists()
    assert Service.objects.filter(status=Service.Status.TEMPORARILY_CLOSED).exists()
    assert not published.filter(categories__slug="mediation", safe_where_abuse=True).exists()
    assert published.filter(phone="0808 2000 247", area_covered="national").exists()


@pytest.mark.slow
@pytest.mark.django_db
def test_the_done_when_search_works_on_the_demo_data(client) -> None:  # type: ignore[no-untyped-def]
    from directory import demo

    demo.seed(io.StringIO())

    html = client.get("/services/", {"q": "mediation", "postcode": "LE1"}).content.decode()
    typo = client.get("/services/", {"q": "mediaton", "postcode": "LE1"}).content.decode()

    assert html.count("miles away") >= 3
    assert "Family mediation in Leicester city centre" in typo
