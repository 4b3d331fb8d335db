"""Event coding over sentences written here: types, arguments, status, attribution, dates."""

from __future__ import annotations

from newsgraph.models import Article, Event, Page
from newsgraph.pipeline import analyze_article


def code(resources, *paragraphs: str, day: str = "2023-10-18") -> tuple[Event, ...]:  # type: ignore[no-untyped-def]
    article = Article(title=None, paragraphs=paragraphs, date=day)
    [body] = resources.parser.parse([paragraphs])
    return analyze_article(Page("t", "", "text"), article, body, resources).events


def find(events: tuple[Event, ...], plover: str) -> Event:
    hits = [e for e in events if e.plover == plover]
    assert hits, f"no {plover} event in {[(e.plover, e.trigger) for e in events]}"
    return hits[0]


def dyad(event: Event) -> tuple[str | None, str | None]:
    return event.source.country, event.target.country if event.target else None


def test_coder_visit_with_place_and_weekday(resources) -> None:  # type: ignore[no-untyped-def]
    visit = find(
        code(resources, "Russian Foreign Minister Sergei Lavrov arrived in Pyongyang on Wednesday."), "CONSULT"
    )
    assert dyad(visit) == ("RUS", "PRK") and visit.cameo == "042"
    assert (visit.date, visit.date_precision, visit.status) == ("2023-10-18", "day", "asserted")
    assert visit.location is not None and visit.location.name == "Pyongyang"


def test_coder_reported_allegation_and_accusation(resources) -> None:  # type: ignore[no-untyped-def]
    events = code(resources, "The White House said last week that Pyongyang had supplied weapons to Russia.")
    aid = find(events, "AID")
    assert dyad(aid) == ("PRK", "RUS") and aid.status == "alleged" and aid.attributed_to == ("White House",)
    assert aid.date is None
    accusation = find(events, "ACCUSE")
    assert dyad(accusation) == ("USA", "PRK") and accusation.date == "2023-10-11"


def test_coder_denial_of_allegations(resources) -> None:  # type: ignore[no-untyped-def]
    events = code(
        resources,
        "The White House said Pyongyang had supplied weapons to Russia.",
        "Kremlin spokesman Dmitry Peskov said on Tuesday that the allegations were not based on evidence.",
    )
    denial = find(events, "REJECT")
    assert dyad(denial) == ("RUS", "USA") and denial.date == "2023-10-17"


def test_coder_planned_event_takes_the_statement_date(resources) -> None:  # type: ignore[no-untyped-def]
    events = code(
        resources,
        "Kremlin spokesman Dmitry Peskov spoke on Tuesday.",
        "Peskov said on Tuesday that Russia would continue to build its relations with North Korea.",
    )
    intent = find(events, "AGREE")
    assert dyad(intent) == ("RUS", "PRK") and intent.status == "planned" and intent.date == "2023-10-17"


def test_coder_media_are_attribution_not_actors(resources) -> None:  # type: ignore[no-untyped-def]
    events = code(
        resources, "Lavrov will hold talks with North Korean officials, according to the Interfax news agency."
    )
    talks = find(events, "CONSULT")
    assert talks.source.country == "RUS" and talks.attributed_to == ("Interfax",) and talks.status == "planned"
    assert all("Interfax" not in (e.source.name, e.target.name if e.target else None) for e in events)


def test_coder_denied_act_has_denied_status(resources) -> None:  # type: ignore[no-untyped-def]
    aid = find(code(resources, "North Korea has denied sending weapons to Russia."), "AID")
    assert dyad(aid) == ("PRK", "RUS") and aid.status == "denied"


def test_coder_negation(resources) -> None:  # type: ignore[no-untyped-def]
    visit = find(code(resources, "Chinese President Xi Jinping did not visit Moscow in March."), "CONSULT")
    assert visit.status == "negated"


def test_coder_relative_month_after(resources) -> None:  # type: ignore[no-untyped-def]
    events = code(
        resources, "The visit comes a month after North Korean leader Kim Jong Un made a rare trip to Russia."
    )
    trip = next(e for e in events if e.trigger == "trip")
    assert dyad(trip) == ("PRK", "RUS") and (trip.date, trip.date_precision) == ("2023-09", "month")


def test_coder_no_events_in_a_sentence_without_political_acts(resources) -> None:  # type: ignore[no-untyped-def]
    assert code(resources, "The weather in Seoul was mild on Tuesday, and markets were quiet.") == ()


def test_coder_offsets_cover_the_sentence(resources) -> None:  # type: ignore[no-untyped-def]
    paragraphs = ("Nothing happened here.", "Officials said nothing. Japan imposed sanctions on Russia on Monday.")
    text = "\n\n".join(paragraphs)
    for event in code(resources, *paragraphs):
        assert text[event.start : event.end] == event.sentence
