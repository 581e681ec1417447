"""Mojibake repair: double-encoded UTF-8 is repaired and counted; correct text is never touched."""

from __future__ import annotations

import pytest

from annotator.io.mojibake import repair_mojibake


def _double(text: str, codec: str = "cp1252") -> str:
    return text.encode("utf-8").decode(codec)


@pytest.mark.parametrize(
    "text",
    [
        "Ela gritou “MÃE” e “IRMÃ”, e a irmã não ouviu.",  # ftfy alone makes “IRMÔ of this
        "NÃO é verdade. SÃO PAULO, CORAÇÃO, AÇÃO!",
        "É AMANHÃ—DEPOIS, disse ele à irmã.",
        "“Quotes”, ‘single’, dashes — and … ellipses",
    ],
)
def test_correct_text_with_mojibake_lookalikes_is_left_alone(text: str) -> None:
    assert repair_mojibake(text) == (text, 0)


def test_a_whole_file_double_encoded_is_repaired_line_by_line() -> None:
    story = "Kapitel 1\n\nEr gehört mir.\nSie sagte: „Schön.“\n\nEnde — wirklich…\n"
    fixed, places = repair_mojibake(_double(story))
    assert fixed == story
    assert places == 6  # gehört, „, Schön's ö, “, —, …


def test_triple_encoded_text_is_repaired_all_the_way() -> None:
    assert repair_mojibake(_double(_double("Crème brûlée")))[0] == "Crème brûlée"


def test_a_file_only_partly_double_encoded_is_left_as_it_is() -> None:
    text = "Er gehört mir.\n" + _double("Sie sagte: „Schön.“\n")
    assert repair_mojibake(text) == (text, 0)
