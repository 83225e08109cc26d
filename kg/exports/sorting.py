"""External sorting through the system's ``sort``, so that no export holds its rows.

``sort`` (GNU coreutils or BSD, bytewise under ``LC_ALL=C``) keeps a bounded buffer and
merges sorted runs from temporary files, so an export's memory does not grow with the
store.  Bytewise order of UTF-8 is the code-point order Python sorts strings in.

Rows are sorted as JSON values behind a key (``sort_key``) that encodes a tuple of
strings, integers, booleans and None so that bytewise order is Python's tuple order
(None first): hex digits of each string's UTF-8 bytes closed by a space, which sorts
below every digit, so a prefix comes first; integers offset to 16 fixed hex digits.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import groupby
from pathlib import Path
from typing import IO, Any, Generic, TypeVar

from kg.errors import StoreError

SORT_BUFFER = "256M"  # sort's memory for the RDF dumps; beyond it, runs go to temporary files
# The tables' sorts: a PLOVER export has three running at once (the events', the
# documents', and the one that joins participants to them).
ROW_SORT_BUFFER = "64M"
KeyPart = str | int | float | bool | None  # floats are refused: no table is keyed by one
LineWriter = Callable[[IO[bytes]], None]
_INT64_OFFSET = 1 << 63
V = TypeVar("V")


def sort_key(parts: Sequence[KeyPart]) -> bytes:
    """Bytes that sort bytewise as ``parts`` sort as a Python tuple (None first, then
    values of one type per position)."""
    return b"".join(_key_part(part) for part in parts)


def _key_part(part: KeyPart) -> bytes:
    if part is None:
        return b"0 "
    if isinstance(part, bool):
        return b"1" + (b"1 " if part else b"0 ")
    if isinstance(part, int):
        if not -_INT64_OFFSET <= part < _INT64_OFFSET:
            raise StoreError(f"cannot sort {part}: beyond 64-bit integers")
        return b"1" + f"{part + _INT64_OFFSET:016x} ".encode()
    if isinstance(part, str):
        return b"1" + part.encode().hex().encode() + b" "
    raise StoreError(f"cannot sort by a {type(part).__name__} value")


def sort_json(
    items: Iterable[tuple[bytes, Any]], scratch: Path | None, unique: bool = False
) -> Iterator[Any]:
    """The JSON values of ``(key, value)`` items, in the order of their keys, then of
    their JSON text (keys sorted): the order ``sorted`` gives with that as the sort key.
    Distinct items only if ``unique``.  Temporary files go in ``scratch`` (None: the
    system's temporary directory)."""
    lines = (
        key + b"\t" + json.dumps(value, sort_keys=True, ensure_ascii=False).encode() + b"\n"
        for key, value in items
    )
    for line in sorted_stream(lines, scratch, unique, ROW_SORT_BUFFER):
        yield json.loads(line.split(b"\t", 1)[1])


def sorted_stream(
    lines: Iterable[bytes], scratch: Path | None, unique: bool, buffer: str
) -> Iterator[bytes]:
    """``lines`` (each ending ``\\n``) sorted bytewise by ``sort``, read back one at a
    time; ``sort`` reads all its input before it writes, so one pipe each way is safe."""
    with tempfile.TemporaryDirectory(dir=scratch, prefix=".runs-") as runs:
        sorting = _start_sort(Path(runs), unique, buffer, subprocess.PIPE)
        assert sorting.stdin is not None and sorting.stdout is not None
        try:
            with sorting.stdin:
                sorting.stdin.writelines(lines)
            yield from sorting.stdout
            _check(sorting.wait(), "sorting rows")
        finally:
            if sorting.poll() is None:  # the reader stopped early, or failed
                sorting.kill()
                sorting.wait()
            sorting.stdout.close()


def sorted_lines(write_lines: LineWriter, target: Path, unique: bool) -> None:
    """What ``write_lines`` writes, sorted bytewise into ``target`` (only distinct lines
    if ``unique``), never all held in memory."""
    with (
        tempfile.TemporaryDirectory(dir=target.parent, prefix=".runs-") as runs,
        open(target, "wb") as out,
    ):
        sorting = _start_sort(Path(runs), unique, SORT_BUFFER, out)
        assert sorting.stdin is not None
        try:
            write_lines(sorting.stdin)
        except BaseException:
            sorting.kill()
            sorting.wait()
            raise
        finally:
            if not sorting.stdin.closed:
                sorting.stdin.close()
        _check(sorting.wait(), f"writing {target}")


def _start_sort(
    runs: Path, unique: bool, buffer: str, stdout: IO[bytes] | int
) -> subprocess.Popen[bytes]:
    """``sort`` reading a pipe, bytewise (``LC_ALL=C``), its runs in ``runs``."""
    sort = shutil.which("sort")
    if sort is None:
        raise StoreError("exports need the system's `sort` command (coreutils); none is on PATH")
    command = [sort, "-S", buffer, "-T", str(runs), *(["-u"] if unique else [])]
    env = {**os.environ, "LC_ALL": "C"}
    return subprocess.Popen(command, stdin=subprocess.PIPE, stdout=stdout, env=env)


def _check(returncode: int, doing: str) -> None:
    if returncode != 0:
        raise StoreError(f"`sort` failed (exit {returncode}) {doing}")


class SortedLookup(Generic[V]):
    """A merge join: the value of each key asked for, keys asked in ascending order, from
    ``(key, value)`` pairs in ascending order of key, holding one pair at a time."""

    def __init__(self, pairs: Iterable[tuple[bytes, V]]) -> None:
        self._pairs = iter(pairs)
        self._head = next(self._pairs, None)

    def get(self, key: bytes) -> V | None:
        while self._head is not None and self._head[0] < key:
            self._head = next(self._pairs, None)
        return self._head[1] if self._head is not None and self._head[0] == key else None


def last_of_each(rows: Iterable[dict[str, Any]], column: str) -> Iterator[tuple[bytes, Any]]:
    """``(sort_key of column, row)`` for the last row of each run of equal ``column``
    values: what ``{row[column]: row for row in rows}`` keeps."""
    for key, group in groupby(rows, key=lambda row: sort_key([row[column]])):
        yield key, deque(group, maxlen=1)[0]
