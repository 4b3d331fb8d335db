from __future__ import annotations

import pytest

from newsgraph.extract.timestamps import parse_timestamp


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("18 October, 2023, 04:05 pm", ("published", "2023-10-18T16:05")),
        ("Last modified: 18 October, 2023, 04:11 pm", ("modified", "2023-10-18T16:11")),
        ("Published 14:32 GMT, 19 June 2024", ("published", "2024-06-19T14:32+00:00")),
        ("Updated: Jun 19, 2024 10:02 AM EDT", ("modified", "2024-06-19T10:02-04:00")),
        ("2024-06-19T10:02:00+09:00", ("published", "2024-06-19T10:02+09:00")),
        ("Wed 18 Oct 2023 07.15 BST", ("published", "2023-10-18T07:15+01:00")),
        ("Posted on October 18, 2023", ("published", "2023-10-18")),
        # other languages, year-first and CJK dates
        ("30. Juni 2025, 15:59 Uhr", ("published", "2025-06-30T15:59")),
        ("Aktualisiert: 06.01.2026, 14:59 Uhr", ("modified", "2026-01-06T14:59")),
        ("2023年10月18日 14:05", ("published", "2023-10-18T14:05")),
        ("18 октября 2023 г.", ("published", "2023-10-18")),
        ("Publicado el 3 de abril de 2024", ("published", "2024-04-03")),
    ],
)
def test_timestamps_recognised(line: str, expected: tuple[str, str]) -> None:
    assert parse_timestamp(line) == expected


@pytest.mark.parametrize(
    "line",
    ["3 hours ago", "Russian Foreign Minister Sergei Lavrov arrived on 18 October 2023", "World", "Top Stories", ""],
)
def test_timestamps_rejects_non_timestamps(line: str) -> None:
    assert parse_timestamp(line) is None
