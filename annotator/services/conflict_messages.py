"""How a refused undo or redo says what changed: one line of plain text, names from the database.

``ana's “Slow burn” annotation of “quick” on “Foxes” was edited since (memo changed, …)``;
``3 annotations by bob were made on “Work 2”``. Coder names, code names and titles are read in
the refusing transaction; parts that no longer exist are left out.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import InstrumentedAttribute, Session

from annotator.store.models import Annotation, Code, Coder, Document

QUOTE_LENGTH = 40  # longer quotes and titles are cut in messages


def _names(
    session: Session, key: InstrumentedAttribute[int], name: InstrumentedAttribute[str], ids: Iterable[int]
) -> dict[int, str]:
    wanted = sorted({i for i in ids if i is not None})
    if not wanted:
        return {}
    return {int(k): str(v) for k, v in session.execute(select(key, name).where(key.in_(wanted)))}


def coder_names(session: Session, ids: Iterable[int]) -> dict[int, str]:
    return _names(session, Coder.id, Coder.name, ids)


def code_names(session: Session, ids: Iterable[int]) -> dict[int, str]:
    return _names(session, Code.id, Code.name, ids)


def document_titles(session: Session, ids: Iterable[int]) -> dict[int, str]:
    return _names(session, Document.id, Document.title, ids)


def quoted(text: str) -> str:
    """User text as one short line in curly quotes."""
    line = " ".join(str(text).split())
    if len(line) > QUOTE_LENGTH:
        line = line[: QUOTE_LENGTH - 1] + "…"
    return f"“{line}”"


def stamp(moment: datetime | None) -> str:
    return f"{moment:%Y-%m-%d %H:%M} UTC" if moment is not None else "at an unknown time"


def counted(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def listed(items: Sequence[str], limit: int = 2) -> str:
    """``a``, ``a and b``, ``a, b and 3 others``."""
    if len(items) > limit:
        return f"{', '.join(items[:limit])} and {len(items) - limit} others"
    return " and ".join([", ".join(items[:-1]), items[-1]] if len(items) > 1 else items)


def them(count: int) -> str:
    return "it" if count == 1 else "them"


def _by_count(ids: Iterable[int], names: Mapping[int, str]) -> list[str]:
    """Names of ``ids``, the most frequent first."""
    return [names.get(i, f"#{i}") for i, _ in Counter(ids).most_common()]


def rows_made(session: Session, rows: Sequence[Mapping[str, Any]], noun: str, verb: str, place: str) -> str:
    """``3 annotations by bob were made on “Work 2”`` (without "since")."""
    who = listed(
        _by_count((r["coder_id"] for r in rows), coder_names(session, (r["coder_id"] for r in rows)))
    )
    return f"{counted(len(rows), noun)} by {who} {'was' if len(rows) == 1 else 'were'} {verb} {place}"


def on_documents(session: Session, rows: Sequence[Mapping[str, Any]]) -> str:
    ids = [r["document_id"] for r in rows]
    return "on " + listed([quoted(t) for t in _by_count(ids, document_titles(session, ids))])


def with_codes(session: Session, rows: Sequence[Mapping[str, Any]]) -> str:
    ids = [r["code_id"] for r in rows]
    return "with " + listed([quoted(n) for n in _by_count(ids, code_names(session, ids))])


def annotation_label(session: Session, row: Mapping[str, Any]) -> str:
    """``ana's “Slow burn” annotation of “quick” on “Foxes”`` (parts that no longer exist left out)."""
    coder = coder_names(session, [row["coder_id"]]).get(row["coder_id"], "someone")
    code = code_names(session, [row["code_id"]]).get(row["code_id"])
    title = document_titles(session, [row["document_id"]]).get(row["document_id"])
    code_part = f" {quoted(code)}" if code is not None else ""
    on = f" on {quoted(title)}" if title is not None else ""
    return f"{coder}'s{code_part} annotation of {quoted(row['quote'])}{on}"


def _twin_of(session: Session, row: Mapping[str, Any]) -> int | None:
    """Another annotation with the same document, code, coder and span (the unique key)."""
    return session.scalar(
        select(Annotation.id).where(
            Annotation.document_id == row["document_id"],
            Annotation.code_id == row["code_id"],
            Annotation.coder_id == row["coder_id"],
            Annotation.start == row["start"],
            Annotation.end == row["end"],
            Annotation.id != row["id"],
        )
    )


def annotation_change(
    session: Session, expected: Mapping[str, Any], current: Mapping[str, Any] | None
) -> str:
    """How an annotation differs from the row a command left: removed, remade or edited."""
    label = annotation_label(session, expected)
    if current is None:
        twin = _twin_of(session, expected)
        if twin is not None:
            return f"{label} was removed and made again since (now annotation {twin})"
        return f"{label} was removed since"
    changes = []
    if (current["start"], current["end"]) != (expected["start"], expected["end"]):
        changes.append("span changed")
    if current["code_id"] != expected["code_id"]:
        new_code = code_names(session, [current["code_id"]]).get(current["code_id"], "another code")
        changes.append(f"code changed to {quoted(new_code)}")
    if current["memo"] != expected["memo"]:
        changes.append("memo changed")
    return f"{label} was edited since ({', '.join([*changes, stamp(current['updated_at'])])})"


def memo_change(
    session: Session,
    document_id: int,
    coder_id: int,
    expected: Mapping[str, Any] | None,
    current: Mapping[str, Any] | None,
) -> str:
    coder = coder_names(session, [coder_id]).get(coder_id, "someone")
    title = document_titles(session, [document_id]).get(document_id, "a document")
    label = f"{coder}'s memo on {quoted(title)}"
    if current is None:
        return f"{label} was removed since"
    if expected is None:
        return f"{label} was written since ({stamp(current['updated_at'])})"
    return f"{label} was changed since ({stamp(current['updated_at'])})"


def code_change(
    expected: Mapping[str, Any], current: Mapping[str, Any] | None, ignore: Sequence[str] = ("position",)
) -> str | None:
    """How a code differs from the fields a command left (only the fields in ``expected``), or None."""
    name = expected.get("name") or (current or {}).get("name")
    label = quoted(name) if name else "the code"
    if current is None:
        return f"{label} was deleted since"
    differing = [key for key in expected if key not in ignore and expected[key] != current[key]]
    if not differing:
        return None
    if "name" in differing:
        return f"{label} was renamed to {quoted(current['name'])} since"
    if "parent_id" in differing:
        return f"{label} was moved since"
    if "colour" in differing:
        return f"{label} was recoloured since (now {current['colour']})"
    return f"the {differing[0].replace('_', ' ')} of {label} was edited since"
