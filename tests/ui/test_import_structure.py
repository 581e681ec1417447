"""Import rules inside ``annotator.ui`` that the import-linter layer contracts do not state.

The menus reach the main window through the protocols in ``annotator.ui.actions``, and the mouse
controller reaches the viewer through ``MouseTarget``, so neither imports the class it serves, not
even under ``TYPE_CHECKING`` (the graph below includes those imports).
"""

from __future__ import annotations

import grimp
import pytest


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph("annotator", cache_dir=None)


def test_only_app_startup_imports_the_main_window(graph: grimp.ImportGraph) -> None:
    assert graph.find_modules_that_directly_import("annotator.ui.main_window") == {"annotator.ui.app"}


@pytest.mark.parametrize(
    ("importer", "imported"),
    [
        ("annotator.ui.menus", "annotator.ui.main_window"),
        ("annotator.ui.team.menu", "annotator.ui.main_window"),
        ("annotator.ui.team.menu", "annotator.ui.menus"),
        ("annotator.ui.actions", "annotator.ui.menus"),
        ("annotator.ui.viewer.mouse", "annotator.ui.viewer.widget"),
    ],
)
def test_no_import_chain_leads_back(graph: grimp.ImportGraph, importer: str, imported: str) -> None:
    assert not graph.chain_exists(importer=importer, imported=imported)
