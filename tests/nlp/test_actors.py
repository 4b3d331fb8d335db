"""Actor resolution over sentences written here (loads the spaCy model once per session)."""

from __future__ import annotations

from newsgraph.models import Entity
from newsgraph.nlp.actors import ActorResolver
from newsgraph.nlp.parse import paragraph_offsets


def resolve(resources, *paragraphs: str, day: str = "2023-10-18") -> tuple[Entity, ...]:  # type: ignore[no-untyped-def]
    docs = list(resources.nlp.pipe(paragraphs))
    return ActorResolver(resources.kb, day).resolve(docs, paragraph_offsets(paragraphs)).entities


def by_name(entities: tuple[Entity, ...], name: str) -> Entity:
    [found] = [e for e in entities if e.name == name]
    return found


def test_actors_title_phrase_gives_country_and_role(resources) -> None:  # type: ignore[no-untyped-def]
    entities = resolve(resources, "US Special Representative for North Korea Sung Kim called the talks useful.")
    kim = by_name(entities, "Sung Kim")
    assert (kim.type, kim.country, kim.role) == ("PERSON", "USA", "US Special Representative for North Korea")


def test_actors_short_name_links_to_the_person_met_before(resources) -> None:  # type: ignore[no-untyped-def]
    entities = resolve(
        resources,
        "North Korean leader Kim Jong Un made a rare trip to Russia.",
        "Putin and Kim toasted their friendship.",
        "US envoy Sung Kim said he was worried.",
    )
    kim = by_name(entities, "Kim Jong Un")
    assert kim.country == "PRK" and "Kim" in kim.aliases
    assert len(kim.mentions) == 2
    assert by_name(entities, "Sung Kim").country == "USA"


def test_actors_role_phrase_stands_for_named_person(resources) -> None:  # type: ignore[no-untyped-def]
    entities = resolve(
        resources,
        "Russian Foreign Minister Sergei Lavrov arrived in Pyongyang on Wednesday.",
        "Putin's foreign minister will hold talks with his counterpart.",
    )
    assert "Putin's foreign minister" in by_name(entities, "Sergei Lavrov").aliases


def test_actors_acronym_defined_in_parentheses(resources) -> None:  # type: ignore[no-untyped-def]
    entities = resolve(
        resources,
        "The British Royal United Services Institute (RUSI) released satellite images on Monday.",
        "The RUSI report said the ships made several trips.",
    )
    rusi = by_name(entities, "Royal United Services Institute")
    assert rusi.country == "GBR" and "RUSI" in rusi.aliases
    assert [m.text for m in rusi.mentions] == ["British Royal United Services Institute", "RUSI", "RUSI"]


def test_actors_acronym_of_an_unknown_body_is_learnt(resources) -> None:  # type: ignore[no-untyped-def]
    entities = resolve(
        resources,
        "The Japanese Maritime Watch Institute (JMWI) released satellite images on Monday.",
        "The JMWI report said the ships made several trips.",
    )
    body = by_name(entities, "Maritime Watch Institute")
    assert body.country == "JPN" and "JMWI" in body.aliases and len(body.mentions) == 2


def test_actors_metonyms_capitals_and_media(resources) -> None:  # type: ignore[no-untyped-def]
    entities = resolve(resources, "The Kremlin and the White House traded barbs in Moscow, TASS reported.")
    assert (by_name(entities, "Kremlin").country, by_name(entities, "Kremlin").sector) == ("RUS", "GOV")
    assert by_name(entities, "White House").country == "USA"
    assert by_name(entities, "Moscow").country == "RUS"
    assert by_name(entities, "TASS").sector == "MED"


def test_actors_unknown_name_stays_visible_without_a_guess(resources) -> None:  # type: ignore[no-untyped-def]
    entities = resolve(resources, "Zorblax Quentworth met the delegation on Tuesday.")
    person = by_name(entities, "Zorblax Quentworth")
    assert person.type == "PERSON" and person.country is None


def test_actors_mentions_point_into_the_text(resources) -> None:  # type: ignore[no-untyped-def]
    paragraphs = ("First paragraph about nothing much at all.", "Vladimir Putin met Xi Jinping in Beijing.")
    text = "\n\n".join(paragraphs)
    for entity in resolve(resources, *paragraphs):
        for mention in entity.mentions:
            assert text[mention.start : mention.end] == mention.text


def test_actors_role_nouns_with_a_country_are_group_actors(resources) -> None:  # type: ignore[no-untyped-def]
    entities = resolve(resources, "Senior Hungarian and Romanian officials met Kurdish rebels near the border.")
    groups = {(e.country, e.sector) for e in entities if e.type == "GROUP"}
    assert {("HUN", "GOV"), ("ROU", "GOV")} <= groups
    assert any(e.sector == "REB" for e in entities if e.type == "GROUP")


def test_actors_country_after_the_name_or_role(resources) -> None:  # type: ignore[no-untyped-def]
    entities = resolve(resources, "Minister Zorblax Quentworth of Jordan received the president of Armenia on Monday.")
    assert by_name(entities, "Zorblax Quentworth").country == "JOR"
    assert any(e.country == "ARM" and e.sector == "GOV" for e in entities if e.type == "GROUP")


def test_actors_misspelt_country_is_placed(resources) -> None:  # type: ignore[no-untyped-def]
    entities = resolve(resources, "Ethopia accused its neighbour of shelling the town.")
    assert any(e.country == "ETH" for e in entities)


def test_actors_title_of_an_international_body(resources) -> None:  # type: ignore[no-untyped-def]
    entities = resolve(resources, "NATO Secretary General Zorblax Quentworth warned of new threats.")
    person = by_name(entities, "Zorblax Quentworth")
    assert (person.country, person.sector) == ("IGO", "IGO")


def test_actors_cities_from_the_gazetteer(resources) -> None:  # type: ignore[no-untyped-def]
    entities = resolve(resources, "Russian missiles struck Odesa and Kharkiv overnight.")
    assert by_name(entities, "Odesa").country == "UKR"


def test_actors_dateline_is_a_place_cut_from_the_first_name(resources) -> None:  # type: ignore[no-untyped-def]
    entities = resolve(resources, "ROME - Defense Secretary Lloyd Austin said Wednesday there was evidence.")
    assert by_name(entities, "Rome").country == "ITA"
    assert by_name(entities, "Lloyd Austin").country == "USA"
    assert not [e for e in entities if e.name == "Defense"]


def test_actors_titles_as_printed_and_descriptions(resources) -> None:  # type: ignore[no-untyped-def]
    entities = resolve(
        resources,
        "Beijing froze the channels after then-House Speaker Nancy Pelosi visited Taiwan.",
        "Putin last travelled there in July 2000, when he met Kim's father, Kim Jong Il.",
        "Oleg Burmistrov, an ambassador-at-large at the Russian foreign ministry, was quoted by state media.",
        "Canada expelled Pavan Kumar Rai, whom Ottawa identified as the head of India's intelligence agency in Canada.",
        day="2023-10-16",
    )
    assert "then-House Speaker" in (by_name(entities, "Nancy Pelosi").role or "")
    assert "Kim's father" in (by_name(entities, "Kim Jong Il").role or "")
    burmistrov = by_name(entities, "Oleg Burmistrov")
    assert burmistrov.country == "RUS" and "ambassador-at-large" in (burmistrov.role or "")
    assert "head of India's intelligence agency in Canada" in (by_name(entities, "Pavan Kumar Rai").role or "")


def test_actors_the_demonym_leader_is_that_countrys_leader(resources) -> None:  # type: ignore[no-untyped-def]
    entities = resolve(
        resources,
        "Kim Jong Un met Vladimir Putin and Sergei Lavrov at the cosmodrome.",
        "North Korean state media said the Russian leader had accepted an invitation.",
    )
    assert "the Russian leader" in by_name(entities, "Vladimir Putin").aliases
    assert "the Russian leader" not in by_name(entities, "Sergei Lavrov").aliases


def test_actors_regions_sites_and_possessed_bodies(resources) -> None:  # type: ignore[no-untyped-def]
    entities = resolve(
        resources,
        "Agents were linked to the killing of British Columbia Sikh leader Hardeep Singh Nijjar.",
        "The leaders met at the Filoli estate in Woodside, south of San Francisco.",
        "Russia's lower house of parliament, the State Duma, will vote on Thursday.",
        "A court ruling by Ivory Coast's Supreme Court was expected.",
        day="2023-11-15",
    )
    assert by_name(entities, "Hardeep Singh Nijjar").country == "CAN"
    assert (by_name(entities, "Filoli estate").type, by_name(entities, "Filoli estate").country) == ("PLACE", "USA")
    assert "Russia's lower house of parliament" in by_name(entities, "State Duma").aliases
    assert by_name(entities, "Ivory Coast's Supreme Court").country == "CIV"


def test_actors_titled_name_is_no_city_and_capitals_act_or_locate(resources) -> None:  # type: ignore[no-untyped-def]
    entities = resolve(
        resources,
        "King Hassan of Morocco said he would host the talks in Rabat.",
        "Moscow denied the report.",
    )
    hassan = by_name(entities, "Hassan")
    assert (hassan.type, hassan.country) == ("PERSON", "MAR")
    assert by_name(entities, "Rabat").sector == "CVL"  # only where the talks are
    assert by_name(entities, "Moscow").sector == "GOV"  # the state, denying


def test_actors_headings_lend_aliases_and_name_places(resources) -> None:  # type: ignore[no-untyped-def]
    paragraphs = ["Analysis published by the Royal United Services Institute tracks two ships."]
    docs = list(resources.nlp.pipe(paragraphs))
    actors = ActorResolver(resources.kb, "2023-10-16").resolve(
        docs, paragraph_offsets(paragraphs), ("Rusi analysis tracks ships", None, "Residents of Stepanakert queue")
    )
    assert "Rusi" in by_name(actors.entities, "Royal United Services Institute").aliases
    stepanakert = by_name(actors.entities, "Stepanakert")
    assert stepanakert.country == "AZE" and stepanakert.mentions == ()


def test_actors_untitled_official_is_placed_only_by_a_sentence_naming_one_country(resources) -> None:  # type: ignore[no-untyped-def]
    entities = resolve(
        resources,
        "Planning Minister Tran Quoc Bao said Vietnam would not be rushed.",
        "Trade Minister Olek Varga met envoys from Poland and Hungary.",
        "The Zorvan Mutual Aid League said it would send doctors to Cyprus.",
    )
    assert by_name(entities, "Tran Quoc Bao").country == "VNM"
    assert by_name(entities, "Olek Varga").country is None  # two countries: no guess
    assert [e.country for e in entities if "Zorvan" in e.name] == [None]  # not an office holder: no guess
