"""``annotator update`` and ``annotator reviews``: updated works keep their codes.

``update PROJECT FILE…`` makes each re-downloaded work the new version of its document (matched
by AO3 work id, or ``--document ID``) and prints how the annotations moved: exact, changed (to
review) and orphaned (text gone), per coder and per code. ``reviews PROJECT`` prints the same
counts over all updates and lists the annotations still waiting for review. ``--csv FILE`` writes
every moved annotation with its old and new offsets and quotes, atomically.
"""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from pathlib import Path

from annotator.cli.project_commands import _add, _add_project, _count, _project
from annotator.cli.terminal import safe
from annotator.core.errors import USER_ERRORS, user_message
from annotator.core.validation import InvalidInputError
from annotator.io.atomic import atomic_write_text
from annotator.services import work_updates
from annotator.store.notify import announce

_KINDS = ("exact", "changed", "orphaned")


def format_counts(
    counts: Mapping[str, int],
    by_coder: Mapping[str, Mapping[str, int]],
    by_code: Mapping[str, Mapping[str, int]],
) -> list[str]:
    """The counts per class, then per coder and per code, as aligned lines."""
    rows = [("all annotations", counts)]
    rows += [(f"coder {safe(name)}", kinds) for name, kinds in by_coder.items()]
    rows += [(f"code {safe(name)}", kinds) for name, kinds in by_code.items()]
    width = max(len(label) for label, _ in rows)
    lines = [f"{'':<{width}}  " + "  ".join(f"{kind:>8}" for kind in _KINDS)]
    lines += [
        f"{label:<{width}}  " + "  ".join(f"{kinds.get(kind, 0):>8}" for kind in _KINDS)
        for label, kinds in rows
    ]
    return lines


def _update(args: argparse.Namespace) -> int:
    if args.document is not None and len(args.files) > 1:
        raise InvalidInputError("--document names the work one file updates; give one FILE with it")
    failed = 0
    updated: list[int] = []
    with _project(args.project) as store:
        for name in args.files:
            try:
                report = work_updates.update_document(
                    store, Path(name).expanduser(), document_id=args.document
                )
            except USER_ERRORS as exc:
                print(f"not updated: {safe(user_message(exc))}")
                failed += 1
                continue
            announce(store, report.change.to_payload())
            updated.append(report.document_id)
            review = report.counts["changed"] + report.counts["orphaned"]
            print(
                f"updated document {report.document_id} “{safe(report.title)}” to version {report.version} "
                f"from {safe(Path(name).name)}: {_count(review, 'annotation')} to review"
            )
            for line in format_counts(report.counts, report.by_coder, report.by_code):
                print(f"  {line}")
            if report.adjudications_moved or report.adjudications_removed:
                print(
                    f"  adjudications: {report.adjudications_moved} moved, "
                    f"{report.adjudications_removed} removed"
                )
        if args.csv and updated:
            written = atomic_write_text(
                args.csv, lambda out: work_updates.write_update_csv(store, out, document_ids=updated)
            )
            print(f"wrote {_count(written, 'moved annotation')} to {safe(args.csv)}")
    return 1 if failed else 0


def _reviews(args: argparse.Namespace) -> int:
    with _project(args.project) as store:
        rows = work_updates.update_rows(store, args.document)
        counted = work_updates.tally((row.coder, row.code, row.kind) for row in rows)
        pending = work_updates.pending_reviews(store, args.document)
        if args.csv:
            written = atomic_write_text(
                args.csv, lambda out: work_updates.write_update_csv(store, out, args.document)
            )
            print(f"wrote {_count(written, 'moved annotation')} to {safe(args.csv)}")
    works = len({row.document_id for row in rows})
    print(
        f"{_count(len(rows), 'annotation')} re-anchored by updates of {_count(works, 'work')}; "
        f"{len(pending)} waiting for review"
    )
    if rows:
        for line in format_counts(counted.counts, counted.by_coder, counted.by_code):
            print(f"  {line}")
    for item in pending:
        new = (
            f"“{safe(item.new_quote)}” [{item.new_start}, {item.new_end})"
            if item.new_quote is not None
            else "(text gone)"
        )
        print(
            f"review {item.review_id}: {item.kind} annotation {item.annotation_id} "
            f"on document {item.document_id}: "
            f"“{safe(item.old_quote)}” [{item.old_start}, {item.old_end}) → {new}"
        )
    return 0


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    upd = _add(
        subparsers,
        "update",
        _update,
        "re-import changed works as new versions; annotations follow the text",
        "Make each FILE the new version of its work (matched by AO3 work id, or --document ID). "
        "Every annotation is re-anchored: exact (moved with its text), changed (its text was "
        "edited; review it) or orphaned (its text is gone; review it). The old version is kept.",
    )
    _add_project(upd)
    upd.add_argument(
        "files", nargs="+", metavar="FILE", help="the re-downloaded work (AO3 HTML/EPUB, text, …)"
    )
    upd.add_argument(
        "--document", type=int, metavar="ID", help="the document FILE updates (default: by AO3 work id)"
    )
    upd.add_argument(
        "--csv", metavar="MOVED.csv", help="write every moved annotation (old and new offsets and quotes)"
    )

    rev = _add(
        subparsers,
        "reviews",
        _reviews,
        "annotations moved by updates: counts, and those waiting for review",
        "Count the annotations updates re-anchored, per class, coder and code, and list the changed "
        "and orphaned ones still waiting for review (review them in the app).",
    )
    _add_project(rev)
    rev.add_argument("--document", type=int, metavar="ID", help="only this document")
    rev.add_argument(
        "--csv", metavar="MOVED.csv", help="write every moved annotation (old and new offsets and quotes)"
    )
