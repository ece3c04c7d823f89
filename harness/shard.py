"""`--shard K/N`: one runner's part of the work, so a CI matrix of N runners shares it.

Every split is deterministic (the same inputs give the same parts on every runner) and exact (each
item in exactly one part, for any N): suites are balanced by size (longest first, each to the part
with the least work so far, ties to the lower part), mutants and tables are dealt out in order of
their id or name. `harness report merge` puts the parts' JSON reports back together.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Sequence, TypeVar

from harness.findings import HarnessError

T = TypeVar("T")

_FORM = re.compile(r"^\s*(\d+)\s*/\s*(\d+)\s*$")


@dataclass(frozen=True)
class Shard:
    index: int  # K, from 1
    count: int  # N

    @classmethod
    def parse(cls, text: str) -> "Shard":
        match = _FORM.match(text)
        if not match:
            raise HarnessError(f"--shard {text!r}: expected K/N, for example 2/4 (the second of four parts)")
        index, count = int(match.group(1)), int(match.group(2))
        if count < 1 or not 1 <= index <= count:
            raise HarnessError(f"--shard {text}: K must be between 1 and N (N at least 1)")
        return cls(index, count)

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"

    @property
    def first(self) -> bool:
        """The part that also reports what is not split (project-wide findings)."""
        return self.index == 1

    def by_size(self, items: Sequence[T], size: Callable[[T], int], name: Callable[[T], str]) -> list[T]:
        """This part's items, balanced by size; in their original order."""
        loads = [0] * self.count
        mine: set[int] = set()
        for position in sorted(range(len(items)), key=lambda i: (-size(items[i]), name(items[i]))):
            part = min(range(self.count), key=lambda p: (loads[p], p))
            loads[part] += max(size(items[position]), 1)
            if part == self.index - 1:
                mine.add(position)
        return [item for position, item in enumerate(items) if position in mine]

    def by_key(self, items: Sequence[T], key: Callable[[T], object]) -> list[T]:
        """This part's items, dealt out in key order (an id, a name); in their original order."""
        order = sorted(range(len(items)), key=lambda i: key(items[i]))  # type: ignore[arg-type, return-value]
        mine = {position for rank, position in enumerate(order) if rank % self.count == self.index - 1}
        return [item for position, item in enumerate(items) if position in mine]
