"""The adjudication panel: it describes the chosen disagreement (each coder's words, escaped), offers
one Accept button per coder, asks for a decision only when a disagreement is chosen, and refuses a
new span until words are selected."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from annotator.services.adjudication import BY_NEITHER, Decision, DisagreementItem
from annotator.ui.team.adjudication_panel import AdjudicationPanel, describe_item

TEXT = "Rey <looked> at Ben & smiled. " + "x" * 400
ITEM = DisagreementItem(
    document_id=1,
    document_title="Stardust",
    code_id=2,
    code_path="Trope/Slow burn",
    start=0,
    end=29,
    versions={"alice": ((0, 12),), "bob": ((4, 29),), "carol": ()},
)


def _panel(
    qtbot: QtBot, selection: tuple[int, int] | None = None
) -> tuple[AdjudicationPanel, list[Decision]]:
    panel = AdjudicationPanel(lambda: selection)
    qtbot.addWidget(panel)
    decided: list[Decision] = []
    panel.decided.connect(decided.append)
    panel.show()
    qtbot.waitExposed(panel)
    return panel, decided


def test_each_coder_who_coded_it_has_a_button_that_accepts_their_version(qtbot: QtBot) -> None:
    panel, decided = _panel(qtbot)
    panel.set_item(ITEM, TEXT)
    # carol did not code this disagreement: she has no version to accept, so no button.
    assert [b.text() for b in panel.coder_buttons.values()] == ["Accept alice", "Accept bob"]
    qtbot.mouseClick(panel.coder_buttons["bob"], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(panel.accept_all, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(panel.neither, Qt.MouseButton.LeftButton)
    assert decided == [Decision.accept("bob"), Decision.accept_all(), Decision.neither()]
    panel.set_progress(3, 7)
    assert panel.progress.text() == "3 of 7 resolved"
    panel.set_progress(3, 7, 10, 70)
    assert panel.progress.text() == "3 of 7 resolved in this list · 10 of 70 in all documents"


def test_keys_decide_and_the_panel_shows_which_key_is_which_coder(qtbot: QtBot) -> None:
    panel, decided = _panel(qtbot, selection=(4, 20))
    panel.set_item(ITEM, TEXT, ("alice", "bob", "carol"))
    assert panel.keys.text().startswith("Keys: 1 accept alice · 2 accept bob · 3 accept carol · A accept all")
    panel.activateWindow()
    qtbot.waitUntil(panel.isActiveWindow)
    for key in (Qt.Key.Key_2, Qt.Key.Key_1, Qt.Key.Key_A, Qt.Key.Key_S, Qt.Key.Key_N):
        qtbot.keyClick(panel, key)
    assert decided == [
        Decision.accept("bob"),
        Decision.accept("alice"),
        Decision.accept_all(),
        Decision.new_span(4, 20),
        Decision.neither(),
    ]
    qtbot.keyClick(panel, Qt.Key.Key_3)  # carol did not code it: nothing is decided, and it says why
    assert (
        len(decided) == 5
        and panel.message.text() == "carol did not code this disagreement: nothing to accept."
    )


def test_without_a_disagreement_the_buttons_are_off_and_nothing_is_decided(qtbot: QtBot) -> None:
    panel, decided = _panel(qtbot, selection=(0, 5))
    panel.set_item(ITEM, TEXT)
    panel.set_item(None, "")
    assert panel.coder_buttons == {}
    assert not any(b.isEnabled() for b in (panel.accept_all, panel.new_span, panel.neither))
    assert panel.details.text() == "Choose a disagreement from the list."
    qtbot.mouseClick(panel.neither, Qt.MouseButton.LeftButton)
    assert decided == []


def test_a_new_span_needs_selected_words_first(qtbot: QtBot) -> None:
    panel, decided = _panel(qtbot, selection=None)
    panel.set_item(ITEM, TEXT)
    qtbot.mouseClick(panel.new_span, Qt.MouseButton.LeftButton)
    assert decided == [] and panel.message.text() == "Select the words for the new span in the text first."
    panel.set_item(ITEM, TEXT)  # another disagreement: the old message goes
    assert panel.message.text() == ""
    chosen, decided = _panel(qtbot, selection=(4, 20))
    chosen.set_item(ITEM, TEXT)
    qtbot.mouseClick(chosen.new_span, Qt.MouseButton.LeftButton)
    assert decided == [Decision.new_span(4, 20)]


def test_the_description_quotes_each_version_as_text_not_markup() -> None:
    lines = describe_item(ITEM, TEXT).split("<br>")
    assert lines[0] == "<b>Trope › Slow burn</b> &nbsp; [0, 29) &nbsp; <i>open</i>"
    assert lines[1:] == [
        "<b>alice</b> [0, 12): “Rey &lt;looked&gt;”",
        "<b>bob</b> [4, 29): “&lt;looked&gt; at Ben &amp; smiled.”",
        "<b>carol</b>: did not code it",
    ]
    long = DisagreementItem(1, "t", 2, "A", 0, 400, {"alice": ((0, 400),)}, status=BY_NEITHER)
    first, quote = describe_item(long, TEXT).split("<br>")
    assert first.endswith("<i>resolved: neither</i>") and " … xxxxxxxx”" in quote
