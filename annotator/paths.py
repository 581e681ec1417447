"""Where the shipped files are: ``resources/`` (default codebook, icons) and ``seeds/`` (demo works).

In a source checkout (``pip install -e .``) they sit next to the package; a regular install puts
them under ``<prefix>/share/annotator/``.
"""

from __future__ import annotations

import sys
from pathlib import Path

_CHECKOUT = Path(__file__).resolve().parent.parent
_INSTALLED = Path(sys.prefix) / "share" / "annotator"


def _find(name: str) -> Path:
    for base in (_CHECKOUT, _INSTALLED):
        candidate = base / name
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"annotator's {name}/ folder is missing; reinstall the package")


def resources_dir() -> Path:
    return _find("resources")


def seeds_dir() -> Path:
    return _find("seeds")


def default_codebook_path() -> Path:
    return resources_dir() / "codebooks" / "fandom.csv"
