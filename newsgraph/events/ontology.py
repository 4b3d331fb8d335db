"""CAMEO and PLOVER as data: names, Goldstein values, quad classes, PLOVER types and intensities."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml


@dataclass(frozen=True, slots=True)
class Code:
    """What a CAMEO code means and how it scores."""

    cameo: str
    name: str
    goldstein: float
    quad: int
    plover: str | None
    mode: str | None
    intensity: float | None


@dataclass(frozen=True, slots=True)
class Ontology:
    codes: dict[str, Code]
    intensities: dict[str, float]
    plover_quads: dict[str, str]

    def code(self, cameo: str, plover: str | None = None, mode: str | None = None) -> Code:
        """The code's row; falls back to its parent (0421 -> 042 -> 04) for codes the table lacks."""
        row = self.codes.get(cameo)
        probe = cameo
        while row is None and len(probe) > 2:
            probe = probe[:-1]
            row = self.codes.get(probe)
        if row is None:
            raise KeyError(f"unknown CAMEO code {cameo!r}")
        plover_type = plover or row.plover
        return Code(
            cameo=cameo,
            name=row.name,
            goldstein=row.goldstein,
            quad=row.quad,
            plover=plover_type,
            mode=mode or row.mode,
            intensity=self.intensities.get(plover_type) if plover_type else None,
        )


def _read(name: str) -> Any:
    return yaml.safe_load((resources.files("newsgraph.events") / "data" / name).read_text(encoding="utf-8"))


@cache
def load_ontology() -> Ontology:
    plover_rows = _read("plover.yaml")
    intensities = {row["type"]: float(row["intensity"]) for row in plover_rows}
    quads = {row["type"]: str(row.get("quad")) for row in plover_rows}
    codes = {}
    for row in _read("cameo.yaml"):
        code = str(row["code"])
        plover = row.get("plover")
        codes[code] = Code(
            code,
            row["name"],
            float(row["goldstein"]),
            int(row["quad"]),
            plover,
            row.get("mode"),
            intensities.get(plover) if plover else None,
        )
    return Ontology(codes, intensities, quads)
