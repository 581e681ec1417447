"""A project at scale for the window and segments benchmarks: many works, many interleaved codings.

``build(location, works, annotations)``: ``works`` works made of the seed texts (AO3-like
attributes, title and story zones), the fandom codebook, three coders, and ``annotations`` codings
spread over every work, each coder and code, inserted in a random order (as real coding leaves
them interleaved in the table), each with its real quote and, one in five, a memo. Rows go in with
Core ``insert`` in batches, so the search index's triggers run as they do for the app's writes.
"""

from __future__ import annotations

import random
import time

from sqlalchemy import insert

from annotator.core.types import ImportedDocument, ZoneSpec
from annotator.paths import seeds_dir
from annotator.services.codebook import list_codes
from annotator.services.coders import ensure_coder
from annotator.services.documents import add_document_in, list_documents
from annotator.services.projects import create_project
from annotator.store.models import Annotation, utcnow

CODERS = ("alice", "bob", "chen")
MEMOS = ("slow burn starts here", "pining, again", "Hurt/comfort beat", "unclear consent framing")


def build(location: str, works: int, annotations: int, seed: int = 15) -> float:
    """Make the project; return the seconds it took."""
    started = time.perf_counter()
    seeds = [p.read_text(encoding="utf-8") for p in sorted(seeds_dir().glob("*.txt"))]
    rng = random.Random(seed)
    store = create_project(location, codebook="fandom")
    try:
        with store.transaction() as session:
            for n in range(works):
                head = f"Work {n}."
                body = f"{head}\n\n{seeds[n % len(seeds)]}"
                add_document_in(
                    session,
                    ImportedDocument(
                        title=f"Work {n}",
                        source_format="text",
                        text=body,
                        source_name=f"work{n}.txt",
                        attributes={
                            "rating": [rng.choice(["General", "Teen", "Mature", "Explicit"])],
                            "fandoms": ["Star Wars"],
                        },
                        zones=[ZoneSpec("title", 0, len(head)), ZoneSpec("story", len(head) + 2, len(body))],
                    ),
                )
        texts = {d.id: f"Work {i}.\n\n{seeds[i % len(seeds)]}" for i, d in enumerate(list_documents(store))}
        documents = list(texts)
        codes = [c.id for c in list_codes(store)]
        coders = [ensure_coder(store, name).id for name in CODERS]
        now, seen = utcnow(), set()
        rows = []
        while len(rows) < annotations:
            doc = rng.choice(documents)
            length = len(texts[doc])
            start = rng.randrange(0, max(1, length - 200))
            key = (doc, rng.choice(codes), rng.choice(coders), start, start + rng.randrange(5, 200))
            if key in seen:
                continue
            seen.add(key)
            values = dict(zip(("document_id", "code_id", "coder_id", "start", "end"), key, strict=True))
            memo = rng.choice(MEMOS) if rng.random() < 0.2 else ""
            rows.append(values | {"quote": texts[doc][key[3] : key[4]], "memo": memo})
        for begin in range(0, len(rows), 20_000):
            batch = [row | {"created_at": now, "updated_at": now} for row in rows[begin : begin + 20_000]]
            with store.transaction() as session:
                session.execute(insert(Annotation), batch)
    finally:
        store.close()
    return time.perf_counter() - started
