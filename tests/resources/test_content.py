"""Editors' Markdown becomes safe HTML with GOV.UK typography (issue 7 item 7, issue 12)."""

import pytest

from resources.content import MAX_MARKDOWN_LENGTH, markdown_to_html


def test_markdown_becomes_govuk_styled_html() -> None:
    html = markdown_to_html(
        "## Before the first hearing\n\nCafcass **calls** each parent.\n\n"
        "- one\n- two\n\n[Read more](https://www.cafcass.gov.uk/)"
    )

    assert '<h2 class="govuk-heading-l">Before the first hearing</h2>' in html
    assert '<p class="govuk-body">Cafcass <strong>calls</strong> each parent.</p>' in html
    assert '<ul class="govuk-list govuk-list--bullet">' in html
    assert 'href="https://www.cafcass.gov.uk/"' in html
    assert 'rel="noopener noreferrer"' in html


@pytest.mark.parametrize(
    ("markdown", "forbidden"),
    [
        ("<script>alert(1)</script>", "alert(1)"),
        ("<style>body{display:none}</style>", "display:none"),
        ('<iframe src="https://evil.example"></iframe>', "iframe"),
        ("[click](javascript:alert(1))", "javascript:"),
        ("[click](JaVaScRiPt:alert(1))", "alert(1)"),
        ('<a href="data:text/html,hi">x</a>', "data:"),
        ('<img src="x" onerror="alert(1)">', "onerror"),
        ('<p style="color:red">x</p>', "style="),
        ('<p onclick="go()">x</p>', "onclick"),
        ("<object data='x'></object><embed src='y'>", "<object"),
        ('<form action="https://evil.example"><input></form>', "<form"),
    ],
)
def test_markdown_cannot_inject_script_styles_frames_or_javascript_links(
    markdown: str, forbidden: str
) -> None:
    assert forbidden.lower() not in markdown_to_html(markdown).lower()


def test_a_title_heading_in_the_body_does_not_become_a_second_h1() -> None:
    assert "<h1" not in markdown_to_html("# Title again\n\ntext")


def test_markdown_longer_than_the_limit_is_refused() -> None:
    with pytest.raises(ValueError, match="longer than"):
        markdown_to_html("a" * (MAX_MARKDOWN_LENGTH + 1))
