"""Turn the candidate spans of every rule into the final, non-overlapping findings.

Rules are applied in the order the respondent's own contact, e-mail, URL, phone, ID, name; an earlier rule wins where
findings overlap, and the part of a later finding outside the earlier one is still kept
(trimmed of spaces) so nothing leaks through the seams. Adjacent name parts collapse
into one finding. All offsets refer to the original text.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from typing import Iterable

_ORDER = ("contact", "email", "url", "phone", "id", "name")  # earlier wins overlaps


@dataclass(frozen=True)
class Finding:
    kind: str  # "contact" | "phone" | "email" | "id" | "url" | "name"
    start: int  # offsets into the ORIGINAL text
    end: int


def _union(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if s >= e:
            continue
        if merged and s <= merged[-1][1]:
            if e > merged[-1][1]:
                merged[-1] = (merged[-1][0], e)
        else:
            merged.append((s, e))
    return merged


def _qualifies(kind: str, piece: str) -> bool:
    if kind in ("phone", "id"):
        return any(c.isdecimal() or "\u1369" <= c <= "\u137c" for c in piece)
    return any(c.isalnum() for c in piece)


def resolve(text: str, candidates: dict[str, list[tuple[int, int]]]) -> list[Finding]:
    starts: list[int] = []
    ends: list[int] = []
    findings: list[Finding] = []
    for kind in _ORDER:
        for s, e in _union(candidates.get(kind, ())):
            # The parts of [s, e) not yet claimed by an earlier finding.
            pieces = []
            pos = s
            i = max(bisect_right(starts, s) - 1, 0)
            while i < len(starts) and starts[i] < e:
                if ends[i] > pos:
                    if starts[i] > pos:
                        pieces.append((pos, starts[i]))
                    pos = ends[i]
                i += 1
            if pos < e:
                pieces.append((pos, e))
            trimmed = pieces != [(s, e)]
            for ps, pe in pieces:
                if trimmed:
                    while ps < pe and text[ps].isspace():
                        ps += 1
                    while pe > ps and text[pe - 1].isspace():
                        pe -= 1
                    if not _qualifies(kind, text[ps:pe]):
                        continue
                j = bisect_left(starts, ps)
                starts.insert(j, ps)
                ends.insert(j, pe)
                findings.append(Finding(kind, ps, pe))
    findings.sort(key=lambda f: f.start)
    # Adjacent name parts collapse into one [name].
    collapsed: list[Finding] = []
    for f in findings:
        prev = collapsed[-1] if collapsed else None
        if (
            prev is not None
            and prev.kind == f.kind == "name"
            and all(c.isspace() or c in "-'’" for c in text[prev.end : f.start])
        ):
            collapsed[-1] = Finding("name", prev.start, f.end)
        else:
            collapsed.append(f)
    return collapsed
