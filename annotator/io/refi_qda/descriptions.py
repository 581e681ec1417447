"""A code's definition, inclusion and exclusion criteria, example and short name in one description.

REFI-QDA gives a code one free-text ``Description``; annotator keeps five fields. They are written
as the definition followed by labelled paragraphs (``Inclusion: …``) and read back the same way,
so a project's codebook survives the round trip. A description from another program is the
definition, unless it ends in paragraphs with exactly these labels.
"""

from __future__ import annotations

LABELS = (
    ("short_name", "Short name"),
    ("inclusion", "Inclusion"),
    ("exclusion", "Exclusion"),
    ("example", "Example"),
)
_SEPARATOR = "\n\n"


def join_description(fields: dict[str, str]) -> str:
    parts = [fields.get("definition", "")] if fields.get("definition") else []
    for key, label in LABELS:
        if fields.get(key):
            parts.append(f"{label}: {fields[key]}")
    return _SEPARATOR.join(parts)


def split_description(description: str) -> dict[str, str]:
    """The fields :func:`join_description` joined: labelled paragraphs taken from the end, in its order."""
    fields: dict[str, str] = {}
    rest = description
    for key, label in reversed(LABELS):
        marker = f"{label}: "
        at = rest.rfind(_SEPARATOR + marker)
        if at >= 0:
            fields[key] = rest[at + len(_SEPARATOR) + len(marker) :]
            rest = rest[:at]
        elif rest.startswith(marker):
            fields[key] = rest[len(marker) :]
            rest = ""
    fields["definition"] = rest
    return {key: value for key, value in fields.items() if value}
