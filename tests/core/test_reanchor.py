"""Re-anchoring annotations onto a new version of a work: hand-made cases and generated edits."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.core.reanchor import Alignment, Anchor, Placement, reanchor
from annotator.paths import seeds_dir
from tests.core.edits import EDIT_KINDS, Score, ao3_work, edit, make_anchors, score, truth

SEED_TEXTS = [path.read_text(encoding="utf-8") for path in sorted(seeds_dir().glob("*.txt"))]
AO3_WORK = ao3_work(SEED_TEXTS, chapters=6, seed=1)
WORKS = [*SEED_TEXTS, AO3_WORK]
REAL_AO3 = Path(__file__).parents[3] / "shared" / "samples" / "real" / "218676_incompleteWork.html"

OLD = (
    "Chapter 1: Snow\n\n"
    'He said, "Come in." She did not.\n\n'
    "The fire was warm and the tea was bitter.\n\n"
    "They talked about the war until dawn.\n\n"
    "Chapter 2: Thaw\n\n"
    "In the morning the snow had melted away.\n"
)


def anchor_on(text: str, quote: str, key: int = 1, nth: int = 0) -> Anchor:
    start = -1
    for _ in range(nth + 1):
        start = text.index(quote, start + 1)
    return Anchor(key, start, start + len(quote), quote)


def place_one(old: str, new: str, quote: str) -> Placement:
    return reanchor(old, new, [anchor_on(old, quote)])[0]


def text_of(new: str, placement: Placement) -> str | None:
    return None if placement.start is None else new[placement.start : placement.end]


def test_identical_texts_keep_every_annotation_in_place() -> None:
    anchors = make_anchors(OLD, 50, seed=1)
    assert [(p.kind, p.start, p.end) for p in reanchor(OLD, OLD, anchors)] == [
        ("exact", a.start, a.end) for a in anchors
    ]


def test_one_placement_per_anchor_in_the_order_given() -> None:
    anchors = [anchor_on(OLD, "tea", key=7), anchor_on(OLD, "Snow", key=3), anchor_on(OLD, "war", key=5)]
    assert [p.key for p in reanchor(OLD, OLD.replace("war", "peace"), anchors)] == [7, 3, 5]


def test_text_inserted_before_shifts_an_annotation_exactly() -> None:
    new = "Notes\n\nThanks for reading!\n\n" + OLD
    placement = place_one(OLD, new, "the tea was bitter")
    assert placement.kind == "exact"
    assert text_of(new, placement) == "the tea was bitter"


def test_a_typo_fix_inside_the_span_is_changed_and_spans_the_fixed_text() -> None:
    old = OLD.replace("bitter", "biter")
    placement = place_one(old, OLD, "the tea was biter")
    assert placement.kind == "changed"
    assert text_of(OLD, placement) == "the tea was bitter"


def test_a_typo_fix_elsewhere_in_the_paragraph_leaves_the_span_exact() -> None:
    old = OLD.replace("bitter", "biter")
    placement = place_one(old, OLD, "The fire")
    assert (placement.kind, text_of(OLD, placement)) == ("exact", "The fire")


def test_a_deleted_paragraph_orphans_its_annotations() -> None:
    new = OLD.replace("They talked about the war until dawn.\n\n", "")
    placement = place_one(OLD, new, "talked about the war")
    assert placement == Placement(1, "orphaned", None, None)


def test_a_rewritten_sentence_is_changed_onto_its_counterpart() -> None:
    new = OLD.replace("They talked about the war until dawn.", "They argued about the war all night.")
    placement = place_one(OLD, new, "They talked about the war until dawn.")
    assert placement.kind == "changed"
    assert text_of(new, placement) == "They argued about the war all night."


def test_a_moved_scene_is_found_exactly_at_its_new_place() -> None:
    scene = "The fire was warm and the tea was bitter.\n\n"
    new = OLD.replace(scene, "").replace("In the morning", scene + "In the morning")
    placement = place_one(OLD, new, "the tea was bitter")
    assert placement.kind == "exact"
    assert text_of(new, placement) == "the tea was bitter"
    assert placement.start == new.index("the tea was bitter")


def test_a_short_passage_moved_and_cut_on_the_way_is_still_found() -> None:
    # No three words of it stay together and it is too short to hold a sentence: two long words
    # in a row, found once on each side, show where it went.
    passage = "Pale lanterns swayed overhead. "
    old = OLD.replace("They talked", passage + "They talked")
    new = OLD.replace("In the morning", "Pale lanterns overhead. In the morning")
    for quote in ("Pale lanterns", "overhead."):
        placement = place_one(old, new, quote)
        assert (placement.kind, placement.start) == ("exact", new.index(quote))


def test_curled_quotes_keep_the_span_but_mark_it_changed() -> None:
    new = OLD.replace('"Come in."', "“Come in.”")
    placement = place_one(OLD, new, 'He said, "Come in."')
    assert (placement.kind, text_of(new, placement)) == ("changed", "He said, “Come in.”")
    assert place_one(OLD, new, "She did not.").kind == "exact"


def test_a_deleted_copy_of_a_repeated_paragraph_is_not_moved_onto_the_other_copy() -> None:
    refrain = "And the snow kept falling.\n\n"
    old = OLD.replace("Chapter 2", refrain + "Chapter 2") + "\n" + refrain
    new = old.replace(refrain + "Chapter 2", "Chapter 2")
    placements = reanchor(
        old, new, [anchor_on(old, "the snow kept", 1), anchor_on(old, "the snow kept", 2, 1)]
    )
    assert placements[0] == Placement(1, "orphaned", None, None)
    assert placements[1].kind == "exact"
    assert placements[1].start == new.rindex("the snow kept")


def test_everything_deleted_orphans_everything() -> None:
    anchors = make_anchors(OLD, 20, seed=2)
    assert {p.kind for p in reanchor(OLD, "", anchors)} == {"orphaned"}
    assert {p.kind for p in reanchor(OLD, "Something else entirely.", anchors)} == {"orphaned"}


def test_a_stale_offset_is_corrected_from_the_stored_quote() -> None:
    anchor = anchor_on(OLD, "tea was bitter")
    stale = Anchor(1, anchor.start - 3, anchor.end - 3, anchor.quote)
    new = "Preface\n\n" + OLD
    placement = reanchor(OLD, new, [stale])[0]
    assert (placement.kind, text_of(new, placement)) == ("exact", "tea was bitter")


def test_emoji_and_combining_marks_count_as_code_points() -> None:
    old = "Café 👩‍👩‍👧 nights.\n\nShe smiled 😊 at him.\n"
    new = "Pre 🎉 face.\n\n" + old.replace("smiled", "grinned")
    placements = reanchor(old, new, [anchor_on(old, "👩‍👩‍👧 nights", 1), anchor_on(old, "She smiled 😊", 2)])
    assert (placements[0].kind, text_of(new, placements[0])) == ("exact", "👩‍👩‍👧 nights")
    assert (placements[1].kind, text_of(new, placements[1])) == ("changed", "She grinned 😊")


def test_alignment_maps_offsets_of_surviving_characters_for_zones() -> None:
    new = "Notes\n\n" + OLD.replace("They talked about the war until dawn.\n\n", "")
    alignment = Alignment.between(OLD, new)
    chapter_2 = OLD.index("Chapter 2")
    assert alignment.map_offset(chapter_2) == new.index("Chapter 2")
    assert alignment.map_offset(OLD.index("talked")) is None
    assert alignment.place(chapter_2, chapter_2 + 9, "Chapter 2").kind == "exact"


# -- generated edits over the seed works and a multi-chapter AO3 work ---------------------------


def scored(text: str, kinds: list[str], seed: int, anchors: int = 300) -> Score:
    edited = edit(text, kinds, seed)
    placed_on = make_anchors(text, anchors, seed)
    placements = reanchor(text, edited.text, placed_on)
    return score(placed_on, placements, truth(edited, placed_on), edited.text)


def combined(scores: list[Score]) -> Score:
    total = Score()
    for one in scores:
        total.total += one.total
        total.exact_truth += one.exact_truth
        total.exact_right += one.exact_right
        total.wrong_exact += one.wrong_exact
        total.changed_off_target += one.changed_off_target
        for key, count in one.confusion.items():
            total.confusion[key] = total.confusion.get(key, 0) + count
    return total


@pytest.mark.parametrize("kind", sorted(EDIT_KINDS))
def test_generated_edits_reattach_unchanged_text_exactly(kind: str) -> None:
    result = combined([scored(text, [kind], seed) for text in WORKS for seed in range(3)])
    assert result.exact_truth > 0
    assert result.exact_right == result.exact_truth, result.summary()
    assert result.wrong_exact == 0, result.summary()
    assert result.changed_off_target == 0, result.summary()
    assert result.recall("changed") >= 0.95, result.summary()
    assert result.precision("changed") >= 0.95, result.summary()
    assert result.recall("orphaned") >= 0.8, result.summary()
    assert result.precision("orphaned") >= 0.8, result.summary()


@pytest.mark.parametrize("seed", range(4))
def test_every_edit_kind_at_once_on_the_ao3_work(seed: int) -> None:
    result = scored(AO3_WORK, sorted(EDIT_KINDS), seed, anchors=1000)
    assert result.exact_right == result.exact_truth, result.summary()
    assert result.wrong_exact == 0, result.summary()
    assert result.changed_off_target == 0, result.summary()
    assert result.total - result.exact_truth > 50  # the edits really touched annotations
    assert result.recall("changed") >= 0.9, result.summary()
    assert result.precision("orphaned") >= 0.75, result.summary()


def test_a_new_chapter_of_the_real_ao3_work() -> None:
    if not REAL_AO3.exists():
        pytest.skip(f"the real AO3 sample is not available at {REAL_AO3}")
    from annotator.io.ao3_html import read_ao3_html

    text = read_ao3_html(REAL_AO3.read_bytes(), REAL_AO3.name).text
    for seed in range(3):
        result = scored(text, ["append_chapters", "fix_typos", "move_scene", "change_notes"], seed, 500)
        assert result.exact_right == result.exact_truth, result.summary()
        assert result.wrong_exact == 0, result.summary()
