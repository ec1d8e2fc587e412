"""Item 6 of `make bench`: does a second process add throughput, or only contention?

Two replicas of a service on one PostgreSQL database against one, with the same total
number of connections: one wrk on the single process, or two wrk side by side, one per
replica (there is no load balancer in the way, so nothing but the replicas is measured).
Rounds alternate single and pair; the median of the rounds' ratios is quoted. The CPU
busy share of the whole machine during the pair runs (from /proc/stat) says whether the
two cores are what limits it.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from lib import WrkResult

ROUNDS = 3


def cpu_times() -> tuple[int, int]:
    """(busy, total) jiffies of all CPUs since boot."""
    with open("/proc/stat") as f:
        fields = [int(x) for x in f.readline().split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    return sum(fields) - idle, sum(fields)


@dataclass
class Paired:
    single: list[WrkResult]
    pair: list[tuple[WrkResult, WrkResult]]
    busy_share: list[float]

    @property
    def ratios(self) -> list[float]:
        return [(a.rps + b.rps) / s.rps for s, (a, b) in zip(self.single, self.pair, strict=True)]

    @property
    def median_round(self) -> int:
        ratios = self.ratios
        return sorted(range(len(ratios)), key=ratios.__getitem__)[len(ratios) // 2]

    @property
    def ratio(self) -> float:
        return self.ratios[self.median_round]

    def summary(self) -> str:
        i = self.median_round
        s, (a, b) = self.single[i], self.pair[i]
        return (
            f"median of {len(self.ratios)} rounds: {a.rps + b.rps:.0f} req/s with two "
            f"({a.rps:.0f} + {b.rps:.0f}) vs {s.rps:.0f} with one = {self.ratio:.2f}x "
            f"(rounds: {', '.join(f'{r:.2f}x' for r in self.ratios)}); "
            f"p99 {max(a.p99_ms, b.p99_ms):.1f} vs {s.p99_ms:.1f} ms; machine CPU busy "
            f"{statistics.median(self.busy_share):.0%} during the pair runs; "
            f"errors {sum(x.errors for x in (s, a, b))}"
        )

    def as_dict(self) -> dict[str, object]:
        return {
            "rounds": [
                {"single": s.as_dict(), "pair": [a.as_dict(), b.as_dict()], "ratio": round(r, 3)}
                for s, (a, b), r in zip(self.single, self.pair, self.ratios, strict=True)
            ],
            "busy_share": [round(x, 3) for x in self.busy_share],
        }


def paired(run: Callable[[str, int], WrkResult], urls: tuple[str, str], connections: int) -> Paired:
    """`run(url, connections)` on the first URL alone, then on both at once with half the
    connections each, ROUNDS times."""
    single: list[WrkResult] = []
    pair: list[tuple[WrkResult, WrkResult]] = []
    busy: list[float] = []
    with ThreadPoolExecutor(max_workers=2) as pool:
        for _ in range(ROUNDS):
            single.append(run(urls[0], connections))
            before = cpu_times()
            a = pool.submit(run, urls[0], connections // 2)
            b = pool.submit(run, urls[1], connections // 2)
            pair.append((a.result(), b.result()))
            after = cpu_times()
            busy.append((after[0] - before[0]) / max(1, after[1] - before[1]))
    return Paired(single, pair, busy)
