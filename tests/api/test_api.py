"""Every endpoint and filter of the REST API against the example corpus's database; escaping; property tests that
no query the OpenAPI spec allows gives a 500."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st


def get(client: Any, url: str, **params: Any) -> Any:
    response = client.get(url, params=params)
    assert response.status_code == 200, (url, params, response.text[:300])
    return response.json()


def test_stats_and_articles_with_search_and_filters(client: Any) -> None:
    stats = get(client, "/api/stats")
    assert stats["articles"] == 41 and stats["happenings"] < stats["events"]
    found = get(client, "/api/articles", q="Lavrov Pyongyang")
    assert found["total"] >= 3 and "\ue000" in found["items"][0]["snippet"]
    assert get(client, "/api/articles", since="2024-01", limit=5)["total"] < stats["articles"]
    outlet = next(a["outlet"] for a in get(client, "/api/articles", limit=500)["items"] if a["outlet"])
    assert all(a["outlet"] == outlet for a in get(client, "/api/articles", outlet=outlet)["items"])
    story = get(client, "/api/stories")[0]["story_id"]
    assert get(client, "/api/articles", story=story)["total"] >= 1
    assert get(client, "/api/articles", q='" OR NOT ( *')["total"] >= 0  # FTS syntax in a query is only words


def test_search_marks_matches_ranks_and_refuses_nul(client: Any, corpus_db: str) -> None:
    from newsgraph.store.base import is_postgres_url

    found = get(client, "/api/articles", q="Vostochny")
    assert found["total"] >= 2 and len(found["items"]) == found["total"]
    for item in found["items"]:  # the snippet shows the match between the marks, as text
        assert "\ue000vostochny\ue001" in item["snippet"].lower() and "<" not in item["snippet"]
    assert get(client, "/api/articles", q="zzqqxxnotaword")["total"] == 0
    assert get(client, "/api/articles", q="!!! ((")["total"] == 0  # no words: nothing, not an error
    for bad in ("Lavrov\x00", "\x00"):  # a NUL cannot be searched for (PostgreSQL refuses it): a 400, not a 500
        response = client.get("/api/articles", params={"q": bad})
        assert response.status_code == 400 and "NUL" in response.json()["detail"]
        assert client.get("/", params={"q": bad}).status_code == 400
    assert client.get("/api/articles/abc%00def").status_code == 400
    page = client.get("/", params={"q": "Vostochny"}).text
    assert "<mark>vostochny</mark>" in page.lower()
    if is_postgres_url(corpus_db):  # web search syntax: "phrase", or, -word
        lavrov = get(client, "/api/articles", q="Lavrov")["total"]
        either = get(client, "/api/articles", q="Lavrov or Vostochny")["total"]
        assert either > lavrov and get(client, "/api/articles", q="Lavrov -Lavrov")["total"] == 0
        assert 0 < get(client, "/api/articles", q='"Sergei Lavrov"')["total"] <= lavrov


def test_article_detail_and_404(client: Any) -> None:
    doc_id = get(client, "/api/articles", q="Vostochny")["items"][0]["doc_id"]
    article = get(client, f"/api/articles/{doc_id[:10]}")
    assert article["doc_id"] == doc_id and article["entities"] and article["events"]
    assert client.get("/api/articles/0000000000").status_code == 404


def test_events_every_filter(client: Any) -> None:
    merged = get(client, "/api/events", a="RUS", b="PRK", limit=500)
    reports = get(client, "/api/events", a="RUS", b="PRK", mentions=True, limit=500)
    assert 0 < merged["total"] < reports["total"]
    assert all({e["source"]["country"], e["target"]["country"]} == {"RUS", "PRK"} for e in merged["items"])
    assert all(m["sentence"] for e in merged["items"] for m in e["mentions"])
    for params, check in (
        ({"actor": "CHN"}, lambda e: "CHN" in (e["source"]["country"], (e["target"] or {}).get("country"))),
        ({"type": "CONSULT"}, lambda e: e["plover"] == "CONSULT"),
        ({"root": "04"}, lambda e: e["cameo"].startswith("04")),
        ({"status": "alleged", "mentions": True}, lambda e: e["status"] == "alleged"),
        ({"since": "2024-04", "until": "2024-04"}, lambda e: (e["date"] or "2024-04").startswith("2024-04")),
        ({"place": "Pyongyang", "mentions": True}, lambda e: (e["location"] or {}).get("name") == "Pyongyang"),
        ({"who": "Sergei Lavrov", "mentions": True}, lambda e: True),
    ):
        items = get(client, "/api/events", limit=500, **params)["items"]
        assert items and all(check(e) for e in items), params
    page_one = get(client, "/api/events", limit=5)["items"]
    page_two = get(client, "/api/events", limit=5, offset=5)["items"]
    assert {e["happening_id"] for e in page_one}.isdisjoint(e["happening_id"] for e in page_two)


def test_actors_dyads_stories_network(client: Any) -> None:
    actors = get(client, "/api/actors", q="peskov")["items"]
    assert actors and actors[0]["actor_id"] == "person:dmitry_peskov"
    peskov = get(client, "/api/actors/person:dmitry_peskov")
    assert peskov["country"] == "RUS" and peskov["events"]
    assert client.get("/api/actors/person:nobody_at_all").status_code == 404
    series = get(client, "/api/dyads/RUS/PRK", interval="month")
    assert series["points"] and all(p["events"] > 0 and -10 <= p["mean_goldstein"] <= 10 for p in series["points"])
    assert get(client, "/api/dyads/rus/prk", interval="week")["points"]
    story = max(get(client, "/api/stories"), key=lambda s: len(s["articles"]))
    detail = get(client, f"/api/stories/{story['story_id']}")
    assert len(detail["articles"]) >= 2 and detail["events"]
    assert client.get("/api/stories/999999").status_code == 404
    network = get(client, "/api/network", since="2023-09", until="2023-10")
    assert network["edges"] and {"RUS", "PRK"} <= set(network["nodes"])


def test_pages_escape_article_text_and_queries(client: Any) -> None:
    doc_id = get(client, "/api/articles", q="Minister visits Pyongyang script")["items"][0]["doc_id"]
    html = client.get(f"/articles/{doc_id}").text
    assert "<script>alert(" not in html and "&lt;script&gt;alert(" in html
    assert "<img src=x" not in html
    search = client.get("/", params={"q": "<script>alert(1)</script>"}).text
    assert "<script>alert(1)</script>" not in search and "&lt;script&gt;" in search


OPEN_QUERIES = {
    "/api/articles": ["q", "since", "until", "outlet", "story", "limit", "offset"],
    "/api/events": ["actor", "a", "b", "type", "root", "status", "since", "until", "place", "who", "mentions",
                    "limit", "offset"],
    "/api/actors": ["q", "limit", "offset"],
    "/api/network": ["since", "until"],
}  # fmt: skip


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    endpoint=st.sampled_from(sorted(OPEN_QUERIES)),
    values=st.dictionaries(
        st.sampled_from(sorted({k for v in OPEN_QUERIES.values() for k in v})),
        st.one_of(st.text(max_size=30), st.integers(-5, 10**12).map(str), st.sampled_from(["RUS", "2023-10", "04"])),
        max_size=5,
    ),
)
def test_no_query_gives_a_server_error(client: Any, endpoint: str, values: dict[str, str]) -> None:
    params = {k: v for k, v in values.items() if k in OPEN_QUERIES[endpoint]}
    assert client.get(endpoint, params=params).status_code < 500


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(path=st.text(min_size=1, max_size=40).filter(lambda p: "/" not in p and p not in (".", "..")))
def test_no_path_gives_a_server_error(client: Any, path: str) -> None:
    from urllib.parse import quote

    for base in ("/api/articles/", "/api/actors/", "/api/dyads/RUS/", "/articles/", "/stories/"):
        assert client.get(base + quote(path, safe="")).status_code < 500


def test_openapi_lists_every_endpoint(client: Any) -> None:
    paths = set(get(client, "/openapi.json")["paths"])
    assert {"/api/stats", "/api/articles", "/api/articles/{doc_id}", "/api/events", "/api/actors",
            "/api/actors/{actor_id}", "/api/dyads/{a}/{b}", "/api/stories", "/api/stories/{story_id}",
            "/api/network"} <= paths  # fmt: skip
