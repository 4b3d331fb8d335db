"""The flattened-page extractor on pages built here: each test names the boilerplate pattern it covers."""

from __future__ import annotations

from newsgraph.extract.textpage import extract_text_page

BODY = [
    "Officials from both countries met in Geneva on Monday to discuss a prisoner exchange, the foreign ministry said.",
    "The talks, the first in more than a year, lasted about six hours and ended without a joint statement.",
    "A senior diplomat who attended said both delegations had agreed to meet again before the end of the month.",
    "Neither side commented on reports that a third country had offered to host the next round of talks.",
]
STANDFIRST = "Delegations meet for the first time in a year as pressure grows for a deal on detainees"


def page(*blocks: str, title: str = "Rivals hold first talks in a year") -> str:
    return "\n\n".join([f" date 2024-03-04 {title}", *blocks])


def test_textpage_body_between_boilerplate() -> None:
    text = page(
        "Home | World | Politics | Business",
        "World",
        "Staff and agencies",
        "Mon 4 Mar 2024 09.15 GMT",
        "Rivals hold first talks in a year",
        STANDFIRST,
        *BODY,
        "World / Europe",
        "Geneva / diplomacy / prisoners",
        "Comments",
        "We use cookies to improve your experience. Accept all",
        "Most read",
        "Storm closes airports across the north",
        "2h | Weather",
    )
    article = extract_text_page(text)
    assert article.paragraphs == tuple(BODY)
    assert article.title == "Rivals hold first talks in a year"
    assert article.date == "2024-03-04"
    assert article.published == "2024-03-04T09:15+00:00"
    assert article.agency == "Staff and agencies"
    assert article.summary == STANDFIRST
    assert article.breadcrumb == ("World", "Europe")
    assert article.tags == ("Geneva", "diplomacy", "prisoners")


def test_textpage_interleaved_teasers_and_ads_dropped() -> None:
    text = page(
        BODY[0],
        "READ MORE: Talks collapse in second city",
        BODY[1],
        "Advertisement",
        BODY[2],
        "Also read: Minister resigns",
        BODY[3],
    )
    assert extract_text_page(text).paragraphs == tuple(BODY)


def test_textpage_caption_printed_twice_is_a_caption() -> None:
    caption = "Delegates arrive at the venue in Geneva. Photo: AFP"
    article = extract_text_page(page(BODY[0], caption, caption, *BODY[1:]))
    assert article.paragraphs == tuple(BODY)
    assert article.image_captions == (caption,)


def test_textpage_standfirst_repeated_as_body_paragraph_kept_in_body() -> None:
    lead = BODY[0].removesuffix(".")
    article = extract_text_page(page(lead, "Reuters", "4 March, 2024, 10:00 am", BODY[0], *BODY[1:]))
    assert article.summary == lead
    assert article.paragraphs[0] == BODY[0]
    assert article.agency == "Reuters"


def test_textpage_comment_policy_after_body_excluded() -> None:
    policy = (
        "While most comments will be posted if they are on-topic, moderation decisions are subjective. "
        "The Daily Example does not endorse the readers' comments."
    )
    article = extract_text_page(page(*BODY, "Comments", policy))
    assert article.paragraphs == tuple(BODY)
    assert article.outlet == "The Daily Example"


def test_textpage_byline_gives_authors() -> None:
    article = extract_text_page(page("By Jane Doe and John Roe", *BODY))
    assert article.authors == ("Jane Doe", "John Roe")


def test_textpage_without_header_uses_given_date() -> None:
    article = extract_text_page("\n".join(BODY), date="2024-03-04")
    assert article.date == "2024-03-04"
    assert article.title is None
    assert article.paragraphs == tuple(BODY)


def test_textpage_missing_values_stay_empty() -> None:
    article = extract_text_page(page(*BODY))
    assert article.published is None and article.agency is None and article.tags == () and article.authors == ()


def test_textpage_document_title_line_without_header() -> None:
    text = "\n".join(
        [
            "Rivals hold first talks in a year - The Daily Example",
            "Home | World",
            "Rivals hold first talks in a year",
            *BODY,
        ]
    )
    article = extract_text_page(text)
    assert article.title == "Rivals hold first talks in a year"
    assert article.paragraphs == tuple(BODY)


def test_textpage_document_title_falls_back_to_the_part_before_the_site_name() -> None:
    text = "\n".join(["Rivals hold first talks in a year | The Daily Example", *BODY])
    assert extract_text_page(text).title == "Rivals hold first talks in a year"
