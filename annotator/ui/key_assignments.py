"""Which code each number key (1–9 and 0) applies, as the researcher assigned them.

Kept per project and per user, in the app's ``QSettings`` under a key derived from the project's
location (its file path, or its server URL without the password): no schema change, and each
coder on a team keeps their own keys. Moving the project file starts from the defaults again.

Until the researcher assigns anything, keys 1–9 apply the first nine codes in tree order, as
they always did. An assignment overrides one key (a code has at most one key); a default stays
on the keys nobody re-assigned, unless its code was given another key or "None".
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence

from PySide6.QtCore import QObject, QSettings, Signal

from annotator.core.types import CodeInfo

KEYS = (1, 2, 3, 4, 5, 6, 7, 8, 9, 0)  # in the order of the keyboard's number row
DEFAULT_KEYS = KEYS[:9]  # 0 has no default code
GROUP = "code_keys"


def project_settings_key(location: str) -> str:
    """The settings key of one project's assignments (a digest: paths and URLs hold '/' and ':')."""
    return f"{GROUP}/{hashlib.sha256(location.encode()).hexdigest()[:24]}"


def parse_assignments(value: object) -> dict[int, int | None]:
    """``"1=12,2=,0=7"`` (key=code id, empty for none) as a dict; unknown parts are dropped."""
    text = value if isinstance(value, str) else ",".join(value) if isinstance(value, list) else ""
    result: dict[int, int | None] = {}
    for part in text.split(","):
        key, _, code = part.partition("=")
        if key.strip().isdigit() and int(key) in KEYS:
            result[int(key)] = int(code) if code.strip().isdigit() else None
    return result


def format_assignments(assigned: dict[int, int | None]) -> str:
    return ",".join(f"{key}={'' if code is None else code}" for key, code in sorted(assigned.items()))


def resolve_keys(codes: Sequence[CodeInfo], assigned: dict[int, int | None]) -> dict[int, CodeInfo]:
    """Key → code: the assignments (of codes that still exist), then the defaults around them."""
    by_id = {c.id: c for c in codes}
    result = {key: by_id[cid] for key, cid in assigned.items() if cid is not None and cid in by_id}
    explicit = {cid for cid in assigned.values() if cid is not None}
    for key, code in zip(DEFAULT_KEYS, codes, strict=False):
        if key not in assigned and code.id not in explicit:
            result[key] = code
    return result


class KeyAssignments(QObject):
    """The number keys of one open project; ``assignmentsChanged`` after an assignment."""

    assignmentsChanged = Signal()  # a key was given or taken (settings, not project news)

    def __init__(
        self,
        settings: QSettings,
        location: str,
        codes: Callable[[], Sequence[CodeInfo]],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._settings = settings
        self._key = project_settings_key(location)
        self._codes = codes
        self._assigned = parse_assignments(settings.value(self._key))

    def code_for_key(self, key: int) -> CodeInfo | None:
        return resolve_keys(self._codes(), self._assigned).get(key)

    def keys_by_code(self, codes: Sequence[CodeInfo] | None = None) -> dict[int, int]:
        """Code id → its key (of ``codes``, else the project's), for the codebook's Key column."""
        listed = self._codes() if codes is None else codes
        return {code.id: key for key, code in resolve_keys(listed, self._assigned).items()}

    def key_of(self, code_id: int) -> int | None:
        return self.keys_by_code().get(code_id)

    def assign(self, code_id: int, key: int | None) -> None:
        """Give ``code_id`` the number ``key`` (taken from whichever code had it), or no key."""
        current = self.key_of(code_id)
        if current is not None:
            self._assigned[current] = None  # its old key (assigned or default) now applies nothing
        if key is not None:
            self._assigned[key] = code_id
        self._settings.setValue(self._key, format_assignments(self._assigned))
        self._settings.sync()
        self.assignmentsChanged.emit()
