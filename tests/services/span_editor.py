"""Child process for the export snapshot tests: moves, deletes and codes spans until told to stop.

Usage: ``python span_editor.py PROJECT SEED``. Each transaction moves a few annotations to new
spans anywhere in their document (the quote cut from the text, as ``edit_annotation`` does),
deletes one and codes a new one in its place, in any document: the number of annotations never
changes and every committed quote is the text of its span. It prints ``ready`` after its first
commit; when its standard input closes it finishes the transaction at hand, prints ``commits N``
and exits.
"""

from __future__ import annotations

import random
import sys
import threading
from datetime import UTC, datetime

from sqlalchemy import bindparam, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from annotator.core.errors import UserError
from annotator.store.models import Annotation, Document
from annotator.store.project import ProjectStore, open_project

MOVES = 8  # annotations moved per transaction: small transactions, many commits


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def edit_once(store: ProjectStore, rng: random.Random, texts: dict[int, str]) -> None:
    with store.transaction() as session:
        picked = session.execute(
            select(Annotation.id, Annotation.document_id, Annotation.code_id, Annotation.coder_id)
            .order_by(func.random())
            .limit(MOVES + 1)
        ).all()
        (victim, _, code_id, coder_id), moved = picked[0], picked[1:]
        now = _now()
        moves = []
        for aid, moved_doc, _, _ in moved:
            start, end = _span(rng, len(texts[moved_doc]))
            quote = texts[moved_doc][start:end]
            moves.append({"aid": aid, "new_start": start, "new_end": end, "new_quote": quote, "now": now})
        move = (
            update(Annotation.__table__)
            .where(Annotation.id == bindparam("aid"))
            .values(
                start=bindparam("new_start"),
                end=bindparam("new_end"),
                quote=bindparam("new_quote"),
                updated_at=bindparam("now"),
            )
        )
        session.execute(move, moves)
        session.execute(delete(Annotation).where(Annotation.id == victim))
        doc = rng.choice(sorted(texts))  # the replacement may go to another document
        start, end = _span(rng, len(texts[doc]))
        session.execute(
            insert(Annotation).values(
                document_id=doc,
                code_id=code_id,
                coder_id=coder_id,
                start=start,
                end=end,
                quote=texts[doc][start:end],
                memo=rng.choice(["", "moved, “again”", "=not a formula"]),
                created_at=now,
                updated_at=now,
            )
        )


def _span(rng: random.Random, length: int) -> tuple[int, int]:
    start = rng.randrange(0, length - 1)
    return start, min(length, start + rng.randint(1, 80))


def main() -> None:
    target, seed = sys.argv[1], int(sys.argv[2])
    rng = random.Random(seed)
    stop = threading.Event()
    threading.Thread(target=lambda: (sys.stdin.read(), stop.set()), daemon=True).start()
    store = open_project(target, purpose="the span editor of a test")
    with store.reading() as session:
        texts = {doc: text for doc, text in session.execute(select(Document.id, Document.text))}
    commits = 0
    try:
        while not stop.is_set():
            try:
                edit_once(store, rng, texts)
            except (IntegrityError, UserError):  # a span drawn twice for one code and coder: nothing saved
                continue
            commits += 1
            if commits == 1:
                print("ready", flush=True)
    finally:
        store.close()
    print(f"commits {commits}", flush=True)


if __name__ == "__main__":
    main()
