"""Generator speed: `asyncrud --help` and `asyncrud new` with 10 models, best of 5 runs each."""

from __future__ import annotations

import resource
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

HELP_TARGET_S = 0.2
NEW_TARGET_S = 1.0

# Ten models with a ref chain and every kind of field, as a real first project might have.
TEN_MODELS = [
    "Author name:str(100) email:str(200):unique bio:text?",
    "Publisher name:str(100):unique country:str(2)?",
    "Book title:str(200):index isbn:str(13):unique pages:int? price:decimal(10,2)? author:ref(Author)",
    "Edition book:ref(Book) publisher:ref(Publisher) year:int released:date?",
    "Customer name:str(100) email:str(200):unique vip:bool:default=false",
    "Order customer:ref(Customer) placed:datetime total:decimal(12,2)",
    "OrderLine order:ref(Order) edition:ref(Edition) quantity:int:default=1",
    "Review book:ref(Book) customer:ref(Customer) stars:int text:text?",
    "Tag name:str(50):unique meta:json?",
    "Shipment order:ref(Order) tracking:uuid:unique weight:float? shipped:bool:default=false",
]


def asyncrud() -> str:
    """The installed console script: the one beside this Python first, then the one on PATH."""
    beside = Path(sys.executable).parent / "asyncrud"
    path = str(beside) if beside.exists() else shutil.which("asyncrud")
    if path is None:
        raise SystemExit("the asyncrud command is not installed: pip install .")
    return path


def time_help(runs: int = 5) -> Timing:
    return _best([_timed([asyncrud(), "--help"]) for _ in range(runs)])


def time_new(runs: int = 5) -> Timing:
    """Best time of `asyncrud new` with TEN_MODELS, into a fresh folder each run."""
    timings = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as tmp:
            args = [asyncrud(), "new", str(Path(tmp) / "shop"), "--db", "postgresql", "--defaults"]
            for spec in TEN_MODELS:
                args += ["--model", spec]
            timings.append(_timed(args))
    return _best(timings)


@dataclass(frozen=True)
class Timing:
    wall: float
    # CPU seconds of the command and its children (ruff): what other processes on a busy machine
    # cannot inflate much, unlike the wall time.
    cpu: float


def _best(timings: list[Timing]) -> Timing:
    # Each minimum on its own: on a shared machine the run with the least wall time is not always
    # the one that was charged the least CPU.
    return Timing(min(t.wall for t in timings), min(t.cpu for t in timings))


def _timed(args: list[str]) -> Timing:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(args, check=True, capture_output=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Timing(wall, cpu)


def main() -> None:
    """`python -m benchmarks.speed`: both timings against their targets."""
    for label, timing, target in (
        ("asyncrud --help", time_help(), HELP_TARGET_S),
        ("asyncrud new (10 models)", time_new(), NEW_TARGET_S),
    ):
        print(f"{label}: {timing.wall:.2f} s wall, {timing.cpu:.2f} s CPU (target < {target} s)")


if __name__ == "__main__":
    main()
