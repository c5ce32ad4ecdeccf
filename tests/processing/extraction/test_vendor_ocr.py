"""A receipt's company line read back from OCR's misreads of letters and points."""

from __future__ import annotations

import pytest

from ocr_gateway.processing.builtin_templates import GENERIC_INVOICE_TEMPLATE
from ocr_gateway.processing.extraction import extract_fields
from ocr_gateway.processing.extraction.vendor_ocr import repaired
from ocr_gateway.processing.result import OcrLine, OcrResult, OcrWord
from tests.support.pages import Row, page_of


def vendor(*rows: object) -> str | None:
    found = extract_fields(page_of(list(rows)), GENERIC_INVOICE_TEMPLATE).values()  # type: ignore[arg-type]
    return found.get("vendorName")


@pytest.mark.parametrize(
    ("read", "meant"),
    [
        ("KEDAI MAJU SLn BHD", "KEDAI MAJU SDN BHD"),
        ("KEDAI MAJU SDw BHD", "KEDAI MAJU SDN BHD"),
        ("KEDAI MAJU SDN 8HD", "KEDAI MAJU SDN BHD"),
        ("Kedai Maju Sdn Bhq", "Kedai Maju Sdn Bhd"),
    ],
)
def test_the_legal_form_one_letter_off(read: str, meant: str) -> None:
    assert repaired(read) == meant


@pytest.mark.parametrize(
    ("read", "meant"),
    [
        ("BINTANG STATIQNERY", "BINTANG STATIONERY"),
        ("BINTANG HARDWAKE", "BINTANG HARDWARE"),
        ("LIM ENTERRBISE", "LIM ENTERPRISE"),
        ("Lim Enterpr1se", "Lim Enterprise"),
        ("TAN BQdks", "TAN Books"),  # two look-alikes (Q/O, d/O) in five letters
    ],
)
def test_legal_and_business_words_with_letters_misread(read: str, meant: str) -> None:
    assert repaired(read) == meant


@pytest.mark.parametrize(
    "name",
    [
        "THE STORY CAFE",  # five letters, one letter off "store": a real word, not a look-alike
        "SEA MOTEL",  # one letter off "motor": not a look-alike
        "BINTANG STATIONERS",  # another ending: a word of its own
        "HARDLINE TRADERS",  # three letters off "hardware"
        "ENTERTAIN MAJU",  # the first letters right but too many off
    ],
)
def test_other_words_stay(name: str) -> None:
    assert repaired(name) == name


@pytest.mark.parametrize(
    ("read", "meant"),
    [
        ("MENTAI SDN, BHD,", "MENTAI SDN. BHD."),
        ("MENTAI SDN. BHD", "MENTAI SDN. BHD"),  # printed so as often as "SDN. BHD."
        ("Segi Maju Sdn. Bhd:", "Segi Maju Sdn. Bhd."),
        ("MR D.I.Y (Johor) SDN BHD", "MR D.I.Y. (Johor) SDN BHD"),
        ("MR; D,I.y, (M) SDN BHD", "MR. D.I.y. (M) SDN BHD"),
        ("KEDAI MAJU SDN BHD", "KEDAI MAJU SDN BHD"),
    ],
)
def test_abbreviation_points_misread(read: str, meant: str) -> None:
    assert repaired(read) == meant


def test_the_receipt_vendor_is_read_back_whole() -> None:
    assert (
        vendor(
            Row("MIZU MENTAI SDN , BHD , (1248446-V)", height=32),
            "NO: 1-182 GROUND FLOOR,",
            "43200 CHERAS SELANGOR",
            "Tax Invoice",
        )
        == "MIZU MENTAI SDN. BHD."
    )


def test_a_misread_legal_form_still_names_the_shop() -> None:
    assert (
        vendor(
            Row("TRI SENTOSA SLn BHD", height=32),
            "(123456-X)",
            "12 JALAN MAJU 3, 43000 KAJANG",
        )
        == "TRI SENTOSA SDN BHD"
    )


def test_a_legal_form_in_a_cell_of_its_own_completes_the_name() -> None:
    assert (
        vendor(
            Row([(60, "KEDAI LIM ENTERPRISE"), (700, "SDN BHD")], height=32),
            "(123456-X)",
            "12 JALAN MAJU 3, 43000 KAJANG",
        )
        == "KEDAI LIM ENTERPRISE SDN BHD"
    )


def test_a_detection_inside_another_word_is_noise() -> None:
    name = [
        OcrWord("KEDAI", 0.9, (60, 60, 160, 92)),
        OcrWord("ENTERPRISE", 0.9, (170, 56, 420, 100)),
        OcrWord("(1", 0.99, (260, 80, 290, 96)),  # inside "ENTERPRISE"
        OcrWord("SDN", 0.99, (560, 60, 630, 92)),
        OcrWord("BHD", 0.99, (640, 60, 710, 92)),
    ]
    address = [
        OcrWord(
            w,
            0.9,
            (60 + 90 * i, 140, 140 + 90 * i, 164),
        )
        for i, w in enumerate(["12", "JALAN", "MAJU"])
    ]
    result = OcrResult.of(
        [OcrLine.of(name), OcrLine.of(address)], width=1240, height=1754, timings={}
    )
    found = extract_fields(result, GENERIC_INVOICE_TEMPLATE).values()  # type: ignore[arg-type]
    assert found.get("vendorName") == "KEDAI ENTERPRISE SDN BHD"


@pytest.mark.parametrize("name", ["Rossi Forniture", "Müller Hardwaren", "Papeterie Stationnaire"])
def test_a_name_in_upper_and_lower_case_keeps_words_of_other_languages(name: str) -> None:
    assert repaired(name) == name


def test_an_underscore_between_letters_is_a_space() -> None:
    assert repaired("KEDAI_MAJU SDN BHD") == "KEDAI MAJU SDN BHD"
    assert repaired("LOGAM JAYA HARDWARE_SDN BHD") == "LOGAM JAYA HARDWARE SDN BHD"


def test_a_comma_inside_a_capitals_legal_name_is_a_speck() -> None:
    assert repaired("SINAR, CAHAYA SDN BHD") == "SINAR CAHAYA SDN BHD"


def test_a_comma_stays_in_a_name_without_a_legal_form_or_in_mixed_case() -> None:
    assert repaired("ALPHA, BETA TRADING") == "ALPHA, BETA TRADING"
    assert repaired("Sinar, Cahaya Sdn Bhd") == "Sinar, Cahaya Sdn Bhd"


@pytest.mark.parametrize(
    ("read", "meant"),
    [
        ("LIM KEE STATIONERY E BOoks", "LIM KEE STATIONERY & BOOKS"),
        ("TAn HUAT HARDWARE", "TAN HUAT HARDWARE"),
        ("E MART SDN BHD", "E MART SDN BHD"),  # an initial stands first
        ("Kedai Buku E Sdn Bhd", "Kedai Buku E Sdn Bhd"),  # not a name in capitals
        ("Lim Kee Stationery", "Lim Kee Stationery"),
    ],
)
def test_case_misread_in_a_name_in_capitals(read: str, meant: str) -> None:
    assert repaired(read) == meant


@pytest.mark.parametrize(
    ("read", "meant"),
    [
        ("PAPA JOE 'S PIZZA", "PAPA JOE'S PIZZA"),
        ("MAMA ROSA '$ KITCHEN", "MAMA ROSA'S KITCHEN"),
        ("LUCKY '5 CAFE", "LUCKY'S CAFE"),
        ("Joe 's Diner", "Joe 's Diner"),  # not a name in capitals
    ],
)
def test_a_possessive_ocr_set_apart_goes_back_onto_its_word(read: str, meant: str) -> None:
    assert repaired(read) == meant


@pytest.mark.parametrize(
    ("read", "meant"),
    [
        ("SINAR JAYA MART S/8", "SINAR JAYA MART S/B"),
        ("SINAR JAYA MART S/8 (123456-X)", "SINAR JAYA MART S/B (123456-X)"),
        ("S/8 ROAD", "S/8 ROAD"),  # not after a name
    ],
)
def test_the_legal_form_s_b_with_its_b_read_as_an_eight(read: str, meant: str) -> None:
    assert repaired(read) == meant


def test_a_document_title_joins_no_name_above_it() -> None:
    # a logo read as "12(a" (an open bracket) over the title: no name goes on into the title
    rows = (
        Row("12(a", height=48),
        "TAX IHVOICE",
        Row("SRI MELATI", height=32),
        "GST REF NO 001234567890",
        "12 JALAN MAJU 3, 43000 KAJANG",
    )
    assert vendor(*rows) == "SRI MELATI"
