"""Which suite to try first on a mutant. A mutant needs one failing suite to be killed, so the suites
run one after another and stop at the first failure; the order decides the cost. Suites that killed
mutants of the same operator come first, then those that killed most mutants overall, then the
quickest. The order learns as mutants finish, so "killed by" names the first suite in the order of
the moment that failed, not the only one that could."""

from __future__ import annotations

import threading
from collections import Counter


class SuiteOrder:
    def __init__(self, elapsed: dict[str, float]) -> None:
        self._elapsed = dict(elapsed)  # suite -> seconds it took on the unmutated database
        self._kills: Counter[str] = Counter()
        self._by_operator: dict[str, Counter[str]] = {}
        self._lock = threading.Lock()

    def order(self, operator: str) -> list[str]:
        with self._lock:
            mine = self._by_operator.get(operator, Counter())
            return sorted(self._elapsed, key=lambda s: (-mine[s], -self._kills[s], self._elapsed[s], s))

    def record(self, operator: str, suite: str) -> None:
        with self._lock:
            self._kills[suite] += 1
            self._by_operator.setdefault(operator, Counter())[suite] += 1
