"""Several coders from the command line: ``merge``, ``agreement`` and ``disagreements``.

``annotator merge TARGET SOURCE…`` folds coders' blind copies into one project;
``annotator agreement PROJECT`` prints κ, % agreement and αU per code (``--csv``/``--json``);
``annotator disagreements PROJECT --csv FILE`` writes every coder's version of each disagreement.
Lists are comma-separated; a comma inside a code path is written ``\\,``. Names and paths are
printed through ``terminal.safe`` (JSON through ``safe_json``).
"""

from __future__ import annotations

import argparse
import re
import sys
from typing import Any

from annotator.cli.arguments import require_text
from annotator.cli.team_format import format_agreement
from annotator.cli.terminal import safe, safe_json
from annotator.core.bootstrap import DEFAULT_MIN_ALPHA, DEFAULT_RESAMPLES, DEFAULT_SEED
from annotator.core.validation import InvalidInputError
from annotator.io.atomic import atomic_write_text
from annotator.services.adjudication import export_disagreements_csv, list_disagreements
from annotator.services.agreement import (
    BootstrapOptions,
    TeamFilter,
    adjudication_counts,
    export_agreement_csv,
    measure_agreement,
    methods_paragraph,
)
from annotator.services.merge import DamagedSourceError, merge_from
from annotator.store.notify import announce
from annotator.store.project import open_project

_UNESCAPED_COMMA = re.compile(r"(?<!\\),")
MAX_RESAMPLES = 100_000


def split_list(values: list[str] | None) -> tuple[str, ...]:
    """``["a,b", "c"]`` → ``("a", "b", "c")``; ``\\,`` stays a comma inside an item."""
    items: list[str] = []
    for value in values or []:
        items += [part.replace("\\,", ",").strip() for part in _UNESCAPED_COMMA.split(value)]
    return tuple(item for item in items if item)


def _document_ids(values: list[str] | None) -> tuple[int, ...]:
    ids = []
    for item in split_list(values):
        if not item.isdigit():
            raise InvalidInputError(f"document ids are whole numbers, not {item!r}")
        ids.append(int(item))
    return tuple(ids)


def team_filter(args: argparse.Namespace) -> TeamFilter:
    require_text(args, "coders", "codes", "code_group", "zones")
    return TeamFilter(
        coders=split_list(args.coders),
        code_paths=split_list(args.codes),
        code_group=args.code_group or "",
        document_ids=_document_ids(args.documents),
        zones=split_list(args.zones),
        exclude_paratext=args.exclude_paratext,
    )


def _merge(args: argparse.Namespace) -> int:
    target = open_project(args.target)
    reports: list[dict[str, Any]] = []
    try:
        for source in args.sources:
            try:
                report = merge_from(target, source)
            except DamagedSourceError as exc:
                # One line would hide what to mend: the headline, then each problem on a line.
                headline, *problems = exc.lines()
                print(f"annotator: error: {safe(headline)}", *map(safe, problems), sep="\n", file=sys.stderr)
                return 1
            announce(target, report.change.to_payload())
            reports.append(report.to_json_dict())
            if not args.json:
                print("\n".join(safe(line) for line in report.summary_lines()))
    finally:
        target.close()
    if args.json:
        print(safe_json(reports, indent=2))
    return 0


def _bootstrap_options(args: argparse.Namespace) -> BootstrapOptions | None:
    if args.bootstrap is None:
        return None
    if not 1 <= args.bootstrap <= MAX_RESAMPLES:
        raise InvalidInputError(f"--bootstrap takes 1 to {MAX_RESAMPLES:,} resamples, not {args.bootstrap}")
    if not -1.0 <= args.min_alpha <= 1.0:
        raise InvalidInputError(f"--min-alpha is an α between -1 and 1, not {args.min_alpha}")
    if args.seed < 0:
        raise InvalidInputError(f"--seed is a whole number ≥ 0, not {args.seed}")
    return BootstrapOptions(args.bootstrap, args.seed, args.min_alpha)


def _agreement(args: argparse.Namespace) -> int:
    options = _bootstrap_options(args)
    store = open_project(args.project)
    try:
        result = measure_agreement(store, team_filter(args), options)
        adjudication = adjudication_counts(store, team_filter(args)) if args.methods else (0, 0)
    finally:
        store.close()
    if args.csv:
        rows = atomic_write_text(args.csv, lambda out: export_agreement_csv(result, out))
        print(f"wrote {rows} rows to {safe(args.csv)}", file=sys.stderr)
    if args.json:
        print(safe_json(result.to_json_dict(), indent=2, allow_nan=False))
    else:
        sys.stdout.write(format_agreement(result, by_document=args.by_document))
    if args.methods:
        print("\nMethods paragraph:\n")
        print(safe(methods_paragraph(result, adjudication)))
    return 0


def _disagreements(args: argparse.Namespace) -> int:
    store = open_project(args.project)
    try:
        flt = team_filter(args)
        items = list_disagreements(store, flt=flt)
        rows = atomic_write_text(args.csv, lambda out: export_disagreements_csv(store, out, items=items))
    finally:
        store.close()
    resolved = sum(1 for item in items if item.resolved)
    print(f"{len(items)} disagreement(s), {resolved} resolved; wrote {rows} rows to {safe(args.csv)}")
    return 0


def _add_filters(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("project", metavar="PROJECT", help="a project file (.annotator) or a PostgreSQL URL")
    parser.add_argument(
        "--coders",
        action="append",
        metavar="A,B,…",
        help="coders to compare (default: every coder with role 'coder' who coded something)",
    )
    codes = parser.add_mutually_exclusive_group()
    codes.add_argument(
        "--codes",
        action="append",
        metavar="PATH,…",
        help="code paths, each reported separately (default: the codes these coders used)",
    )
    codes.add_argument(
        "--code-group",
        metavar="PATH",
        help="a code group: each of its codes, and the group pooled as 'PATH/*'",
    )
    parser.add_argument("--documents", action="append", metavar="ID,…", help="document ids (default: all)")
    zones = parser.add_mutually_exclusive_group()
    zones.add_argument(
        "--zones",
        action="append",
        metavar="KIND,…",
        help="keep only text in these zones, e.g. story,chapter_heading",
    )
    zones.add_argument(
        "--exclude-paratext",
        action="store_true",
        help="leave out summaries and author's notes (the paratext zones)",
    )


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    merge = subparsers.add_parser(
        "merge",
        help="merge coders' copies of a project into one",
        description="Fold each SOURCE project (a coder's copy; file or URL) into TARGET: documents are "
        "matched by text, codes by path, coders by name; duplicates are skipped; conflicts are reported.",
    )
    merge.add_argument("target", metavar="TARGET")
    merge.add_argument("sources", metavar="SOURCE", nargs="+")
    merge.add_argument("--json", action="store_true", help="print the reports as JSON")
    merge.set_defaults(handler=_merge)

    agreement = subparsers.add_parser(
        "agreement",
        help="inter-coder agreement: percent, Cohen's kappa, Krippendorff's alpha-U",
        description="Character-level agreement per code and coder pair (pooled over documents), "
        "with αU over all chosen coders.",
    )
    _add_filters(agreement)
    agreement.add_argument("--csv", metavar="FILE", help="write the agreement CSV (every scope, code, pair)")
    agreement.add_argument("--json", action="store_true", help="print the full report as JSON")
    agreement.add_argument("--by-document", action="store_true", help="also print a table per document")
    agreement.add_argument(
        "--bootstrap",
        type=int,
        nargs="?",
        const=DEFAULT_RESAMPLES,
        metavar="N",
        help=f"95%% confidence intervals from N resamples of documents (default N: {DEFAULT_RESAMPLES})",
    )
    agreement.add_argument(
        "--seed", type=int, default=DEFAULT_SEED, help="the bootstrap's random seed (default 1)"
    )
    agreement.add_argument(
        "--min-alpha",
        type=float,
        default=DEFAULT_MIN_ALPHA,
        metavar="A",
        help="report the share of resamples below this minimum (default .667; .800 for firm conclusions)",
    )
    agreement.add_argument(
        "--methods", action="store_true", help="also print a methods paragraph to paste into a paper"
    )
    agreement.set_defaults(handler=_agreement)

    disagreements = subparsers.add_parser(
        "disagreements",
        help="write every coder's version of each disagreement to a CSV file",
        description="One row per coder version of each disagreement (overlapping spans of one code "
        "that the coders drew differently), with the text, for review or adjudication.",
    )
    _add_filters(disagreements)
    disagreements.add_argument("--csv", metavar="FILE", required=True, help="the CSV file to write")
    disagreements.set_defaults(handler=_disagreements)
