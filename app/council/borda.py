"""Combining council members' rankings with the Borda count (Flask-free).

Each member ranks every candidate (a full ranking, best first). With n
candidates, a candidate gets n-1 points for each first place, n-2 for each
second place, ... and 0 for each last place. The candidate with the most
points comes first.

Ties (equal points) are broken by the number of first places, then second
places, and so on; a tie that remains keeps the order of `candidates`
(the council's current ranking), so the result never depends on chance.

Worked example (also in docs/council.md and tests/test_council_votes.py):
three members rank four priorities A, B, C, D (n = 4: 3, 2, 1, 0 points)

    member 1: A B C D   ->  A 3, B 2, C 1, D 0
    member 2: B C A D   ->  B 3, C 2, A 1, D 0
    member 3: B A D C   ->  B 3, A 2, D 1, C 0

    totals:   B 8, A 6, C 3, D 1   ->  result B, A, C, D
"""

from collections.abc import Hashable, Sequence
from dataclasses import dataclass


class BallotError(ValueError):
    """A ranking that is not a full ranking of the candidates."""


@dataclass(frozen=True)
class Standing:
    candidate: Hashable
    points: int
    places: tuple[int, ...]  # how often ranked 1st, 2nd, ...


def check_ballot(ranking: Sequence, candidates: Sequence) -> None:
    """Refuse a RANKING that is not every candidate exactly once."""
    if len(ranking) != len(candidates) or set(ranking) != set(candidates):
        raise BallotError("a ballot must rank every candidate exactly once")
    if len(set(ranking)) != len(ranking):
        raise BallotError("a ballot must rank every candidate exactly once")


def borda(rankings: Sequence[Sequence], candidates: Sequence) -> list[Standing]:
    """The combined order of CANDIDATES from full RANKINGS, best first."""
    n = len(candidates)
    points = {c: 0 for c in candidates}
    places = {c: [0] * n for c in candidates}
    for ranking in rankings:
        check_ballot(ranking, candidates)
        for position, candidate in enumerate(ranking):
            points[candidate] += n - 1 - position
            places[candidate][position] += 1
    order = {c: i for i, c in enumerate(candidates)}
    standings = [Standing(c, points[c], tuple(places[c])) for c in candidates]
    standings.sort(key=lambda s: (-s.points, [-p for p in s.places], order[s.candidate]))
    return standings
