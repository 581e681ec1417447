"""A coded seed work and its edited re-download, for the update and review tests.

Three sentences of the first seed work are coded: one the edit leaves alone (exact), one whose
words it changes (changed), one it deletes (orphaned); by two coders and two codes. The edited
text is written to a ``.txt`` file, as a re-downloaded work would be.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from annotator.services.annotations import apply_code
from annotator.services.codebook import list_codes
from annotator.services.coders import ensure_coder
from annotator.services.documents import document_text, list_documents
from annotator.store.project import ProjectStore

KEPT = "You escaped the holding cell handcuffs."
EDITED = "You escaped the restraints on the wall; you got past the stormtrooper at the entrance."
EDITED_TO = "You escaped the restraints on the wall; you slipped past the guard at the door."
GONE = "This is an ongoing project, and you've been put on hold. "


@dataclass(frozen=True)
class EditedWork:
    document_id: int
    title: str
    old_text: str
    new_text: str
    path: Path
    annotation_ids: dict[str, int]  # "kept" / "edited" / "gone" → annotation id
    code_names: dict[str, str]  # the same keys → code path


def coded_and_edited(store: ProjectStore, folder: Path, coder: str = "alice") -> EditedWork:
    doc = list_documents(store)[0]
    text = document_text(store, doc.id)
    codes = [c for c in list_codes(store) if c.parent_id is not None][:2]
    alice = ensure_coder(store, coder).id
    bob = ensure_coder(store, "<b>bob</b>").id  # a name that would be markup if shown as rich text
    ids, names = {}, {}
    for key, sentence, code, who in (
        ("kept", KEPT, codes[0], alice),
        ("edited", EDITED, codes[1], alice),
        ("gone", GONE.strip(), codes[0], bob),
    ):
        start = text.index(sentence)
        ids[key] = apply_code(store, doc.id, start, start + len(sentence), code.id, who).id
        names[key] = code.path
    new_text = text.replace(EDITED, EDITED_TO).replace(GONE, "")
    path = folder / f"{doc.title}.txt"  # re-downloaded under the same name
    path.write_text(new_text, encoding="utf-8")
    return EditedWork(doc.id, doc.title, text, new_text, path, ids, names)
