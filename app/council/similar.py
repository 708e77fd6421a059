"""Likely duplicates among needs, in any script (Flask-free).

Texts are normalized (Unicode NFKC, case-folded, punctuation and symbols
dropped, spaces collapsed) and compared with rapidfuzz. The score of a pair
is the best of

* ``fuzz.token_set_ratio`` — word-based, ignores word order and extra words
  ("no water at the borehole" ~ "the borehole has no water"), and
* ``fuzz.ratio`` — plain character similarity (Indel distance), for
  spelling variants (``maji`` / ``mahji``, ``في`` / ``فى``), and
* ``fuzz.partial_ratio`` — the best matching substring, only when both
  texts are in a script written without spaces (Chinese, Thai, Japanese),
  where "words" cannot be compared.

Both run on characters, so no language model or word list is needed.

``clusters`` groups needs into connected components of pairs scoring at
least ``threshold`` within the same category; ``similar_to`` lists the best
matches of one need, same category first. The work is capped: only the
``limit`` most recent needs are compared (a 500 x 500 comparison takes well
under a second on a Raspberry Pi-class CPU).
"""

import re
import unicodedata
from collections import defaultdict

from rapidfuzz import fuzz, process

THRESHOLD = 75
LIMIT = 500

_SPACES = re.compile(r"\s+")


def normalize(text: str) -> str:
    """NFKC, casefold, punctuation and symbols to spaces, spaces collapsed."""
    text = unicodedata.normalize("NFKC", text or "").casefold()
    kept = [" " if unicodedata.category(ch)[0] in "PSZC" else ch for ch in text]
    return _SPACES.sub(" ", "".join(kept)).strip()


_DENSE_SCRIPTS = ("CJK", "HIRAGANA", "KATAKANA", "THAI", "LAO", "KHMER", "MYANMAR", "TIBETAN")


def _dense(text: str) -> bool:
    """True for text mostly in a script written without spaces (Chinese, Thai ...)."""
    letters = [ch for ch in text if ch.isalpha()]
    if len(letters) < 4:
        return False
    dense = sum(unicodedata.name(ch, "").startswith(_DENSE_SCRIPTS) for ch in letters)
    return dense * 2 > len(letters)


def score(a: str, b: str) -> float:
    """Similarity 0-100 of two NORMALIZED texts."""
    if not a or not b:
        return 0.0
    best = max(fuzz.token_set_ratio(a, b), fuzz.ratio(a, b))
    if _dense(a) and _dense(b):
        best = max(best, fuzz.partial_ratio(a, b))
    return float(best)


def _pairs(
    queries: list[str], choices: list[str], threshold: float
) -> dict[tuple[int, int], float]:
    """{(query index, choice index): score} for every pair at or above THRESHOLD.

    Runs rapidfuzz's native scorers over all choices per query (no Python
    call per pair), one pass per scorer, and keeps the best score."""
    found: dict[tuple[int, int], float] = {}
    dense = [i for i, text in enumerate(choices) if _dense(text)]
    dense_choices = [choices[i] for i in dense]
    for qi, query in enumerate(queries):
        passes = [(fuzz.token_set_ratio, choices, None), (fuzz.ratio, choices, None)]
        if _dense(query) and dense:
            passes.append((fuzz.partial_ratio, dense_choices, dense))
        for scorer, pool, index in passes:
            for _text, value, ci in process.extract(
                query, pool, scorer=scorer, score_cutoff=threshold, limit=None
            ):
                ci = index[ci] if index is not None else ci
                if value > found.get((qi, ci), 0):
                    found[(qi, ci)] = float(value)
    return found


def _root(parent: list[int], i: int) -> int:
    while parent[i] != i:
        parent[i] = parent[parent[i]]
        i = parent[i]
    return i


def clusters(
    needs: list[dict], *, threshold: float = THRESHOLD, limit: int = LIMIT, key: str = "category"
) -> list[list[dict]]:
    """Groups of two or more similar needs (each a dict with "id", "text" and
    KEY), largest first. Only the LIMIT needs with the highest ids are used."""
    needs = sorted(needs, key=lambda n: n["id"], reverse=True)[:limit]
    by_key: dict = defaultdict(list)
    for need in needs:
        by_key[need.get(key)].append(need)
    found = []
    for group in by_key.values():
        if len(group) < 2:
            continue
        texts = [normalize(n["text"]) for n in group]
        pairs = _pairs(texts, texts, threshold)
        parent = list(range(len(group)))

        for i, j in pairs:
            if i != j:
                parent[_root(parent, i)] = _root(parent, j)
        components = defaultdict(list)
        for i, need in enumerate(group):
            components[_root(parent, i)].append(need)
        found += [sorted(c, key=lambda n: n["id"]) for c in components.values() if len(c) > 1]
    found.sort(key=lambda c: (-len(c), c[0]["id"]))
    return found


def similar_to(
    need: dict,
    others: list[dict],
    *,
    threshold: float = THRESHOLD,
    limit: int = LIMIT,
    top: int = 10,
    key: str = "category",
) -> list[tuple[dict, float]]:
    """The best matches of NEED among OTHERS: same KEY first, then by score."""
    others = [o for o in others if o["id"] != need["id"]]
    others = sorted(others, key=lambda n: n["id"], reverse=True)[:limit]
    if not others:
        return []
    pairs = _pairs([normalize(need["text"])], [normalize(o["text"]) for o in others], threshold)
    ranked = [(others[ci], value) for (_qi, ci), value in pairs.items()]
    ranked.sort(key=lambda pair: (pair[0].get(key) != need.get(key), -pair[1], -pair[0]["id"]))
    return ranked[:top]
