"""Editing a work's title and attributes (rating, fandoms, tags …): one service per user action.

A work's text and its spans never change here; only ``documents.title`` and the work's
``document_attributes`` rows do. Every action runs in one transaction, locks the works it edits
(PostgreSQL: ``SELECT … FOR UPDATE``), and returns a :class:`WorksEdit`: what the touched fields
were before and are after, which is all undo and redo need (:mod:`annotator.services.document_commands`).

Only the fields an action touches count: setting a work's rating touches its rating alone, so
undoing it does not mind someone having added a fandom since, and refuses (a ConflictError)
only if the rating itself was changed meanwhile.

Attribute names the AO3 importer writes as keys (``rating``, ``fandoms`` …) are offered to people
under AO3's labels (``Rating``, ``Fandoms`` …): :func:`attribute_key` maps a label typed by hand
to the key, so a plain-text work given a rating shows it in the same column as an AO3 download.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from annotator.core.validation import InvalidInputError, clean_name, unstorable_character
from annotator.services import conflicts, snapshots
from annotator.services.changes import Change
from annotator.services.conflicts import ConflictError, quoted
from annotator.services.errors import NotFoundError
from annotator.store.column_limits import max_length
from annotator.store.models import Document, DocumentAttribute
from annotator.store.project import ProjectStore

TITLE_LENGTH = max_length(Document.title)
NAME_LENGTH = max_length(DocumentAttribute.name)
VALUE_LENGTH = max_length(DocumentAttribute.value)
MAX_VALUES = 1_000  # as many as an import keeps (io.values.MAX_VALUES_PER_ATTRIBUTE)

# (key the importer stores, label AO3 shows), in AO3's order.
AO3_ATTRIBUTES: tuple[tuple[str, str], ...] = (
    ("rating", "Rating"),
    ("warnings", "Archive Warnings"),
    ("categories", "Category"),
    ("fandoms", "Fandoms"),
    ("relationships", "Relationships"),
    ("characters", "Characters"),
    ("additional_tags", "Additional Tags"),
    ("language", "Language"),
    ("words", "Words"),
)
_LABELS = dict(AO3_ATTRIBUTES)
_KEYS = {label.casefold(): key for key, label in AO3_ATTRIBUTES} | {key: key for key, _ in AO3_ATTRIBUTES}


def attribute_label(key: str) -> str:
    """What people read for an attribute key: AO3's label for AO3's keys, else the key itself."""
    return _LABELS.get(key, key)


def attribute_key(name: str) -> str:
    """The key stored for a name typed by hand (``Archive Warnings`` → ``warnings``), validated."""
    cleaned = _clean(name, "an attribute name", NAME_LENGTH)
    if not cleaned:
        raise InvalidInputError("an attribute name is empty")
    return _KEYS.get(cleaned.casefold(), cleaned)


def clean_title(title: str) -> str:
    cleaned = _clean(title, "the title", TITLE_LENGTH)
    if not cleaned:
        raise InvalidInputError("the title is empty")
    return cleaned


def clean_values(name: str, values: Iterable[str]) -> tuple[str, ...]:
    """Each value on one line, empty ones dropped, repeats dropped, order kept."""
    kept: dict[str, None] = {}
    for value in values:
        cleaned = _clean(value, f"a value of {quoted(name)}", VALUE_LENGTH)
        if cleaned:
            kept[cleaned] = None
    if len(kept) > MAX_VALUES:
        raise InvalidInputError(f"{quoted(name)} has {len(kept):,} values; the limit is {MAX_VALUES:,}")
    return tuple(kept)


def _clean(text: str, what: str, limit: int) -> str:
    problem = unstorable_character(text)
    if problem is not None:
        raise InvalidInputError(f"{what} {problem}")
    if not text.strip():
        return ""
    return clean_name(text, what=what, limit=limit)


@dataclass(frozen=True)
class WorkFields:
    """The fields of one work that an action touches: its title (None: untouched) and the values
    of the named attributes (an empty tuple: the work has no such attribute)."""

    document_id: int
    title: str | None = None
    attributes: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def values(self, name: str) -> tuple[str, ...]:
        return dict(self.attributes).get(name, ())


@dataclass(frozen=True)
class WorksEdit:
    """One action's touched fields, as they were before and as the action left them, with the
    attribute rows of the touched names either side (so undo puts back the very same rows)."""

    before: tuple[WorkFields, ...]
    after: tuple[WorkFields, ...]
    rows_before: tuple[snapshots.Row, ...] = ()
    rows_after: tuple[snapshots.Row, ...] = ()

    @property
    def change(self) -> Change:
        return Change(documents_edited=tuple(f.document_id for f in self.after))

    @property
    def changed(self) -> bool:
        return self.before != self.after


# --- the actions --------------------------------------------------------------------------------


def rename_document(store: ProjectStore, document_id: int, title: str) -> WorksEdit:
    """Give a work a new title (its text and codings stay as they are)."""
    wanted = WorkFields(document_id, title=clean_title(title))
    return _edit(store, [wanted])


def set_attribute(store: ProjectStore, document_id: int, name: str, values: Sequence[str]) -> WorksEdit:
    """Make one attribute of a work exactly ``values`` (none removes the attribute)."""
    return set_attribute_for_documents(store, [document_id], name, values)


def set_attribute_for_documents(
    store: ProjectStore, document_ids: Sequence[int], name: str, values: Sequence[str]
) -> WorksEdit:
    """Make one attribute exactly ``values`` on each of several works, in one transaction."""
    key = attribute_key(name)
    cleaned = clean_values(key, values)
    ids = list(dict.fromkeys(document_ids))
    if not ids:
        raise InvalidInputError("no works are selected")
    return _edit(store, [WorkFields(i, attributes=((key, cleaned),)) for i in ids])


def add_attribute_value(store: ProjectStore, document_id: int, name: str, value: str) -> WorksEdit:
    """Add one value to an attribute of a work (after the values it has)."""
    key = attribute_key(name)
    (cleaned,) = clean_values(key, [value]) or ("",)
    if not cleaned:
        raise InvalidInputError(f"the new value of {quoted(key)} is empty")
    with store.transaction() as session:
        _lock(session, [document_id])
        current = _current_values(session, document_id, [key])[key]
        return _write(session, [WorkFields(document_id, attributes=((key, (*current, cleaned)),))])


def remove_attribute_value(store: ProjectStore, document_id: int, name: str, value: str) -> WorksEdit:
    """Remove one value from an attribute of a work."""
    key = attribute_key(name)
    with store.transaction() as session:
        _lock(session, [document_id])
        current = _current_values(session, document_id, [key])[key]
        if value not in current:
            raise InvalidInputError(
                f"{quoted(_title(session, document_id))} has no {quoted(key)} {quoted(value)}"
            )
        kept = tuple(v for v in current if v != value)
        return _write(session, [WorkFields(document_id, attributes=((key, kept),))])


def edit_document(
    store: ProjectStore, document_id: int, title: str, attributes: Mapping[str, Sequence[str]]
) -> WorksEdit:
    """Make a work's title and all its attributes exactly these (the attribute editor's OK).

    Only what differs is written, so undo later minds only those fields.
    """
    new_title = clean_title(title)
    wanted: dict[str, tuple[str, ...]] = {}
    for name, values in attributes.items():
        key = attribute_key(name)
        cleaned = clean_values(key, values)
        if cleaned:
            wanted[key] = (*wanted.get(key, ()), *(v for v in cleaned if v not in wanted.get(key, ())))
    with store.transaction() as session:
        _lock(session, [document_id])
        old_title = _title(session, document_id)
        now = _all_values(session, document_id)
        changed = tuple(
            (key, wanted.get(key, ()))
            for key in dict.fromkeys([*now, *wanted])
            if now.get(key, ()) != wanted.get(key, ())
        )
        fields = WorkFields(document_id, new_title if new_title != old_title else None, changed)
        return _write(session, [fields])


def restore_works(
    store: ProjectStore,
    fields: Sequence[WorkFields],
    rows: Sequence[snapshots.Row],
    *,
    expected: Sequence[WorkFields],
) -> WorksEdit:
    """Make the touched fields ``fields`` again with the attribute ``rows`` they had (undo, redo),
    refusing with a ConflictError, changing nothing, if any of them is no longer as ``expected``
    (as the step last left them)."""
    with store.transaction() as session:
        return _write(session, fields, rows=rows, expected=expected)


# --- reading and writing ------------------------------------------------------------------------


def _edit(store: ProjectStore, wanted: Sequence[WorkFields]) -> WorksEdit:
    with store.transaction() as session:
        return _write(session, wanted)


def _lock(session: Session, document_ids: Sequence[int]) -> None:
    found = conflicts.lock_ids(session, Document.id, document_ids)
    missing = sorted(set(document_ids) - found)
    if missing:
        raise NotFoundError(f"no document with id {missing[0]}")


def _title(session: Session, document_id: int) -> str:
    return session.scalar(select(Document.title).where(Document.id == document_id)) or ""


def _rows(session: Session, document_id: int) -> list[snapshots.Row]:
    query = (
        select(DocumentAttribute.__table__)
        .where(DocumentAttribute.document_id == document_id)
        .order_by(DocumentAttribute.position, DocumentAttribute.id)
    )
    return [dict(row) for row in session.execute(query).mappings()]


def _all_values(session: Session, document_id: int) -> dict[str, tuple[str, ...]]:
    values: dict[str, tuple[str, ...]] = {}
    for row in _rows(session, document_id):
        values[row["name"]] = (*values.get(row["name"], ()), row["value"])
    return values


def _current_values(session: Session, document_id: int, names: Iterable[str]) -> dict[str, tuple[str, ...]]:
    values = _all_values(session, document_id)
    return {name: values.get(name, ()) for name in names}


def _now(session: Session, wanted: WorkFields) -> WorkFields:
    """The same fields as ``wanted`` names, as they are in the database now."""
    title = _title(session, wanted.document_id) if wanted.title is not None else None
    names = [name for name, _values in wanted.attributes]
    now = _current_values(session, wanted.document_id, names)
    return WorkFields(wanted.document_id, title, tuple((name, now[name]) for name in names))


def _write(
    session: Session,
    wanted: Sequence[WorkFields],
    *,
    rows: Sequence[snapshots.Row] | None = None,
    expected: Sequence[WorkFields] | None = None,
) -> WorksEdit:
    """Make ``wanted`` so: with ``rows`` (undo, redo) by putting those attribute rows back, else
    with new rows after the work's others."""
    _lock(session, [f.document_id for f in wanted])
    before = tuple(_now(session, f) for f in wanted)
    if expected is not None:
        for now, then in zip(before, expected, strict=True):
            if now != then:
                raise ConflictError(_what_changed(session, now, then), "overwrite that change")
    rows_before = tuple(row for f in wanted for row in _touched_rows(session, f))
    for fields in wanted:
        _write_fields(session, fields, rows)
    session.flush()
    rows_after = tuple(row for f in wanted for row in _touched_rows(session, f))
    return WorksEdit(before, tuple(wanted), rows_before, rows_after)


def _touched_rows(session: Session, fields: WorkFields) -> list[snapshots.Row]:
    names = {name for name, _values in fields.attributes}
    return [row for row in _rows(session, fields.document_id) if row["name"] in names]


def _write_fields(session: Session, fields: WorkFields, rows: Sequence[snapshots.Row] | None) -> None:
    document_id = fields.document_id
    if fields.title is not None:
        session.execute(update(Document).where(Document.id == document_id).values(title=fields.title))
    if not fields.attributes:
        return
    names = [name for name, _values in fields.attributes]
    session.execute(
        delete(DocumentAttribute).where(
            DocumentAttribute.document_id == document_id, DocumentAttribute.name.in_(names)
        )
    )
    if rows is not None:
        mine = [row for row in rows if row["document_id"] == document_id and row["name"] in names]
        # Ids are free again unless SQLite handed one out since (no AUTOINCREMENT on this table):
        # such a row comes back under a new id; nothing refers to attribute rows by id.
        taken = set(
            session.scalars(
                select(DocumentAttribute.id).where(DocumentAttribute.id.in_([r["id"] for r in mine]))
            )
        )
        snapshots.put_back(session, DocumentAttribute, [r for r in mine if r["id"] not in taken])
        for row in (r for r in mine if r["id"] in taken):
            session.add(DocumentAttribute(**{k: v for k, v in row.items() if k != "id"}))
        return
    last = session.scalar(
        select(func.max(DocumentAttribute.position)).where(DocumentAttribute.document_id == document_id)
    )
    position = -1 if last is None else last
    for name, values in fields.attributes:
        for value in values:
            position += 1
            session.add(DocumentAttribute(document_id=document_id, name=name, value=value, position=position))


def _what_changed(session: Session, now: WorkFields, then: WorkFields) -> str:
    title = quoted(_title(session, now.document_id))
    if now.title != then.title:
        return f"the title of {quoted(then.title or '')} was changed to {title} since"
    names = [name for name, values in now.attributes if values != then.values(name)]
    return f"{quoted(attribute_label(names[0]))} of {title} was changed since"
