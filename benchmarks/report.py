"""The benchmark's outputs: JSON, Markdown tables and a PNG chart."""

from __future__ import annotations

import json
import statistics
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from benchmarks import floors
from benchmarks.interleaved import Results, key
from benchmarks.load import LABELS, Measurement

# The apps a run can have, in the order they are served and reported.
APPS = ("baseline", "textbook", "before", "generated", "cached", "queued")
# The ratios of req/s reported when both apps are in the run: "<app>/<reference>".
PAIRS = (
    ("generated", "baseline"),
    ("textbook", "baseline"),
    ("generated", "textbook"),
    ("before", "baseline"),
    ("before", "textbook"),
    ("generated", "before"),
    ("cached", "baseline"),
    ("cached", "generated"),
    ("queued", "baseline"),
    ("queued", "generated"),
)
# The apps the floors are checked for: the generated projects.
CHECKED = ("before", "generated")


def median(runs: list[Measurement]) -> dict[str, float]:
    """The median of each figure over the runs (machine noise); failures are summed."""
    return {
        "rps": statistics.median(m.rps for m in runs),
        "p50_ms": statistics.median(m.p50_ms for m in runs),
        "p99_ms": statistics.median(m.p99_ms for m in runs),
        "cpu_us": statistics.median(m.cpu_us for m in runs),
        "non_2xx": sum(m.non_2xx for m in runs),
        "socket_errors": sum(m.socket_errors for m in runs),
    }


def ratio(numerators: list[Measurement], denominators: list[Measurement], figure: str) -> float:
    """The median over the runs of each run's ratio: the apps of one run were measured side by side."""
    values = [
        getattr(a, figure) / getattr(b, figure) if getattr(b, figure) else 0.0
        for a, b in zip(numerators, denominators, strict=True)
    ]
    return statistics.median(values)


def summary(
    results: Results, names: Sequence[str], workers: Sequence[int], endpoints: Sequence[str]
) -> list[dict[str, Any]]:
    """One row per worker count and endpoint: each app's medians, and the ratios between apps."""
    table = []
    for count in workers:
        for endpoint in endpoints:
            runs = {name: results[key(name, count, endpoint)] for name in names}
            table.append(
                {
                    "workers": count,
                    "endpoint": endpoint,
                    "apps": {name: median(runs[name]) for name in names},
                    "ratios": {
                        f"{a}/{b}": ratio(runs[a], runs[b], "rps")
                        for a, b in PAIRS
                        if a in names and b in names
                    },
                    # The inverse ratio of CPU per request: how many times fewer microseconds
                    # `<app>` spends than `<reference>`, the throughput a CPU-bound server would get.
                    "cpu_ratios": {
                        f"{a}/{b}": ratio(runs[b], runs[a], "cpu_us")
                        for a, b in PAIRS
                        if a in names and b in names
                    },
                    "p99_ratios": {
                        name: ratio(runs[name], runs["baseline"], "p99_ms")
                        for name in names
                        if name != "baseline"
                    },
                }
            )
    return table


def markdown(
    table: list[dict[str, Any]],
    names: Sequence[str],
    verdicts: dict[str, list[floors.Verdict]],
    speed: dict[str, float],
    meta: dict[str, Any],
) -> str:
    pairs = [f"{a}/{b}" for a, b in PAIRS if a in names and b in names]
    others = [name for name in names if name != "baseline"]
    lines = [
        f"asyncrud benchmark: {meta['driver']}, wrk -t{meta['threads']} -c{meta['connections']} "
        f"-d{meta['duration']}s, {meta['rows']} rows, median of {meta['runs']} run(s)",
        "",
        f"Served in turn for each endpoint: {', '.join(names)}. Ratios are the median of each run's ratio.",
    ]
    for name in names:
        lines.append(f"- {name}: {meta['apps'][name]}")
    if meta.get("env"):
        settings = " ".join(f"{k}={v}" for k, v in meta["env"].items())
        lines.append(f"- settings of the generated projects: {settings}")
    lines += ["", *_figure_table(table, names, pairs, "req/s", "rps", "ratios")]
    lines += [
        "",
        "Server CPU per request (what other load on the machine changes least); a ratio is how many "
        "times less CPU the first app spends:",
        "",
        *_figure_table(table, names, pairs, "µs", "cpu_us", "cpu_ratios"),
    ]
    lines += [
        "",
        "| workers | endpoint | "
        + " | ".join(f"{name} p99" for name in names)
        + " | "
        + " | ".join(f"{name} p99 / baseline" for name in others)
        + " | non-2xx ("
        + ", ".join(names)
        + ") |",
        "|---|---|" + "---|" * (len(names) + len(others) + 1),
    ]
    for row in table:
        cells = [f"{row['apps'][name]['p99_ms']:.1f} ms" for name in names]
        cells += [f"{row['p99_ratios'][name]:.1f}x" for name in others]
        cells.append(", ".join(_failures(row["apps"][name]) for name in names))
        lines.append(f"| {row['workers']} | {LABELS[row['endpoint']]} | " + " | ".join(cells) + " |")
    if verdicts and not any(v.met is not None for found in verdicts.values() for v in found):
        lines += ["", f"Floors of issue 10: not checked, they need a run with {floors.WORKERS} worker."]
    elif verdicts:
        checked = list(verdicts)
        lines += [
            "",
            f"Floors of issue 10, {floors.WORKERS} worker: "
            + "; ".join(f"{name} {_tally(verdicts[name])}" for name in checked),
            "",
            "| floor | " + " | ".join(checked) + " |",
            "|---|" + "---|" * len(checked),
        ]
        for index, verdict in enumerate(verdicts[checked[0]]):
            cells = [_verdict(verdicts[name][index]) for name in checked]
            lines.append(f"| {verdict.floor} | " + " | ".join(cells) + " |")
    if speed:
        lines += [
            "",
            "| generator | wall seconds | CPU seconds | target |",
            "|---|---|---|---|",
            f"| `asyncrud --help` | {speed['help_s']:.2f} | {speed['help_cpu_s']:.2f} "
            f"| < {speed['help_target_s']} |",
            f"| `asyncrud new` with 10 models | {speed['new_s']:.2f} | {speed['new_cpu_s']:.2f} "
            f"| < {speed['new_target_s']} |",
        ]
    return "\n".join(lines) + "\n"


def _figure_table(
    table: list[dict[str, Any]],
    names: Sequence[str],
    pairs: Sequence[str],
    unit: str,
    figure: str,
    ratios: str,
) -> list[str]:
    """Markdown rows: each app's `figure` per worker count and endpoint, then the ratios of `pairs`."""
    lines = [
        "| workers | endpoint | "
        + " | ".join(f"{name} {unit}" for name in names)
        + " | "
        + " | ".join(pairs)
        + " |",
        "|---|---|" + "---|" * (len(names) + len(pairs)),
    ]
    for row in table:
        cells = [f"{row['apps'][name][figure]:,.0f}" for name in names]
        cells += [f"{row[ratios][pair]:.2f}" for pair in pairs]
        lines.append(f"| {row['workers']} | {LABELS[row['endpoint']]} | " + " | ".join(cells) + " |")
    return lines


def _failures(figures: dict[str, float]) -> str:
    """Non-2xx responses over the runs, and requests with no response at all if there were any."""
    text = str(int(figures["non_2xx"]))
    if figures["socket_errors"]:
        text += f" (+{int(figures['socket_errors'])} socket errors)"
    return text


def _tally(verdicts: list[floors.Verdict]) -> str:
    measured = [v for v in verdicts if v.met is not None]
    text = f"meets {sum(v.met is True for v in measured)} of {len(measured)}"
    return text + (
        f" ({len(verdicts) - len(measured)} not measured)" if len(measured) < len(verdicts) else ""
    )


def _verdict(verdict: floors.Verdict) -> str:
    if verdict.met is None:
        return verdict.value
    return f"{verdict.value} met" if verdict.met else f"{verdict.value} **NOT MET**"


def write(
    out: Path,
    results: Results,
    names: Sequence[str],
    table: list[dict[str, Any]],
    speed: dict[str, float],
    meta: dict[str, Any],
) -> str:
    out.mkdir(parents=True, exist_ok=True)
    verdicts = {name: floors.check(table, name) for name in CHECKED if name in names}
    document = {
        "meta": meta,
        "summary": table,
        "floors": {name: [asdict(v) for v in found] for name, found in verdicts.items()},
        "generator": speed,
        "runs": {
            key: [asdict(m) | {"rps": m.rps} for m in measurements] for key, measurements in results.items()
        },
    }
    (out / "results.json").write_text(json.dumps(document, indent=2) + "\n")
    text = markdown(table, names, verdicts, speed, meta)
    (out / "results.md").write_text(text)
    chart(out / "results.png", table, names, meta)
    return text


def chart(path: Path, table: list[dict[str, Any]], names: Sequence[str], meta: dict[str, Any]) -> None:
    """Req/s of each app, one group of bars per endpoint, one panel per worker count."""
    import matplotlib

    matplotlib.use("Agg")  # no screen needed
    import matplotlib.pyplot as plt

    workers = sorted({row["workers"] for row in table})
    width = 0.8 / len(names)
    figure, axes = plt.subplots(1, len(workers), figsize=(6 * len(workers), 4.5), squeeze=False)
    for axis, count in zip(axes[0], workers, strict=True):
        subset = [row for row in table if row["workers"] == count]
        positions = range(len(subset))
        for index, name in enumerate(names):
            offset = (index - (len(names) - 1) / 2) * width
            heights = [row["apps"][name]["rps"] for row in subset]
            axis.bar([p + offset for p in positions], heights, width, label=name)
            if name == "baseline" or "baseline" not in names:
                continue
            for p, row in zip(positions, subset, strict=True):
                axis.annotate(
                    f"{row['ratios'][f'{name}/baseline']:.2f}",
                    (p + offset, row["apps"][name]["rps"]),
                    ha="center",
                    va="bottom",
                    fontsize=7,
                )
        axis.set_xticks(list(positions), [LABELS[row["endpoint"]] for row in subset], rotation=20, ha="right")
        axis.set_ylabel("requests per second")
        # Headroom above the tallest bar for the legend.
        tallest = max(row["apps"][name]["rps"] for row in subset for name in names)
        axis.set_ylim(0, 1.3 * tallest)
        axis.set_title(f"{count} uvicorn worker{'s' if count > 1 else ''} (labels: of baseline)")
        axis.legend(loc="upper right", ncols=len(names), fontsize=8)
    figure.suptitle(f"asyncrud: {', '.join(names)} ({meta['driver']}, wrk -c{meta['connections']})")
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)
