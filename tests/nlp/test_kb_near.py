"""The indel prefilter of the knowledge base's closest-name search never changes what difflib alone would choose."""

from __future__ import annotations

import random
from difflib import get_close_matches

from newsgraph.nlp.kb import KnowledgeBase, key


def _typos(name: str, rng: random.Random) -> str:
    chars = list(name)
    for _ in range(rng.randint(0, 3)):
        i = rng.randrange(len(chars))
        chars[i] = rng.choice("aeioulnrst ")
    return "".join(chars)


def test_closest_name_equals_difflib_over_every_candidate() -> None:
    kb = KnowledgeBase.load()
    rng = random.Random(7)
    people = [n for names in kb.person_names.values() for n in names]
    places = [n for names in kb.place_names.values() for n in names]
    for table, names, slack, cutoff in (("person", people, 3, 0.88), ("place", places, 2, 0.85)):
        table_names = kb.person_names if table == "person" else kb.place_names
        for name in rng.sample(names, 300):
            text = key(_typos(name, rng))
            if not text:
                continue
            every = [p for p in table_names.get(text[0], ()) if abs(len(p) - len(text)) <= slack]
            expected = get_close_matches(text, every, n=1, cutoff=cutoff)
            assert kb._close(table, text, table_names, slack, cutoff) == (expected[0] if expected else None), text
