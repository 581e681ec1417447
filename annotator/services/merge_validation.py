"""Reading a merge source whole, in one snapshot, and refusing it if any row of it is damaged.

A coder's copy reaches a merge after a hand edit (a spreadsheet, an SQL console), a crash or a
malicious one: codes inside each other in a loop, annotations pointing at codes or coders that
are gone, spans beyond their text or reversed, quotes that are not the text they claim, a text
that no longer matches its hash, a colour that is markup. Merging such a copy used to stop
halfway with a KeyError, or let the damage into the team's project. So the source is read once,
every row is checked against the rules in :mod:`annotator.services.merge_checks`, and only a
sound source is handed to the merge; otherwise :class:`DamagedSourceError` lists every problem,
one line each, and nothing is merged.

Reading stays fast at scale: rows come as the driver's tuples (not ORM objects), and document
texts are streamed one at a time, each checked with its zones and annotations and then dropped,
unless it is a text the target lacks, which the merge is about to copy.
"""

from __future__ import annotations

from collections.abc import Sequence, Set
from datetime import datetime
from typing import Any

from sqlalchemy import select

from annotator.core.codebook import CodeNode, code_paths, tree_order
from annotator.core.errors import one_line
from annotator.core.gc_pause import gc_paused
from annotator.core.text import normalise_text, text_hash
from annotator.core.validation import MAX_CODE_DEPTH
from annotator.io.limits import MAX_TEXT_CHARS
from annotator.services.annotations import MAX_MEMO_LENGTH
from annotator.services.codebook import code_info
from annotator.services.coders import ROLE_CODER, ROLE_CONSENSUS
from annotator.services.errors import ServiceError
from annotator.services.merge_checks import (
    Problems,
    check_coders,
    check_codes,
    check_zone,
    count_by_kind,
    is_whole_number,
    parse_timestamp,
    plural,
    shown,
    span_fault,
    text_fault,
)
from annotator.services.merge_source import (
    SOURCE_COLUMNS,
    SourceAnnotation,
    SourceAttribute,
    SourceCode,
    SourceCoder,
    SourceContents,
    SourceDocument,
    SourceMemo,
    SourceZone,
)
from annotator.store.column_limits import max_length
from annotator.store.fast_reads import fetch_rows, read_one_snapshot, row_batches
from annotator.store.models import (
    Code,
    Coder,
    Document,
    DocumentAttribute,
    DocumentZone,
)
from annotator.store.project import ProjectStore

MAX_PROBLEMS_SHOWN = 20

_CODE_LIMITS = {"name": max_length(Code.name), "short_name": max_length(Code.short_name)}
_ZONE_LIMITS = {"label": max_length(DocumentZone.label)}


class DamagedSourceError(ServiceError):
    """A merge source breaks the project's rules; nothing was merged.

    ``problems`` holds every problem, one line each. ``str(error)`` is a headline naming the
    source and the count, then the first :data:`MAX_PROBLEMS_SHOWN` problems, one per line,
    and how many more there are of each kind; front ends that show one line show the headline.
    """

    def __init__(self, location: str, problems: Sequence[str], kinds: Sequence[str] = ()) -> None:
        self.location = location
        self.problems = tuple(problems)
        self.kinds = tuple(kinds)
        count = plural(len(self.problems), "problem")
        self.headline = f"cannot merge {location}: {count} found in that copy; nothing was merged"
        super().__init__("\n".join(self.lines()))

    def lines(self) -> list[str]:
        """The headline, then the problems (at most :data:`MAX_PROBLEMS_SHOWN`), each indented."""
        shown_lines = [f"  {line}" for line in self.problems[:MAX_PROBLEMS_SHOWN]]
        hidden = len(self.problems) - MAX_PROBLEMS_SHOWN
        if hidden > 0:
            more = count_by_kind(self.kinds[MAX_PROBLEMS_SHOWN:])
            shown_lines.append(f"  … and {hidden:,} more" + (f" ({more})" if more else ""))
        return [self.headline, *shown_lines]


def read_checked_source(source: ProjectStore, keep_texts_unless: Set[str] = frozenset()) -> SourceContents:
    """Read all of ``source`` in one snapshot and check every row; raise :class:`DamagedSourceError` if
    anything is wrong. Texts are kept for documents whose hash is not in ``keep_texts_unless``."""
    # Hundreds of thousands of acyclic tuples: the collector's scans would find nothing to free.
    with gc_paused(), source.reading() as session:
        read_one_snapshot(session)
        dbapi_error = session.get_bind().dialect.loaded_dbapi.Error
        try:
            rows = {
                name: fetch_rows(session, select(*columns).order_by(columns[0]))
                for name, columns in SOURCE_COLUMNS.items()
            }
            checker = _Checker(rows)
            texts = checker.check_texts(
                row_batches(session, select(Document.id, Document.text).order_by(Document.id), 1),
                keep_texts_unless,
            )
        except dbapi_error as exc:
            # Too damaged to read at all (a broken file, a missing table, bytes that are not UTF-8).
            raise DamagedSourceError(
                source.location, [f"the project cannot be read: {shown(one_line(exc), 200)}"]
            ) from exc
    problems = checker.problems
    if problems:
        raise DamagedSourceError(source.location, problems.lines(), problems.kinds())
    return checker.contents(texts)


class _Checker:
    """The checks that need rows of several tables together (which ids exist, which title to name)."""

    def __init__(self, rows: dict[str, list[Any]]) -> None:
        self.problems = Problems()
        self._times: dict[Any, datetime | None] = {}
        self.codes = [SourceCode._make(row) for row in rows["codes"]]
        self.coders = [SourceCoder._make(row) for row in rows["coders"]]
        check_codes(self.codes, self.problems, _CODE_LIMITS, MAX_CODE_DEPTH)
        check_coders(self.coders, self.problems, max_length(Coder.name), (ROLE_CODER, ROLE_CONSENSUS))
        self.documents = [self._document(row) for row in rows["documents"]]
        self.titles = {doc.id: shown(doc.title) for doc in self.documents}
        self.attributes = self._attributes(rows["attributes"])
        self.zones: dict[int, list[SourceZone]] = {}
        for row in rows["zones"]:
            zone = SourceZone._make(row)
            if self._exists("zone", zone.id, zone.document_id):
                self.zones.setdefault(zone.document_id, []).append(zone)
        self.annotations = self._annotations(rows["annotations"])
        self.memos = self._memos(rows["memos"])
        # Only compared with the target's hashes: a damaged one matches nothing and is left out.
        self.version_hashes: dict[int, list[str]] = {}
        for _version_id, document_id, hash_ in rows["versions"]:
            if document_id in self.titles and isinstance(hash_, str):
                self.version_hashes.setdefault(document_id, []).append(hash_)

    def _stamp(self, kind: str, row_id: int, label: str, what: str, value: Any) -> datetime:
        if value not in self._times:  # bulk-made rows share their timestamps: parse each once
            self._times[value] = parse_timestamp(value)
        parsed = self._times[value]
        if parsed is None:
            self.problems.add(kind, row_id, f"{label}: its {what} “{shown(value)}” is not a date and time")
            return datetime(1970, 1, 1)
        return parsed

    def _exists(self, kind: str, row_id: int, document_id: Any) -> bool:
        if document_id in self.titles:
            return True
        self.problems.add(kind, row_id, f"{kind} {row_id}: its document {shown(document_id)} does not exist")
        return False

    def _document(self, row: Any) -> SourceDocument:
        doc_id, title, source_format, source_name, hash_, length, imported_at = row
        label = f"document {doc_id} “{shown(title)}”"
        for what, value, limit in (
            ("title", title, max_length(Document.title)),
            ("source format", source_format, max_length(Document.source_format)),
            ("source name", source_name, max_length(Document.source_name)),
            ("text hash", hash_, max_length(Document.text_hash)),
        ):
            fault = text_fault(value, limit=limit)
            if fault is not None:
                self.problems.add("document", doc_id, f"{label}: its {what} {fault}")
        if not is_whole_number(length):
            self.problems.add(
                "document", doc_id, f"{label}: its length “{shown(length)}” is not a whole number"
            )
        stamp = self._stamp("document", doc_id, label, "import time", imported_at)
        return SourceDocument(doc_id, title, source_format, source_name, hash_, length, stamp)

    def _attributes(self, rows: list[Any]) -> dict[int, list[SourceAttribute]]:
        found: dict[int, list[SourceAttribute]] = {}
        for attribute_id, document_id, name, value, position in rows:
            if not self._exists("attribute", attribute_id, document_id):
                continue
            label = f"attribute {attribute_id} “{shown(name, 40)}” of “{self.titles[document_id]}”"
            for what, text, limit in (
                ("name", name, max_length(DocumentAttribute.name)),
                ("value", value, max_length(DocumentAttribute.value)),
            ):
                fault = text_fault(text, limit=limit)
                if fault is not None:
                    self.problems.add("attribute", attribute_id, f"{label}: its {what} {fault}")
            if not is_whole_number(position):
                self.problems.add("attribute", attribute_id, f"{label}: its position is not a whole number")
            found.setdefault(document_id, []).append(SourceAttribute(document_id, name, value, position))
        for values in found.values():
            values.sort(key=lambda a: a.position if is_whole_number(a.position) else 0)
        return found

    def _annotations(self, rows: list[Any]) -> list[SourceAnnotation]:
        # The one loop over every annotation row: the common, sound row costs a few lookups.
        codes = {code.id for code in self.codes}
        coders = {coder.id for coder in self.coders}
        titles, times = self.titles, self._times
        found: list[SourceAnnotation] = []
        for row in rows:
            ann_id, document_id, code_id, coder_id, start, end, quote, memo, created, updated = row
            if (
                document_id not in titles
                or code_id not in codes
                or coder_id not in coders
                or memo.__class__ is not str
                or len(memo) > MAX_MEMO_LENGTH
                or "\x00" in memo
            ):
                self._annotation_faults(row, codes, coders)
            created_at = times.get(created)
            if created_at is None:
                created_at = self._stamp("annotation", ann_id, self._label(row), "creation time", created)
            updated_at = times.get(updated)
            if updated_at is None:
                updated_at = self._stamp("annotation", ann_id, self._label(row), "change time", updated)
            found.append(
                SourceAnnotation(
                    ann_id, document_id, code_id, coder_id, start, end, quote, memo, created_at, updated_at
                )
            )
        return found

    def _label(self, row: Any) -> str:
        title = self.titles.get(row[1])
        return f"annotation {row[0]}" if title is None else f"annotation {row[0]} on “{title}”"

    def _annotation_faults(self, row: Any, codes: Set[int], coders: Set[int]) -> None:
        ann_id, document_id, code_id, coder_id, *_, memo, _created, _updated = row
        label = self._label(row)
        for exists, what, value in (
            (document_id in self.titles, "document", document_id),
            (code_id in codes, "code", code_id),
            (coder_id in coders, "coder", coder_id),
        ):
            if not exists:
                self.problems.add("annotation", ann_id, f"{label}: its {what} {shown(value)} does not exist")
        fault = text_fault(memo, limit=MAX_MEMO_LENGTH)
        if fault is not None:
            self.problems.add("annotation", ann_id, f"{label}: its memo {fault}")

    def _memos(self, rows: list[Any]) -> list[SourceMemo]:
        coders = {coder.id for coder in self.coders}
        found: list[SourceMemo] = []
        for memo_id, document_id, coder_id, text, updated in rows:
            if not self._exists("document memo", memo_id, document_id):
                continue
            label = f"document memo {memo_id} on “{self.titles[document_id]}”"
            if coder_id not in coders:
                self.problems.add(
                    "document memo", memo_id, f"{label}: its coder {shown(coder_id)} does not exist"
                )
            fault = text_fault(text)
            if fault is not None:
                self.problems.add("document memo", memo_id, f"{label}: its text {fault}")
            stamp = self._stamp("document memo", memo_id, label, "change time", updated)
            found.append(SourceMemo(document_id, coder_id, text, stamp))
        return found

    def check_texts(self, batches: Any, keep_unless: Set[str]) -> dict[str, str]:
        """Stream the texts: check each with its zones and annotations; keep those the target lacks."""
        by_document: dict[Any, list[SourceAnnotation]] = {}
        for annotation in self.annotations:
            by_document.setdefault(annotation.document_id, []).append(annotation)
        documents = {doc.id: doc for doc in self.documents}
        kept: dict[str, str] = {}
        for batch in batches:
            for doc_id, text in batch:
                doc = documents[doc_id]
                length = self._check_text(doc, text)
                for zone in self.zones.get(doc_id, ()):
                    check_zone(zone, self.titles[doc_id], length, self.problems, _ZONE_LIMITS)
                if length is not None:
                    self._check_spans(by_document.get(doc_id, ()), text, length)
                if length is not None and doc.text_hash not in keep_unless:
                    kept[doc.text_hash] = text
        return kept

    def _check_text(self, doc: SourceDocument, text: Any) -> int | None:
        """The text's length if it can be used to check spans against, after checking it."""
        label = f"document {doc.id} “{self.titles[doc.id]}”"
        if not isinstance(text, str):
            self.problems.add("document", doc.id, f"{label}: its text {text_fault(text)}")
            return None
        faults = []
        if not text.strip():
            faults.append("its text is empty")
        elif len(text) > MAX_TEXT_CHARS:
            faults.append(f"its text is {len(text):,} characters long; the limit is {MAX_TEXT_CHARS:,}")
        elif normalise_text(text) != text:
            faults.append(
                "its text is not in the form the app stores (NFC, \\n line ends, no control characters)"
            )
        if is_whole_number(doc.length) and doc.length != len(text):
            faults.append(
                f"its recorded length ({doc.length:,}) is not its text's ({len(text):,} characters)"
            )
        if text_hash(text) != doc.text_hash:
            faults.append("its text does not match its stored hash (the text was changed after import)")
        for fault in faults:
            self.problems.add("document", doc.id, f"{label}: {fault}")
        return len(text)

    def _check_spans(self, annotations: Sequence[SourceAnnotation], text: str, length: int) -> None:
        title = None
        for a in annotations:
            start, end = a.start, a.end
            if start.__class__ is int and end.__class__ is int and 0 <= start < end <= length:
                if text[start:end] == a.quote:
                    continue
                fault = f"quote does not match the text at {start}–{end}"
            else:
                fault = span_fault(start, end, length) or ""
            title = title or self.titles[a.document_id]
            self.problems.add("annotation", a.id, f"annotation {a.id} on “{title}”: {fault}")

    def contents(self, texts: dict[str, str]) -> SourceContents:
        """What the merge works from, once every check has passed (so every row is sound)."""
        nodes = [CodeNode(code.id, code.parent_id, code.name, code.position) for code in self.codes]
        paths = code_paths(nodes)
        by_id = {code.id: code for code in self.codes}
        codes = [code_info(by_id[node.id], paths[node.id]) for node in tree_order(nodes)]
        return SourceContents(
            documents=self.documents,
            attributes=self.attributes,
            zones=self.zones,
            texts=texts,
            codes=codes,
            coders=self.coders,
            annotations=self.annotations,
            memos=self.memos,
            version_hashes=self.version_hashes,
        )
