"""The floors issue 10 sets for the generated project, checked against one run's summary.

One worker, every ratio from the same run: req/s of the baseline's (GET by id 0.23, a list page 0.25,
POST, PATCH and DELETE 0.15) and of the textbook app's (GET by id 1.8x, POST, PATCH and DELETE 1.4x);
every p99 at most 10x the baseline's; no request answered with anything but a 2xx.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from benchmarks.load import ENDPOINTS, LABELS

WORKERS = 1
OF_BASELINE = {"get": 0.23, "list": 0.25, "post": 0.15, "patch": 0.15, "delete": 0.15}
OF_TEXTBOOK = {"get": 1.8, "post": 1.4, "patch": 1.4, "delete": 1.4}
P99_OF_BASELINE = 10.0


@dataclass(frozen=True)
class Verdict:
    floor: str
    value: str
    # None: the run did not measure what the floor needs.
    met: bool | None


def check(table: list[dict[str, Any]], app: str) -> list[Verdict]:
    """Each floor for `app` (a generated project of the run) on the summary rows of `report.summary`."""
    rows = {row["endpoint"]: row for row in table if row["workers"] == WORKERS}
    verdicts = []
    for endpoint in ENDPOINTS:
        row = rows.get(endpoint)
        label = LABELS[endpoint]
        if endpoint in OF_BASELINE:
            floor = OF_BASELINE[endpoint]
            verdicts.append(_at_least(f"{label}: req/s >= {floor} x baseline", row, f"{app}/baseline", floor))
        if endpoint in OF_TEXTBOOK:
            floor = OF_TEXTBOOK[endpoint]
            verdicts.append(_at_least(f"{label}: req/s >= {floor} x textbook", row, f"{app}/textbook", floor))
        p99_label = f"{label}: p99 <= {P99_OF_BASELINE:g} x baseline"
        if row is None:
            verdicts.append(Verdict(p99_label, "not measured", None))
        else:
            ratio = row["p99_ratios"][app]
            verdicts.append(Verdict(p99_label, f"{ratio:.1f}x", ratio <= P99_OF_BASELINE))
    failures = sum(row["apps"][app]["non_2xx"] + row["apps"][app]["socket_errors"] for row in rows.values())
    everything = len(rows) == len(ENDPOINTS)
    verdicts.append(
        Verdict(
            "no non-2xx response or failed request" + ("" if everything else " (endpoints measured)"),
            str(failures),
            failures == 0 if rows else None,
        )
    )
    return verdicts


def _at_least(label: str, row: dict[str, Any] | None, ratio: str, floor: float) -> Verdict:
    if row is None or ratio not in row["ratios"]:
        return Verdict(label, "not measured", None)
    value = row["ratios"][ratio]
    return Verdict(label, f"{value:.2f}", value >= floor)
