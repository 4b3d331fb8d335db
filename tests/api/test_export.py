"""Exports loaded back as analysts load them: Parquet and CSV with pandas and DuckDB, the GDELT-style TSV with
GDELT's column names, PLOVER JSON and JSONL; every event survives the round trip."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from newsgraph.cli import main
from newsgraph.export import FLAT_SCHEMA, GDELT_COLUMNS


@pytest.fixture(scope="module")
def exported(corpus_db: str, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("exports")
    files = {}
    for fmt, name in (("parquet", "e.parquet"), ("csv", "e.csv"), ("gdelt", "e.tsv"), ("plover", "e.json"),
                      ("jsonl", "e.jsonl")):  # fmt: skip
        out = folder / name
        assert main(["export", "--format", fmt, "-o", str(out), "--db", corpus_db]) == 0
        files[fmt] = out
    return files


def happenings(db: str) -> int:
    from newsgraph.api.queries import Queries

    queries = Queries(db)
    try:
        return int(queries.stats()["happenings"])
    finally:
        queries.close()


def test_parquet_and_csv_load_in_pandas_and_duckdb(exported: dict[str, Path], corpus_db: str) -> None:
    total = happenings(corpus_db)
    frame = pd.read_parquet(exported["parquet"])
    assert list(frame.columns) == list(FLAT_SCHEMA) and len(frame) == total
    assert frame["mentions"].dtype.kind == "i" and frame["goldstein"].dtype.kind == "f"
    csv_frame = pd.read_csv(exported["csv"])
    assert len(csv_frame) == total and set(csv_frame["event_id"]) == set(frame["event_id"])
    with duckdb.connect() as con:
        parquet_rows = con.execute(
            f"SELECT count(*), sum(mentions) FROM read_parquet('{exported['parquet']}')"
        ).fetchone()
        csv_rows = con.execute(f"SELECT count(*) FROM read_csv_auto('{exported['csv']}')").fetchone()
        dyad = con.execute(
            f"SELECT count(*) FROM read_parquet('{exported['parquet']}') "
            "WHERE source_country = 'RUS' AND target_country = 'PRK'"
        ).fetchone()
    assert parquet_rows[0] == csv_rows[0] == total and parquet_rows[1] >= total and dyad[0] > 0


def test_gdelt_tsv_reads_with_gdelt_column_names(exported: dict[str, Path], corpus_db: str) -> None:
    frame = pd.read_csv(exported["gdelt"], sep="\t", header=None, names=GDELT_COLUMNS, dtype=str, keep_default_na=False)
    assert len(GDELT_COLUMNS) == 61 and len(frame) == happenings(corpus_db)
    dated = frame[frame["SQLDATE"] != ""]
    assert dated["SQLDATE"].str.fullmatch(r"\d{8}").all()
    assert set(frame["QuadClass"]) <= {"1", "2", "3", "4", ""}
    assert (frame["EventRootCode"] == frame["EventCode"].str[:2]).all()
    header = exported["gdelt"].with_name("e.tsv.header.tsv").read_text("utf-8")
    assert "NumMentions\treports of the happening" in header and "AvgTone\t(empty)" in header


def test_plover_json_and_jsonl(exported: dict[str, Path], corpus_db: str) -> None:
    records = json.loads(exported["plover"].read_text("utf-8"))
    assert len(records) == happenings(corpus_db)
    assert all(r["event_type"] and r["event_text"] for r in records)
    lines = exported["jsonl"].read_text("utf-8").splitlines()
    assert len(lines) == len(records) and set(json.loads(lines[0])) == set(FLAT_SCHEMA)
