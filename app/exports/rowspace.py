"""Sparse linear algebra modulo a 61-bit prime for the export's audit: exact
ranks of 0/1 (and -1) equations, barring a 1-in-2^61 accident."""

import heapq

P = (1 << 61) - 1


class RowSpace:
    """Echelon basis modulo P of sparse rows {variable: coefficient}."""

    def __init__(self):
        self.pivots: dict[int, dict[int, int]] = {}

    def reduce(self, row: dict[int, int]) -> dict[int, int]:
        v = {j: c % P for j, c in row.items() if c % P}
        heap = list(v)
        heapq.heapify(heap)
        done = set()
        while heap:
            j = heapq.heappop(heap)
            if j in done or j not in v:
                continue
            done.add(j)
            pivot = self.pivots.get(j)
            if pivot is None:
                continue
            f = v[j]
            for i, c in pivot.items():
                x = (v.get(i, 0) - f * c) % P
                if x:
                    if i not in v:
                        heapq.heappush(heap, i)
                    v[i] = x
                else:
                    v.pop(i, None)
        return v

    def add(self, row: dict[int, int]) -> None:
        v = self.reduce(row)
        if v:
            j = min(v)
            inv = pow(v[j], P - 2, P)
            self.pivots[j] = {i: c * inv % P for i, c in v.items()}

    def member(self, row: dict[int, int]) -> bool:
        return not self.reduce(row)

    def determined(self) -> list[int]:
        """Variables whose unit vector lies in the row space, all at once: the
        rows brought to reduced echelon form (back substitution from the last
        pivot; a reduced row holds its pivot and free variables only), a
        variable is determined exactly when its reduced row is its unit vector
        (in any combination, a pivot's coefficient is its own row's)."""
        done: dict[int, dict[int, int]] = {}
        for j in sorted(self.pivots, reverse=True):
            row = dict(self.pivots[j])
            for i in [i for i in row if i != j and i in done]:
                f = row.pop(i)
                for m, c in done[i].items():
                    if m != i:
                        x = (row.get(m, 0) - f * c) % P
                        if x:
                            row[m] = x
                        else:
                            row.pop(m, None)
            done[j] = row
        return sorted(j for j, row in done.items() if len(row) == 1)
