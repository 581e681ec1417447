"""Which files an import takes: the same rule for the app's Import dialog and `annotator import`."""

from __future__ import annotations

from pathlib import Path

from annotator.io.file_selection import files_to_import


def _write(path: Path, text: str = "A work.\n") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_a_folder_gives_its_works_sorted_and_skips_hidden_files_and_folders(tmp_path: Path) -> None:
    folder = tmp_path / "downloads"
    b = _write(folder / "b.html")
    a = _write(folder / "sub" / "a.txt")
    c = _write(folder / "C.EPUB")
    _write(folder / ".hidden.txt")
    _write(folder / ".cache" / "a.txt")  # the CLI skipped this and the app imported it
    _write(folder / "cover.jpg")
    selection = files_to_import([folder])
    assert selection.files == sorted([a, b, c])
    assert selection.problems == []


def test_named_files_are_kept_in_order_and_each_once(tmp_path: Path) -> None:
    first = _write(tmp_path / "first.txt")
    odd = _write(tmp_path / "notes.pdf")  # named directly: the importer reports it, in order
    missing = tmp_path / "gone.txt"
    selection = files_to_import([odd, first, missing, first, tmp_path])
    assert selection.files == [odd, first, missing]


def test_a_folder_with_nothing_to_import_is_reported(tmp_path: Path) -> None:
    folder = tmp_path / "pictures"
    _write(folder / "cover.jpg")
    selection = files_to_import([folder])
    assert selection.files == []
    [(named, message)] = selection.problems
    assert named == str(folder) and "no files of a supported type" in message and ".epub" in message


def test_the_app_and_the_cli_share_the_rule(tmp_path: Path) -> None:
    import annotator.cli.project_commands as cli
    import annotator.ui.dialogs.import_dialog as dialog

    assert cli.files_to_import is files_to_import
    assert dialog.files_to_import is files_to_import
