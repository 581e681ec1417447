"""Counts for the closing note: how every known hostile input fares, per backend.

For each registered case module and each backend (SQLite always; PostgreSQL when
``ANNOTATOR_TEST_PG_URL`` or ``--pg URL`` is given) it prints how many cases were tried, refused
cleanly (one-line user error, project unchanged and still codable), accepted harmlessly, or
failed (a traceback, or a broken project), and lists the failures and the surprises.

    python benchmarks/hostile_counts.py [--pg URL] [--only csv,merge] [-v]

A case module is registered in ``CASE_MODULES`` under a short key. It offers

``outcomes(backend, workdir, pg_url) -> dict[label, list[outcome]]``

where each outcome has ``case``, ``result`` (``"refused"``, ``"accepted"`` or ``"failed"``),
``detail`` and ``expected`` (see ``hostile_cases_csv.py``). ``hostile_cases_merge.py``'s
``run_all``/``Locations`` interface is adapted here as it is.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

# key -> module; add a category (documents, …) here.
CASE_MODULES = {
    "csv": "benchmarks.hostile_cases_csv",
    "merge": "benchmarks.hostile_cases_merge",
}
RESULTS = ("refused", "accepted", "failed")


def module_outcomes(module: ModuleType, backend: str, workdir: Path, pg_url: str) -> dict[str, list[Any]]:
    """{label: outcomes} of one case module on one backend, by whichever interface it offers."""
    if hasattr(module, "outcomes"):
        return dict(module.outcomes(backend, workdir, pg_url))
    if hasattr(module, "run_all") and hasattr(module, "Locations"):  # hostile_cases_merge
        locations = module.Locations(workdir, pg_url)
        try:
            results = module.run_all(backend, locations)
        finally:
            locations.close()
        return {f"merge from a {source} copy": found for source, found in results.items()}
    raise TypeError(f"{module.__name__} offers neither outcomes() nor run_all()/Locations")


def print_counts(backend: str, label: str, found: Sequence[Any], verbose: bool) -> int:
    counts = Counter(outcome.result for outcome in found)
    surprises = [o for o in found if o.result != o.expected]
    print(
        f"{backend:10} {label:28} tried {len(found):3}  refused cleanly {counts['refused']:3}  "
        f"accepted harmlessly {counts['accepted']:3}  failed {counts['failed']:3}"
        + (f"  ({len(surprises)} not as expected)" if surprises else "")
    )
    for outcome in found:
        if verbose or outcome.result != outcome.expected:
            detail = (outcome.detail or "").splitlines()[0][:150] if outcome.detail else ""
            print(f"    [{outcome.result:8}] {outcome.case} (expected {outcome.expected}): {detail}")
    return counts["failed"]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pg", default=os.environ.get("ANNOTATOR_TEST_PG_URL", ""), metavar="URL")
    parser.add_argument("--only", default=",".join(CASE_MODULES), help="modules to run, e.g. csv")
    parser.add_argument("-v", "--verbose", action="store_true", help="print every case's outcome")
    args = parser.parse_args(argv)
    backends = ["sqlite", "postgresql"] if args.pg else ["sqlite"]
    failed = 0
    for key in args.only.split(","):
        try:
            module = importlib.import_module(CASE_MODULES[key.strip()])
        except ImportError as exc:  # a category whose module is not there (yet)
            print(f"{key}: not run ({exc})")
            continue
        for backend in backends:
            started = time.perf_counter()
            with tempfile.TemporaryDirectory() as workdir:
                results = module_outcomes(module, backend, Path(workdir), args.pg)
            for label, found in results.items():
                failed += print_counts(backend, label, found, args.verbose)
            print(f"{'':10} ({time.perf_counter() - started:.0f} s)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
