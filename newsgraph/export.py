"""Exports of the stored events for the tools analysts use: GDELT 2.0's event-table layout (TSV, with a header file
saying which columns newsgraph fills), PLOVER-style JSON records, and flat rows as Parquet, CSV or JSONL (one
schema, documented in FLAT_SCHEMA). One row per happening (the merged event), as GDELT counts mentions, sources
and articles per event."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

GDELT_COLUMNS = (
    "GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate", "Actor1Code", "Actor1Name",
    "Actor1CountryCode", "Actor1KnownGroupCode", "Actor1EthnicCode", "Actor1Religion1Code", "Actor1Religion2Code",
    "Actor1Type1Code", "Actor1Type2Code", "Actor1Type3Code", "Actor2Code", "Actor2Name", "Actor2CountryCode",
    "Actor2KnownGroupCode", "Actor2EthnicCode", "Actor2Religion1Code", "Actor2Religion2Code", "Actor2Type1Code",
    "Actor2Type2Code", "Actor2Type3Code", "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass",
    "GoldsteinScale", "NumMentions", "NumSources", "NumArticles", "AvgTone", "Actor1Geo_Type", "Actor1Geo_FullName",
    "Actor1Geo_CountryCode", "Actor1Geo_ADM1Code", "Actor1Geo_ADM2Code", "Actor1Geo_Lat", "Actor1Geo_Long",
    "Actor1Geo_FeatureID", "Actor2Geo_Type", "Actor2Geo_FullName", "Actor2Geo_CountryCode", "Actor2Geo_ADM1Code",
    "Actor2Geo_ADM2Code", "Actor2Geo_Lat", "Actor2Geo_Long", "Actor2Geo_FeatureID", "ActionGeo_Type",
    "ActionGeo_FullName", "ActionGeo_CountryCode", "ActionGeo_ADM1Code", "ActionGeo_ADM2Code", "ActionGeo_Lat",
    "ActionGeo_Long", "ActionGeo_FeatureID", "DATEADDED", "SOURCEURL"
)  # fmt: skip
GDELT_FILLED = {
    "GLOBALEVENTID": "newsgraph's happening id",
    "SQLDATE": "the event's date (YYYYMMDD; a month or year date is given as its first day)",
    "MonthYear": "YYYYMM of SQLDATE", "Year": "YYYY of SQLDATE", "FractionDate": "year + day-of-year / 365",
    "Actor1Code": "country code + sector (CAMEO-style, e.g. RUSGOV)", "Actor1Name": "the actor's canonical name",
    "Actor1CountryCode": "ISO alpha-3 (IGO, NGO, IMG for non-state bodies)", "Actor1Type1Code": "sector",
    "Actor2Code": "as Actor1", "Actor2Name": "as Actor1", "Actor2CountryCode": "as Actor1",
    "Actor2Type1Code": "as Actor1",
    "EventCode": "CAMEO code", "EventBaseCode": "first 3 digits", "EventRootCode": "first 2 digits",
    "QuadClass": "1 verbal coop., 2 material coop., 3 verbal conflict, 4 material conflict",
    "GoldsteinScale": "Goldstein weight of the code", "NumMentions": "reports of the happening",
    "NumSources": "distinct outlets", "NumArticles": "distinct articles",
    "ActionGeo_Type": "1 country, 4 city", "ActionGeo_FullName": "place name", "ActionGeo_CountryCode": "ISO alpha-3",
    "ActionGeo_Lat": "latitude", "ActionGeo_Long": "longitude",
    "DATEADDED": "when newsgraph first stored a report (YYYYMMDDHHMMSS, UTC)", "SOURCEURL": "the first report's URL",
}  # fmt: skip
FLAT_SCHEMA = {
    "event_id": "happening id (int)", "date": "event date, YYYY-MM-DD, YYYY-MM or YYYY (str)",
    "source_name": "str", "source_country": "str", "source_sector": "str",
    "target_name": "str", "target_country": "str", "target_sector": "str",
    "plover": "PLOVER type (str)", "mode": "PLOVER mode (str)", "cameo": "CAMEO code (str)",
    "goldstein": "float", "quad": "int", "intensity": "PLOVER intensity (float)",
    "statuses": "statuses reported, '/'-joined (str)", "attributed_to": "claimants, '; '-joined (str)",
    "place": "str", "place_country": "str", "lat": "float", "lon": "float",
    "mentions": "int", "articles": "int", "sources": "int", "independent_sources": "int", "confidence": "float",
    "sentence": "the first report's sentence (str)", "doc_id": "the first report's article (str)",
    "first_seen": "str", "last_seen": "str",
}  # fmt: skip
FORMATS = ("gdelt", "plover", "parquet", "csv", "jsonl")


def flat_row(h: dict[str, Any]) -> dict[str, Any]:
    source, target, place = h.get("source") or {}, h.get("target") or {}, h.get("location") or {}
    first = (h.get("mentions") or [{}])[0]
    return {
        "event_id": h["happening_id"], "date": h.get("date"),
        "source_name": source.get("name"), "source_country": source.get("country"),
        "source_sector": source.get("sector"), "target_name": target.get("name"),
        "target_country": target.get("country"), "target_sector": target.get("sector"),
        "plover": h.get("plover"), "mode": h.get("mode"), "cameo": h.get("cameo"),
        "goldstein": h.get("goldstein"), "quad": h.get("quad"), "intensity": h.get("intensity"),
        "statuses": "/".join(h.get("statuses") or []), "attributed_to": "; ".join(h.get("attributed_to") or []),
        "place": place.get("name"), "place_country": place.get("country"),
        "lat": place.get("lat"), "lon": place.get("lon"),
        "mentions": h.get("mention_count"), "articles": h.get("articles"), "sources": h.get("sources"),
        "independent_sources": h.get("independent_sources"), "confidence": h.get("confidence"),
        "sentence": first.get("sentence"), "doc_id": first.get("doc_id"),
        "first_seen": h.get("first_seen"), "last_seen": h.get("last_seen"),
    }  # fmt: skip


def gdelt_row(h: dict[str, Any], url: str | None) -> list[str]:
    row = dict.fromkeys(GDELT_COLUMNS, "")
    day = _day(h.get("date"))
    if day:
        year, month, dom = int(day[:4]), int(day[4:6]), int(day[6:])
        row.update(SQLDATE=day, MonthYear=day[:6], Year=day[:4],
                   FractionDate=f"{year + ((month - 1) * 30.4 + dom) / 365:.4f}")  # fmt: skip
    for n, side in (("1", h.get("source") or {}), ("2", h.get("target") or {})):
        if side:
            row[f"Actor{n}Code"] = (side.get("country") or "") + (side.get("sector") or "")
            row[f"Actor{n}Name"] = side.get("name") or ""
            row[f"Actor{n}CountryCode"] = side.get("country") or ""
            row[f"Actor{n}Type1Code"] = side.get("sector") or ""
    cameo = h.get("cameo") or ""
    place = h.get("location") or {}
    row.update(
        GLOBALEVENTID=str(h["happening_id"]),
        EventCode=cameo, EventBaseCode=cameo[:3], EventRootCode=cameo[:2], QuadClass=str(h.get("quad") or ""),
        GoldsteinScale=str(h.get("goldstein") if h.get("goldstein") is not None else ""),
        NumMentions=str(h.get("mention_count") or 0), NumSources=str(h.get("sources") or 0),
        NumArticles=str(h.get("articles") or 0), DATEADDED=_stamp(h.get("first_seen")), SOURCEURL=url or "",
    )  # fmt: skip
    if place:
        row.update(ActionGeo_Type="4" if place.get("lat") is not None else "1",
                   ActionGeo_FullName=place.get("name") or "",
                   ActionGeo_CountryCode=place.get("country") or "",
                   ActionGeo_Lat=_num(place.get("lat")), ActionGeo_Long=_num(place.get("lon")))  # fmt: skip
    return [row[c] for c in GDELT_COLUMNS]


def plover_record(h: dict[str, Any]) -> dict[str, Any]:
    """A PLOVER-style event record (field names after the PLOVER data model; newsgraph's own fields kept)."""
    return {
        "id": f"newsgraph-{h['happening_id']}",
        "event_date": h.get("date"),
        "event_type": h.get("plover"),
        "mode": h.get("mode"),
        "event_intensity": h.get("intensity"),
        "cameo": h.get("cameo"),
        "goldstein": h.get("goldstein"),
        "source": _plover_actor(h.get("source")),
        "target": _plover_actor(h.get("target")),
        "location": h.get("location"),
        "status": h.get("statuses"),
        "attributed_to": h.get("attributed_to") or [],
        "event_text": [m.get("sentence") for m in h.get("mentions") or []],
        "num_mentions": h.get("mention_count"),
        "num_articles": h.get("articles"),
        "num_sources": h.get("sources"),
        "confidence": h.get("confidence"),
        "stories": [m.get("doc_id") for m in h.get("mentions") or []],
    }


def write(fmt: str, happenings: Iterable[dict[str, Any]], out: Path, urls: dict[str, str | None]) -> int:
    """Write the happenings to `out` in `fmt`; returns the number of events written."""
    rows = list(happenings)
    if fmt == "gdelt":
        with out.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, delimiter="\t", lineterminator="\n")
            for h in rows:
                first = (h.get("mentions") or [{}])[0].get("doc_id")
                writer.writerow(gdelt_row(h, urls.get(first or "")))
        header = out.with_name(out.name + ".header.tsv")
        header.write_text(
            "column\tfilled by newsgraph\n"
            + "".join(f"{c}\t{GDELT_FILLED.get(c, '(empty)')}\n" for c in GDELT_COLUMNS),
            "utf-8",
        )
    elif fmt == "plover":
        out.write_text(json.dumps([plover_record(h) for h in rows], ensure_ascii=False, indent=1), "utf-8")
    elif fmt == "jsonl":
        with out.open("w", encoding="utf-8") as handle:
            for h in rows:
                handle.write(json.dumps(flat_row(h), ensure_ascii=False) + "\n")
    elif fmt == "csv":
        with out.open("w", encoding="utf-8", newline="") as handle:
            flat = csv.DictWriter(handle, fieldnames=list(FLAT_SCHEMA))
            flat.writeheader()
            flat.writerows(flat_row(h) for h in rows)
    elif fmt == "parquet":
        import pyarrow as pa
        import pyarrow.parquet as pq

        table = pa.Table.from_pylist([flat_row(h) for h in rows], schema=_arrow_schema(pa))
        pq.write_table(table, out)
    else:
        raise ValueError(f"unknown export format {fmt!r}; one of {', '.join(FORMATS)}")
    return len(rows)


def _arrow_schema(pa: Any) -> Any:
    kinds = {"int": pa.int64(), "float": pa.float64()}
    return pa.schema(
        [(name, next((t for k, t in kinds.items() if f"({k})" in doc or doc == k), pa.string())) for name, doc in
         FLAT_SCHEMA.items()]
    )  # fmt: skip


def _plover_actor(actor: dict[str, Any] | None) -> dict[str, Any] | None:
    if not actor:
        return None
    return {"actor_text": actor.get("name"), "country": actor.get("country"), "sector": actor.get("sector"),
            "actor_id": actor.get("actor_id")}  # fmt: skip


def _day(date: str | None) -> str:
    if not date:
        return ""
    parts = (date + "-01-01")[:10].split("-")
    return "".join(parts) if len(parts) == 3 else ""


def _stamp(when: str | None) -> str:
    return "".join(ch for ch in (when or "")[:19] if ch.isdigit())


def _num(value: Any) -> str:
    return "" if value is None else f"{float(value):.5f}"
