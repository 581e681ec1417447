"""``annotator assign``: say which coder was assigned which documents.

``annotator assign PROJECT --coder NAME --documents 1,2,3`` assigns (``--unassign`` takes them
away); ``--from-csv FILE`` reads rows ``document_id,coder``; with neither, the assignments are
listed. Agreement then counts, on a document with assignments, only its assigned coders.
"""

from __future__ import annotations

import argparse
import sys

from annotator.cli.arguments import require_text
from annotator.cli.terminal import safe
from annotator.core.validation import InvalidInputError


def _assign(args: argparse.Namespace) -> int:
    from annotator.cli.team_commands import _document_ids
    from annotator.services.assignments import assign_coder, assign_from_csv, assignment_grid
    from annotator.store.notify import announce
    from annotator.store.project import open_project

    require_text(args, "coder")
    if args.from_csv and (args.coder or args.documents):
        raise InvalidInputError("give either --from-csv or --coder with --documents, not both")
    if bool(args.coder) != bool(args.documents) and not args.from_csv:
        raise InvalidInputError("--coder and --documents go together")
    store = open_project(args.project)
    try:
        if args.from_csv:
            with open(args.from_csv, encoding="utf-8-sig", newline="") as source:
                report = assign_from_csv(store, source, unassign=args.unassign)
        elif args.coder:
            report = assign_coder(store, args.coder, _document_ids(args.documents), unassign=args.unassign)
        else:
            grid = assignment_grid(store)
            names = dict(grid.coders)
            for doc_id, title in grid.documents:
                assigned = sorted(names[c] for d, c in grid.assigned if d == doc_id)
                shown = ", ".join(assigned) if assigned else "(no assignments: every coder counts)"
                print(f"{doc_id}\t{safe(title)}\t{safe(shown)}")
            return 0
        announce(store, report.change.to_payload())
    finally:
        store.close()
    print(report.summary(), file=sys.stderr)
    return 0


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    assign = subparsers.add_parser(
        "assign",
        help="say which coder was assigned which documents",
        description="Record who was assigned to code which documents. Where a document has assignments, "
        "agreement counts only its assigned coders there; the others are missing, not 'coded nothing'. "
        "Without --coder or --from-csv, list the assignments.",
    )
    assign.add_argument("project", metavar="PROJECT", help="a project file (.annotator) or a PostgreSQL URL")
    assign.add_argument("--coder", metavar="NAME", help="the coder to assign")
    assign.add_argument("--documents", action="append", metavar="ID,…", help="document ids")
    assign.add_argument("--from-csv", metavar="FILE", help="a CSV with the columns document_id,coder")
    assign.add_argument("--unassign", action="store_true", help="take the assignments away instead")
    assign.set_defaults(handler=_assign)
