"""CSV and JSON exports: one row per job, stable columns, safe in a spreadsheet."""

from __future__ import annotations

import csv
import dataclasses
import io
import json

import pytest

from ocr_gateway.exports import ExportFormat, export_document, export_table
from ocr_gateway.exports.tabular import safe_cell
from tests.exports.factories import complete_data, export_job, field

HEAD = [
    "jobId",
    "jobName",
    "status",
    "groupId",
    "possibleDuplicateOf",
    "documentType",
    "invoiceNumber",
    "invoiceNumberConfidence",
]


def rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_csv_has_one_row_per_job_with_value_confidence_and_review() -> None:
    low = complete_data(total=field("1 190,00", "1190.00", confidence=0.31))
    jobs = [export_job(id="a" * 24), export_job(low, id="b" * 24, name="second.png")]
    text = export_table(jobs, ExportFormat.csv)
    header = next(csv.reader(io.StringIO(text)))
    assert header[:8] == HEAD
    assert header[-3:] == ["vendorName", "vendorNameConfidence", "vendorNameNeedsReview"]
    first, second = rows(text)
    assert first["jobId"] == "a" * 24
    assert first["possibleDuplicateOf"] == ""
    assert first["invoiceDate"] == "2024-01-31"
    assert first["total"] == "1190.00"
    assert first["totalConfidence"] == "0.93"
    assert first["totalNeedsReview"] == "false"
    assert (second["jobName"], second["totalConfidence"], second["totalNeedsReview"]) == (
        "second.png",
        "0.31",
        "true",
    )
    assert text.endswith("\r\n")
    assert text.count("\r\n") == 3


def test_columns_are_stable_whatever_fields_the_jobs_have() -> None:
    partial = export_job({"total": field("5.00")}, id="c" * 24)
    extra = export_job(complete_data(orderNumber=field("PO-7"), buyerName=field("Acme")))
    one = next(csv.reader(io.StringIO(export_table([partial], ExportFormat.csv))))
    both = next(csv.reader(io.StringIO(export_table([partial, extra], ExportFormat.csv))))
    assert one == both[: len(one)]
    assert both[len(one) :] == [
        "buyerName",
        "buyerNameConfidence",
        "buyerNameNeedsReview",
        "orderNumber",
        "orderNumberConfidence",
        "orderNumberNeedsReview",
    ]
    row = rows(export_table([partial], ExportFormat.csv))[0]
    assert (row["invoiceNumber"], row["invoiceNumberNeedsReview"]) == ("", "")


@pytest.mark.parametrize(
    "hostile",
    [
        '=HYPERLINK("http://evil.example","x")',
        "+1+cmd|' /C calc'!A0",
        "-2+3",
        "@SUM(1+1)*cmd|' /C calc'!A0",
        "\t=1+1",
        "\r=1+1",
        "\uff1d1+1",  # a full-width equals sign
    ],
)
def test_formula_injection_is_defused(hostile: str) -> None:
    job = export_job(complete_data(vendorName=field(hostile)), name=hostile)
    row = rows(export_table([job], ExportFormat.csv))[0]
    assert row["vendorName"] == "'" + hostile
    assert row["jobName"] == "'" + hostile


def test_plain_numbers_stay_numbers() -> None:
    assert safe_cell("-12.50") == "-12.50"
    assert safe_cell(-0.5) == "-0.5"
    assert safe_cell("-12.50+1") == "'-12.50+1"


def test_every_csv_cell_is_quoted() -> None:
    text = export_table([export_job()], ExportFormat.csv)
    for line in text.strip().split("\r\n"):
        assert line.startswith('"')
        assert line.endswith('"')


def test_non_ascii_survives_csv_and_json() -> None:
    job = export_job(complete_data(vendorName=field("Ørsted — Zürich 東京")))
    assert rows(export_table([job], ExportFormat.csv))[0]["vendorName"] == "Ørsted — Zürich 東京"
    text = export_table([job], ExportFormat.json)
    assert "Ørsted — Zürich 東京" in text
    assert json.loads(text)[0]["vendorName"] == "Ørsted — Zürich 東京"


def test_json_has_the_same_columns_in_the_same_order_with_typed_values() -> None:
    jobs = [export_job(), export_job({"total": field("-5.00")}, id="d" * 24)]
    objects = json.loads(export_table(jobs, ExportFormat.json))
    header = next(csv.reader(io.StringIO(export_table(jobs, ExportFormat.csv))))
    assert [list(o) for o in objects] == [header, header]
    assert objects[0]["totalConfidence"] == 0.93
    assert objects[0]["totalNeedsReview"] is False
    assert objects[1]["total"] == "-5.00"
    assert objects[1]["invoiceNumber"] is None
    assert objects[1]["invoiceNumberNeedsReview"] is None


def test_json_keeps_hostile_text_as_it_is() -> None:
    job = export_job(complete_data(vendorName=field("=1+1")))
    assert json.loads(export_table([job], ExportFormat.json))[0]["vendorName"] == "=1+1"


def test_an_empty_group_is_a_header_or_an_empty_array() -> None:
    assert export_table([], ExportFormat.csv).startswith('"jobId","jobName"')
    assert json.loads(export_table([], ExportFormat.json)) == []


def test_a_value_without_a_normalised_form_is_shown_as_printed() -> None:
    job = export_job({"vendorName": {"value": "ACME", "normalizedValue": None, "confidence": 0.7}})
    assert rows(export_table([job], ExportFormat.csv))[0]["vendorName"] == "ACME"


def test_the_duplicate_flag_is_a_column_of_csv_and_json_and_never_in_the_xml() -> None:
    earlier = "e" * 24
    job = dataclasses.replace(export_job(), possible_duplicate_of=earlier)
    assert rows(export_table([job], ExportFormat.csv))[0]["possibleDuplicateOf"] == earlier
    [obj] = json.loads(export_table([job], ExportFormat.json))
    assert obj["possibleDuplicateOf"] == earlier
    for xml in (ExportFormat.ubl, ExportFormat.cii):
        assert earlier.encode() not in export_document(job, xml)
