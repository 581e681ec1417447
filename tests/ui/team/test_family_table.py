"""The agreement dialog's 2016 family tab: uα, |uα, cuα and (k)uα with sources and intervals."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from annotator.core.agreement import ALL_CODES
from annotator.core.unitizing_2016 import SOURCE_2016
from annotator.store.project import ProjectStore
from annotator.ui.session import ProjectSession
from annotator.ui.team import AgreementDialog
from annotator.ui.team.agreement_table import format_statistic
from tests.team_support import ALICE, BOB, code_as


@pytest.fixture
def session(seeded_project: ProjectStore) -> Iterator[ProjectSession]:
    code_as(seeded_project, "alice", ALICE)
    code_as(seeded_project, "bob", BOB)
    session = ProjectSession(seeded_project, "lead")
    yield session
    session.close()


def _computed(qtbot: QtBot, session: ProjectSession, resamples: int | None) -> AgreementDialog:
    dialog = AgreementDialog(session)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    if resamples is not None:
        qtbot.mouseClick(dialog.intervals, Qt.MouseButton.LeftButton)
        dialog.resamples.setFocus()
        dialog.resamples.selectAll()
        qtbot.keyClicks(dialog.resamples, str(resamples))
    qtbot.mouseClick(dialog.compute_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.agreement is not None, timeout=30_000)
    dialog.tabs.setCurrentWidget(dialog.family_table)
    return dialog


def test_the_family_tab_shows_each_measure_with_its_source(qtbot: QtBot, session: ProjectSession) -> None:
    dialog = _computed(qtbot, session, None)
    result = dialog.agreement
    assert result is not None and dialog.family_table.isVisible()
    shown = dialog.family_table.rows_for(ALL_CODES)
    assert set(shown) == {"uα (2016)", "|uα (2016)", "cuα (2016)"}
    family = result.family_2016()
    assert family is not None
    value, interval, source, note = shown["uα (2016)"]
    assert value == format_statistic(family.u_alpha_2016.value) and source == SOURCE_2016
    assert interval == "—" and note == family.u_alpha_2016.note  # no intervals asked for
    code = result.scope.codes[0]
    per_code = dialog.family_table.rows_for(code)
    assert set(per_code) == {"uα (2016)", "(k)uα (2016)"}
    coded = result.family_2016(code)
    assert coded is not None and per_code["(k)uα (2016)"][0] == format_statistic(coded.k_u_alpha_2016.value)


def test_the_family_tab_shows_the_bootstrap_intervals(qtbot: QtBot, session: ProjectSession) -> None:
    dialog = _computed(qtbot, session, 50)
    result = dialog.agreement
    assert result is not None and result.bootstrap is not None
    for label, measure in (("uα (2016)", "u_alpha_2016"), ("|uα (2016)", "bar_u_alpha_2016")):
        ci = result.family_interval(measure)
        assert ci is not None and ci.low is not None and ci.high is not None
        interval = dialog.family_table.rows_for(ALL_CODES)[label][1]
        assert interval.startswith(f"{format_statistic(ci.low)}–{format_statistic(ci.high)}")
        assert "< 0.667" in interval
