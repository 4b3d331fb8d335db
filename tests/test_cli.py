"""The command line, end to end on the project's own example pages and on bad files."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from newsgraph.cli import build_parser, main
from tests.conftest import EXAMPLES

RUS_PRK = sorted(EXAMPLES.glob("0*_*lavrov*.txt"))[:2]


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "pages"
    folder.mkdir()
    for path in RUS_PRK:
        shutil.copy(path, folder / path.name)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00")
    (folder / "latin1.txt").write_bytes("Le ministre a d\u00e9clar\u00e9 mardi".encode("latin-1"))
    return folder


def test_cli_help_lists_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        build_parser().parse_args(["--help"])
    out = capsys.readouterr().out
    for command in ("ingest", "analyze", "extract", "articles", "show", "events", "errors"):
        assert command in out


def test_cli_ingest_is_idempotent_and_records_bad_files(
    corpus: Path, fresh_db: str, resources: object, capsys: pytest.CaptureFixture[str]
) -> None:
    db = fresh_db  # a SQLite file, then a PostgreSQL database
    assert main(["ingest", str(corpus), "--db", db]) == 0
    first = capsys.readouterr()
    assert f"5 pages read, {len(RUS_PRK)} new articles" in first.out
    assert "3 errors" in first.out
    for name, reason in (("empty.txt", "empty file"), ("image.png", "binary file"), ("latin1.txt", "not valid UTF-8")):
        assert any(name in line and reason in line for line in first.err.splitlines()), first.err
    counts = _counts(db)
    assert counts["articles"] == len(RUS_PRK) and counts["errors"] == 3 and counts["events"] > 0

    assert main(["ingest", str(corpus), "--db", db]) == 0
    second = capsys.readouterr().out
    assert f"0 new articles ({len(RUS_PRK)} already stored)" in second
    assert _counts(db) == counts


def test_cli_reads_back_articles_events_and_errors(
    corpus: Path, fresh_db: str, resources: object, capsys: pytest.CaptureFixture[str]
) -> None:
    db = fresh_db
    main(["ingest", str(corpus), "--db", db])
    capsys.readouterr()
    main(["articles", "--db", db, "--format", "jsonl"])
    articles = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(articles) == len(RUS_PRK)
    main(["show", articles[0]["doc_id"][:8], "--db", db, "--format", "jsonl"])
    record = json.loads(capsys.readouterr().out)
    assert record["article"]["paragraphs"] and record["entities"]
    main(["events", "--db", db, "--dyad", "PRK", "RUS", "--format", "jsonl"])
    events = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert events and all(
        {e["source"]["country"], (e["target"] or {}).get("country")} == {"RUS", "PRK"} for e in events
    )
    main(["events", "--db", db, "--type", "CONSULT", "--format", "csv"])
    rows = capsys.readouterr().out.splitlines()
    assert rows[0].startswith("date,source,plover") and all(",CONSULT," in r for r in rows[1:])
    main(["errors", "--db", db, "--format", "jsonl"])
    assert len(capsys.readouterr().out.splitlines()) == 3


def test_cli_analyze_prints_the_contract(resources: object, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["analyze", str(RUS_PRK[0]), "--format", "jsonl"]) == 0
    record = json.loads(capsys.readouterr().out)
    assert set(record) == {"path", "article", "entities", "events"}
    assert {
        "title",
        "date",
        "published",
        "modified",
        "agency",
        "outlet",
        "section",
        "breadcrumb",
        "tags",
        "summary",
        "image_captions",
        "authors",
        "language",
        "url",
        "paragraphs",
    } <= set(record["article"])
    event = record["events"][0]
    assert {
        "source",
        "target",
        "plover",
        "cameo",
        "goldstein",
        "status",
        "attributed_to",
        "date",
        "date_precision",
        "location",
        "sentence",
        "start",
        "end",
        "article_path",
    } <= set(event)
    text = "\n\n".join(record["article"]["paragraphs"])
    assert text[event["start"] : event["end"]] == event["sentence"]


def test_cli_analyze_text_input_with_date(
    tmp_path: Path, resources: object, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "clean.txt"
    path.write_text("Russian Foreign Minister Sergei Lavrov arrived in Pyongyang on Wednesday for talks.\n", "utf-8")
    assert main(["analyze", str(path), "--input-format", "text", "--date", "2023-10-18", "--format", "jsonl"]) == 0
    record = json.loads(capsys.readouterr().out)
    [visit] = [e for e in record["events"] if e["plover"] == "CONSULT"]
    assert (visit["source"]["country"], visit["target"]["country"], visit["date"]) == ("RUS", "PRK", "2023-10-18")


def test_cli_extract_needs_no_model(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["extract", str(RUS_PRK[0]), "--format", "jsonl"]) == 0
    assert json.loads(capsys.readouterr().out)["article"]["paragraphs"]


def _counts(db: str) -> dict[str, int]:
    from newsgraph.store import open_store

    with open_store(db) as store:
        return {t: n for t, n in store.counts().items() if t in ("pages", "articles", "events", "errors")}


def test_cli_analyze_with_users_own_people_csv_and_groups_yaml(
    tmp_path: Path, resources: object, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "clean.txt"
    path.write_text("Vantorel said on Tuesday that the Brisk Harbour Front had attacked the port.\n", "utf-8")
    people = tmp_path / "people.csv"
    people.write_text(
        "name,aliases,country,sector,role,valid_from,valid_to\n"
        "Marek Vantorel,Vantorel;M. Vantorel,POL,GOV,Interior Minister,2023-01-01,\n",
        "utf-8",
    )
    groups = tmp_path / "mine.yaml"
    groups.write_text("groups:\n- {name: Brisk Harbour Front, aliases: [BHF], country: EST, sector: REB}\n", "utf-8")
    argv = ["analyze", str(path), "--input-format", "text", "--date", "2023-10-17", "--format", "jsonl"]
    assert main([*argv, "--kb", str(people), "--kb", str(groups)]) == 0
    entities = {e["name"]: e for e in json.loads(capsys.readouterr().out)["entities"]}
    assert (entities["Marek Vantorel"]["country"], entities["Marek Vantorel"]["role"]) == ("POL", "Interior Minister")
    assert (entities["Brisk Harbour Front"]["country"], entities["Brisk Harbour Front"]["sector"]) == ("EST", "REB")


def test_cli_ingest_feed_jsonl_and_stdin_with_versions_links_and_fail_fast(
    tmp_path: Path,
    fresh_db: str,
    resources: object,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import io

    db = fresh_db
    body = " ".join(["Russian Foreign Minister Sergei Lavrov arrived in Pyongyang on Wednesday for talks."] * 3)
    records = tmp_path / "export.jsonl"
    records.write_text(
        json.dumps({"body_text": body, "href": "https://news.example.org/a?utm_source=x", "when": "2023-10-18"})
        + "\n{not json\n",
        "utf-8",
    )
    argv = [
        "ingest",
        str(records),
        "--db",
        db,
        "--text-field",
        "body_text",
        "--url-field",
        "href",
        "--date-field",
        "when",
    ]
    assert main(argv) == 0
    assert "1 new articles" in capsys.readouterr().out
    # the same URL with changed content is the URL's second version, not a duplicate
    records.write_text(
        json.dumps({"body_text": body + " Talks went on.", "href": "https://news.example.org/a", "when": "2023-10-18"}),
        "utf-8",
    )
    assert main(argv) == 0
    from newsgraph.store import open_store

    with open_store(db) as store:
        assert [v["version"] for v in store.versions("https://news.example.org/a")] == [1, 2]
        assert any("line 2" in e["reason"] or ":2" in e["origin"] for e in store.errors())
    # stdin, a feed with a link to fetch
    feed = (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>x</title>'
        "<item><title>Later</title><link>https://news.example.org/later</link></item></channel></rss>"
    )
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(feed.encode())))
    assert main(["ingest", "-", "--db", db]) == 0
    capsys.readouterr()
    assert main(["links", "--db", db, "--format", "jsonl"]) == 0
    assert json.loads(capsys.readouterr().out)["url"] == "https://news.example.org/later"
    # --fail-fast stops at the first bad document with a non-zero exit
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "a.txt").write_bytes(b"")
    assert main(["ingest", str(bad), "--db", db, "--fail-fast"]) == 1
    assert "stopped at the first error" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--engine", "spark", "pages"], "needs --db DB"),
        (["--engine", "spark", "-", "--out", "tables"], "not standard input"),
        (["--engine", "spark", "pages", "--out", "tables[1]"], "as a pattern"),
        (["--engine", "local", "pages", "--out", "tables"], "--out needs --engine spark"),
    ],
)
def test_cli_run_refuses_what_it_cannot_do_before_starting(
    args: list[str], says: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["run", *args]) == 2
    assert says in capsys.readouterr().err
