"""The agreement value types: one definition, shared by the agreement modules without an import cycle."""

from __future__ import annotations

import ast
import dataclasses
from pathlib import Path

import pytest

import annotator.core
from annotator.core import agreement, agreement_types
from annotator.core.agreement_types import CodedSpan, Continuum

CORE = Path(annotator.core.__file__).parent


def test_agreement_still_offers_the_same_types() -> None:
    assert agreement.CodedSpan is CodedSpan and agreement.Continuum is Continuum
    assert {"CodedSpan", "Continuum"} <= set(agreement.__all__)


def test_spans_and_continua_are_frozen_values() -> None:
    span = CodedSpan(1, "Fluff", "ana", 0, 5)
    assert span == CodedSpan(1, "Fluff", "ana", 0, 5) and len({span, CodedSpan(1, "Fluff", "ana", 0, 5)}) == 1
    with pytest.raises(dataclasses.FrozenInstanceError):
        span.start = 2  # type: ignore[misc]
    assert Continuum(1, 10).included is None


def _core_imports(path: Path) -> set[str]:
    """Modules of annotator.core that ``path`` imports anywhere, ``if TYPE_CHECKING:`` blocks included."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("annotator.core."):
            found.add(node.module.removeprefix("annotator.core."))
        elif isinstance(node, ast.Import):
            found.update(
                a.name.removeprefix("annotator.core.")
                for a in node.names
                if a.name.startswith("annotator.core.")
            )
    return found


def test_core_modules_import_each_other_without_cycles_even_for_types() -> None:
    graph = {path.stem: _core_imports(path) for path in CORE.glob("*.py")}
    done: set[str] = set()

    def visit(module: str, trail: tuple[str, ...]) -> None:
        assert module not in trail, f"import cycle: {' -> '.join((*trail, module))}"
        if module in done:
            return
        for imported in graph.get(module, ()):
            visit(imported, (*trail, module))
        done.add(module)

    for module in graph:
        visit(module, ())
    assert agreement_types.__name__.removeprefix("annotator.core.") in graph["agreement_table"]
