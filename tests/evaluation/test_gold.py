from __future__ import annotations

from newsgraph.evaluation.gold import check_article, check_entities, check_events, event_matches


def test_gold_article_items() -> None:
    article = {"title": "T", "paragraphs": ["First words here.", "Second one.", "The end."], "tags": ["A", "b"]}
    gold = {
        "title": "T",
        "body_paragraphs": 3,
        "body_first_words": "First words",
        "body_second_paragraph_starts": "Second",
        "body_last_words": "end.",
        "body_must_not_contain": ["Related"],
        "tags": ["a", "B"],
    }
    assert all(c.ok for c in check_article(article, gold))
    assert not check_article(article, {"body_must_not_contain": ["Second"]})[0].ok


def test_gold_entity_name_may_be_an_alias() -> None:
    entity = {"name": "United Nations Security Council", "type": "ORG", "country": "IGO", "sector": "UN",
              "aliases": ["U.N. Security Council"]}  # fmt: skip
    gold = {"name": "U.N. Security Council", "type": "ORG", "country": "IGO", "sector": "UN"}
    assert check_entities([entity], [gold])[0].ok
    assert not check_entities([entity], [{**gold, "country": "USA"}])[0].ok


def test_gold_event_dates_at_the_precision_given() -> None:
    event = {"source": {"country": "PRK"}, "target": {"country": "RUS"}, "plover": "CONSULT", "date": "2023-09-13",
             "status": "asserted"}  # fmt: skip
    gold = {"source": "PRK", "target": "RUS", "plover": "CONSULT", "date": "2023-09", "status": "asserted"}
    assert event_matches(event, gold)
    assert not event_matches(event, {**gold, "date": "2023-10"})
    assert not event_matches(event, {**gold, "date": None})
    assert event_matches(event, {**gold, "target": ["USA", "RUS"], "plover": ["AGREE", "CONSULT"]})
    assert not check_events([event], [{**gold, "status": "alleged", "id": "x"}], strict_status=True)[0].ok
