import pytest

from tests.directory.factories import CENTRE, PostcodeFactory


@pytest.fixture
def le1(db: None):  # type: ignore[no-untyped-def]
    """The LE1 district and one full postcode in it, at the city centre."""
    PostcodeFactory(code="LE1", latitude=CENTRE[0], longitude=CENTRE[1])
    return PostcodeFactory(code="LE1 6ZG", latitude=CENTRE[0], longitude=CENTRE[1])
