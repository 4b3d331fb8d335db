"""Near-duplicate articles: MinHash signatures of word 5-gram shingles, banded for LSH (datasketch's MinHash; the
bands are kept in the store so that new articles join existing groups without a recomputation).

Two bodies are copies when their estimated Jaccard similarity reaches JACCARD, or when the shorter one is almost
wholly inside the longer (a cut-down copy of a wire story: estimated containment >= CONTAINMENT). Stable hashing
(datasketch's sha1-based MinHash with a fixed seed) gives the same signature on every machine and run.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

import numpy as np
from datasketch import MinHash

NUM_PERM = 128
BANDS, ROWS = 32, 4  # 32 bands of 4 rows: a pair at Jaccard 0.4 is a candidate with p = 0.57, at 0.6 with 0.99
SHINGLE = 5
JACCARD = 0.5
CONTAINMENT = 0.8
SEED = 20231018

_WORD = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class Fingerprint:
    """An article body's MinHash signature and its number of distinct shingles."""

    signature: np.ndarray  # uint64, NUM_PERM values
    size: int

    def to_bytes(self) -> bytes:
        return self.signature.astype("<u8").tobytes()

    @classmethod
    def from_bytes(cls, data: bytes, size: int) -> Fingerprint:
        return cls(np.frombuffer(data, dtype="<u8").astype(np.uint64), size)


def shingles(text: str) -> set[bytes]:
    """Word 5-grams of the lower-cased words (digits kept: a changed casualty figure is a change)."""
    words = _WORD.findall(text.lower())
    if len(words) < SHINGLE:
        return {" ".join(words).encode()} if words else set()
    return {" ".join(words[i : i + SHINGLE]).encode() for i in range(len(words) - SHINGLE + 1)}


@cache
def _permutations() -> tuple[np.ndarray, np.ndarray]:
    """The seeded hash permutations, made once (making them is most of a small article's cost)."""
    perms: tuple[np.ndarray, np.ndarray] = MinHash(num_perm=NUM_PERM, seed=SEED).permutations
    return perms


def fingerprint(text: str) -> Fingerprint:
    grams = shingles(text)
    minhash = MinHash(num_perm=NUM_PERM, seed=SEED, permutations=_permutations())
    minhash.update_batch(list(grams))
    return Fingerprint(minhash.hashvalues.astype(np.uint64), len(grams))


def band_keys(fp: Fingerprint) -> list[bytes]:
    """One key per band: the band's rows as bytes (equal keys in a band make a candidate pair)."""
    values = fp.signature.astype("<u8")
    return [values[b * ROWS : (b + 1) * ROWS].tobytes() for b in range(BANDS)]


def jaccard(a: Fingerprint, b: Fingerprint) -> float:
    return float(np.mean(a.signature == b.signature))


def containment(a: Fingerprint, b: Fingerprint) -> float:
    """How much of the smaller shingle set lies in the larger, estimated from Jaccard and the set sizes."""
    j = jaccard(a, b)
    small, large = sorted((a.size, b.size))
    if small == 0:
        return 0.0
    return min(1.0, j * (small + large) / (1 + j) / small)


def is_copy(a: Fingerprint, b: Fingerprint) -> bool:
    return jaccard(a, b) >= JACCARD or containment(a, b) >= CONTAINMENT


def best_copy(fp: Fingerprint, candidates: Iterable[tuple[str, Fingerprint]]) -> str | None:
    """The candidate this body is a copy of (the most similar one), or None."""
    best, score = None, 0.0
    for doc_id, other in candidates:
        if is_copy(fp, other):
            similarity = max(jaccard(fp, other), containment(fp, other))
            if similarity > score:
                best, score = doc_id, similarity
    return best
