"""Reading order: engine text runs -> words and lines."""

from __future__ import annotations

import itertools

from ocr_gateway.processing.layout import TextRun, box_of_points, group_lines, split_words


def test_runs_are_split_into_words_sharing_the_box() -> None:
    words = split_words(TextRun("Invoice No: INV_1", 0.8, (100, 10, 270, 30)))
    assert [w.text for w in words] == ["Invoice", "No:", "INV_1"]
    assert words[0].box[0] == 100
    assert words[-1].box[2] == 270
    assert all(w.box[1:4:2] == (10, 30) for w in words)
    assert all(a.box[2] <= b.box[0] for a, b in itertools.pairwise(words))
    assert {w.confidence for w in words} == {0.8}


def test_lines_top_to_bottom_words_left_to_right() -> None:
    runs = [
        TextRun("$12.00", 0.9, (900, 102, 990, 124)),
        TextRun("Total", 0.9, (100, 100, 170, 125)),
        TextRun("Northwind", 0.9, (100, 10, 300, 50)),
        TextRun("INVOICE", 0.9, (900, 12, 1100, 52)),
    ]
    lines = group_lines(runs)
    assert [line.text for line in lines] == ["Northwind INVOICE", "Total $12.00"]
    assert lines[1].box == (100, 100, 990, 125)


def test_neighbouring_lines_stay_apart() -> None:
    runs = [TextRun("one", 1.0, (0, 0, 50, 20)), TextRun("two", 1.0, (0, 14, 50, 34))]
    assert [line.text for line in group_lines(runs)] == ["one", "two"]


def test_empty_runs_are_dropped() -> None:
    assert group_lines([TextRun("  ", 0.5, (0, 0, 10, 10))]) == []


def test_box_of_points_undoes_a_resize() -> None:
    assert box_of_points([[10, 20], [50, 20], [50, 40], [10, 40]], scale=0.5) == (20, 40, 100, 80)
