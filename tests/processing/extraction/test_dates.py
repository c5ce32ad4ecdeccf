"""Dates in many languages and formats, with the day/month order taken from the page."""

from __future__ import annotations

import pytest

from ocr_gateway.processing.extraction.dates import find_dates, order_votes


def dates(text: str, *, day_first: bool = True) -> list[str]:
    return [d.iso for d in find_dates(text, day_first=day_first)]


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("2024-03-05", "2024-03-05"),
        ("05.03.2024", "2024-03-05"),
        ("5/3/24", "2024-03-05"),
        ("05-03-2024", "2024-03-05"),
        ("2024/03/05", "2024-03-05"),
        ("28 déc. 2022", "2022-12-28"),
        ("28 dec 2022", "2022-12-28"),
        ("5. März 2024", "2024-03-05"),
        ("11. Juli 2014", "2014-07-11"),
        ("02 APR 2018", "2018-04-02"),
        ("28-Dec-2022", "2022-12-28"),
        ("1er janvier 2024", "2024-01-01"),
        ("5 de marzo de 2024", "2024-03-05"),
        ("7 de julho de 2024", "2024-07-07"),
        ("31 maart 2024", "2024-03-31"),
        ("3 ottobre 2023", "2023-10-03"),
        ("Dec 28, 2022", "2022-12-28"),
        ("October 31st 2023", "2023-10-31"),
        ("13 Sep, 2022", "2022-09-13"),
    ],
)
def test_formats(text: str, iso: str) -> None:
    assert dates(f"Date: {text} ") == [iso]


def test_the_page_order_decides_an_ambiguous_date() -> None:
    assert dates("02/01/2019", day_first=True) == ["2019-01-02"]
    assert dates("02/01/2019", day_first=False) == ["2019-02-01"]


def test_a_date_that_can_only_be_read_one_way_is_read_that_way() -> None:
    assert dates("25/12/2023", day_first=False) == ["2023-12-25"]
    assert dates("12/25/2023", day_first=True) == ["2023-12-25"]


def test_two_digit_years() -> None:
    assert dates("20/06/18") == ["2018-06-20"]
    assert dates("01.02.99") == ["1999-02-01"]


def test_no_date_without_a_day_and_no_impossible_date() -> None:
    assert dates("March 2024") == []
    assert dates("31.02.2024") == []
    assert dates("Tel 03-9221345") == []


def test_a_time_after_the_date_is_left_alone() -> None:
    assert dates("09/01/2019 8:01:11 PM") == ["2019-01-09"]


def test_order_votes_ignore_times_and_iso_dates() -> None:
    assert order_votes("25/12/2023 and 2023-12-25") == (1, 0)
    assert order_votes("12/25/2023") == (0, 1)
    assert order_votes("Time: 09.28.00") == (0, 0)


def test_a_separator_ocr_doubled_counts_once() -> None:
    from ocr_gateway.processing.extraction.dates import find_dates

    assert [d.iso for d in find_dates("Date 05--03-2018 19:02:50", day_first=True)] == [
        "2018-03-05"
    ]
    assert [d.iso for d in find_dates("12--2018", day_first=True)] == []


def test_a_price_after_a_month_like_word_is_no_date() -> None:
    # "set" is September in Italian and Portuguese; "SET 12.90" is a set meal's price.
    assert dates("SET A 12.90") == []
    assert dates("set 12, 2024") == ["2024-09-12"]


def test_a_slash_or_dash_with_spaces_around_it_separates_a_date() -> None:
    # Invoice design tools print "22 / 11 / 2024"; the spacing must be the same on both sides.
    assert dates("Invoice date 22 / 11 / 2024") == ["2024-11-22"]
    assert dates("2024 - 03 - 05") == ["2024-03-05"]
    assert dates("Page 1 / 2") == []
    assert dates("22 / 11/2024") == []
    assert dates("Tel 03 - 78 - 1234") == []
