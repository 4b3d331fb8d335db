from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
EXAMPLES = ROOT / "examples" / "corpus"


def require_shared(*parts: str) -> Path:
    """The path under ../shared, or skip the test with a clear message when ../shared is absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is absent: this test reads the shared benchmark/seed data beside the checkout")
    return path


@pytest.fixture(scope="session")
def resources():  # type: ignore[no-untyped-def]
    from newsgraph.pipeline import Resources

    return Resources.load()


@pytest.fixture(scope="session")
def nlp(resources):  # type: ignore[no-untyped-def]
    return resources.nlp
