"""The benchmark's outputs: JSON, a Markdown table and a PNG chart."""

from __future__ import annotations

import json
import statistics
from dataclasses import asdict
from pathlib import Path
from typing import Any

from benchmarks.load import LABELS, Measurement

# Results are keyed "<app>/<workers>/<endpoint>", one Measurement per run.
Results = dict[str, list[Measurement]]


def median(runs: list[Measurement]) -> dict[str, float]:
    """The median of each figure over the runs (machine noise)."""
    return {
        "rps": statistics.median(m.rps for m in runs),
        "p50_ms": statistics.median(m.p50_ms for m in runs),
        "p99_ms": statistics.median(m.p99_ms for m in runs),
        "errors": max(m.errors for m in runs),
    }


def rows(results: Results, workers: list[int], endpoints: list[str]) -> list[dict[str, Any]]:
    table = []
    for count in workers:
        for endpoint in endpoints:
            base = median(results[f"baseline/{count}/{endpoint}"])
            ours = median(results[f"generated/{count}/{endpoint}"])
            table.append(
                {
                    "workers": count,
                    "endpoint": endpoint,
                    "baseline": base,
                    "generated": ours,
                    "rps_ratio": ours["rps"] / base["rps"] if base["rps"] else 0.0,
                    "p99_ratio": ours["p99_ms"] / base["p99_ms"] if base["p99_ms"] else 0.0,
                }
            )
    return table


def markdown(table: list[dict[str, Any]], speed: dict[str, float], meta: dict[str, Any]) -> str:
    lines = [
        f"asyncrud benchmark: {meta['driver']}, wrk -t{meta['threads']} -c{meta['connections']} "
        f"-d{meta['duration']}s, {meta['rows']} rows, median of {meta['runs']} run(s)",
        "",
        "| workers | endpoint | baseline req/s | generated req/s | ratio | baseline p50 | generated p50 "
        "| baseline p99 | generated p99 | p99 ratio | errors |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for row in table:
        base, ours = row["baseline"], row["generated"]
        lines.append(
            f"| {row['workers']} | {LABELS[row['endpoint']]} | {base['rps']:,.0f} | {ours['rps']:,.0f} "
            f"| {row['rps_ratio']:.0%} | {base['p50_ms']:.1f} ms | {ours['p50_ms']:.1f} ms "
            f"| {base['p99_ms']:.1f} ms | {ours['p99_ms']:.1f} ms | {row['p99_ratio']:.1f}x "
            f"| {int(base['errors'] + ours['errors'])} |"
        )
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


def write(
    out: Path, results: Results, table: list[dict[str, Any]], speed: dict[str, float], meta: dict[str, Any]
) -> str:
    out.mkdir(parents=True, exist_ok=True)
    document = {
        "meta": meta,
        "summary": table,
        "generator": speed,
        "runs": {key: [asdict(m) | {"rps": m.rps} for m in runs] for key, runs in results.items()},
    }
    (out / "results.json").write_text(json.dumps(document, indent=2) + "\n")
    text = markdown(table, speed, meta)
    (out / "results.md").write_text(text)
    _chart(out / "results.png", table, meta)
    return text


def _chart(path: Path, table: list[dict[str, Any]], meta: dict[str, Any]) -> None:
    import matplotlib

    matplotlib.use("Agg")  # no screen needed
    import matplotlib.pyplot as plt

    workers = sorted({row["workers"] for row in table})
    figure, axes = plt.subplots(1, len(workers), figsize=(6 * len(workers), 4.5), squeeze=False)
    for axis, count in zip(axes[0], workers, strict=True):
        subset = [row for row in table if row["workers"] == count]
        labels = [LABELS[row["endpoint"]] for row in subset]
        positions = range(len(subset))
        axis.bar([p - 0.2 for p in positions], [r["baseline"]["rps"] for r in subset], 0.4, label="baseline")
        axis.bar(
            [p + 0.2 for p in positions], [r["generated"]["rps"] for r in subset], 0.4, label="generated"
        )
        for p, row in zip(positions, subset, strict=True):
            axis.annotate(
                f"{row['rps_ratio']:.0%}", (p + 0.2, row["generated"]["rps"]), ha="center", va="bottom"
            )
        axis.set_xticks(list(positions), labels, rotation=20, ha="right")
        axis.set_ylabel("requests per second")
        # Headroom above the tallest bar for the legend.
        axis.set_ylim(0, 1.25 * max(max(r["baseline"]["rps"], r["generated"]["rps"]) for r in subset))
        axis.set_title(f"{count} uvicorn worker{'s' if count > 1 else ''}")
        axis.legend(loc="upper right", ncols=2)
    figure.suptitle(f"asyncrud vs Starlette + asyncpg ({meta['driver']}, wrk -c{meta['connections']})")
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)
