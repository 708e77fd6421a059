"""A long-running node's memory on a small box: glibc allocator settings.

Found by `scripts/bench_memory.py` (issue 12): argon2id takes 19 MiB per hash
through malloc. glibc serves a first block that large with mmap, and when it is
freed raises its mmap threshold to that size (the "dynamic threshold"); from then
on every 19 MiB block comes from the heap arena of the thread that hashed, and
each of waitress's threads keeps its own arena, so 8 threads held 8 × 19 MiB
for good (218 MB after 16 sign-ins). Fixing the threshold turns the dynamic
rule off: large blocks always go back to the system when freed. Capping the
number of arenas bounds the fragmentation many threads leave behind.

Called once at the start of `sauti serve`, before any server thread exists.
Elsewhere (musl, macOS) these settings do not exist and nothing is changed.
"""

import ctypes
import ctypes.util
import logging

log = logging.getLogger(__name__)

M_MMAP_THRESHOLD = -3
M_ARENA_MAX = -8

MMAP_THRESHOLD = 256 * 1024  # glibc's usual starting value, now fixed
ARENAS = 2


def _libc():
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.mallopt  # noqa: B018 - glibc only
    except (OSError, AttributeError):
        return None
    return libc


_LIBC = _libc()


def tune_allocator(arenas: int = ARENAS, mmap_threshold: int = MMAP_THRESHOLD) -> bool:
    """Fix glibc's mmap threshold and cap its arenas; True when it was applied."""
    if _LIBC is None:
        return False
    ok = bool(_LIBC.mallopt(M_MMAP_THRESHOLD, mmap_threshold))
    ok = bool(_LIBC.mallopt(M_ARENA_MAX, arenas)) and ok
    if not ok:
        log.warning("could not tune the memory allocator; memory may grow after sign-ins")
    return ok

