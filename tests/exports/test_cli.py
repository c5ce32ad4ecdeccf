"""``ocr-gateway export`` over a real SQLite database file."""

from __future__ import annotations

import asyncio
import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from ocr_gateway import cli
from ocr_gateway.db.engine import Database
from ocr_gateway.db.models import Job, JobGroup
from ocr_gateway.processing.builtin_templates import GENERIC_INVOICE_TEMPLATE
from ocr_gateway.settings import Settings, get_settings
from tests.exports.factories import complete_data, field
from tests.exports.schemas import assert_valid_cii, assert_valid_ubl

UNKNOWN = "60f7b1b3e4b0e8b3f8b3f8b4"


@pytest.fixture
def database_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    url = f"sqlite+aiosqlite:///{tmp_path / 'data' / 'gateway.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    get_settings.cache_clear()
    yield url
    get_settings.cache_clear()


@pytest.fixture
def group(database_url: str) -> tuple[str, list[str]]:
    """A migrated database with a group of three jobs (the last cannot make an e-invoice)."""
    assert cli.main(["migrate"]) == 0
    return asyncio.run(_fill(database_url))


async def _fill(url: str) -> tuple[str, list[str]]:
    db = Database(Settings(database_url=url))
    template = str(GENERIC_INVOICE_TEMPLATE["id"])
    buyer = {"buyer": {"name": "Acme Buying Ltd", "country": "GB"}}
    datasets = [
        complete_data(),
        complete_data(
            vendorName=field("Ørsted A/S"),
            total=field("-119.00"),
            subtotal=field("-100.00"),
            tax=field("-19.00"),
        ),
        complete_data(invoiceNumber=None, vendorName=field("@SUM(A1:A9)")),
    ]
    async with db.sessionmaker() as session:
        row = JobGroup(name="January", template_id=template, metadata_=buyer)
        session.add(row)
        await session.flush()
        jobs = []
        for number, data in enumerate(datasets):
            job = Job(group_id=row.id, template_id=template, name=f"inv-{number}.pdf",
                      status="completed", invoice_data=data)  # fmt: skip
            session.add(job)
            await session.flush()
            jobs.append(job.id)
        await session.commit()
        group_id = row.id
    await db.dispose()
    return group_id, jobs


def test_csv_goes_to_stdout(
    group: tuple[str, list[str]], capsys: pytest.CaptureFixture[str]
) -> None:
    group_id, jobs = group
    assert cli.main(["export", "--group", group_id, "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [r["jobId"] for r in rows] == jobs
    assert rows[2]["vendorName"] == "'@SUM(A1:A9)"
    assert rows[1]["vendorName"] == "Ørsted A/S"


def test_json_goes_to_a_file_in_out(
    group: tuple[str, list[str]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    group_id, jobs = group
    out = tmp_path / "exports"
    assert cli.main(["export", "--group", group_id, "--format", "json", "--out", str(out)]) == 0
    written = out / f"{group_id}.json"
    assert [o["jobId"] for o in json.loads(written.read_text(encoding="utf-8"))] == jobs
    assert str(written) in capsys.readouterr().err


@pytest.mark.parametrize("format", ["ubl", "cii"])
def test_xml_is_one_file_per_job_and_the_incomplete_job_is_reported(
    group: tuple[str, list[str]], tmp_path: Path, format: str, capsys: pytest.CaptureFixture[str]
) -> None:
    group_id, jobs = group
    out = tmp_path / format
    assert cli.main(["export", "--group", group_id, "--format", format, "--out", str(out)]) == 1
    files = sorted(p.name for p in out.iterdir())
    assert files == sorted(f"{job}.{format}.xml" for job in jobs[:2])
    check = assert_valid_ubl if format == "ubl" else assert_valid_cii
    for job in jobs[:2]:
        check((out / f"{job}.{format}.xml").read_bytes())
    captured = capsys.readouterr()
    assert "wrote 2 of 3 jobs" in captured.out
    assert f"job {jobs[2]} cannot be exported" in captured.err
    assert "invoiceNumber: missing" in captured.err
    assert "Traceback" not in captured.err


def test_xml_needs_an_out_directory(
    group: tuple[str, list[str]], capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["export", "--group", group[0], "--format", "ubl"]) == 2
    assert "give --out DIR" in capsys.readouterr().err


@pytest.mark.usefixtures("group")
@pytest.mark.parametrize("id", [UNKNOWN, "not-an-id"])
def test_an_unknown_group_is_exit_2_with_a_message(
    id: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["export", "--group", id, "--format", "csv"]) == 2
    error = capsys.readouterr().err
    assert f"no job group with id {id!r}" in error
    assert "Traceback" not in error


@pytest.mark.usefixtures("database_url")
def test_no_database_names_migrate(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["export", "--group", UNKNOWN, "--format", "csv"]) == 1
    assert "run `ocr-gateway migrate`" in capsys.readouterr().err


def test_a_bad_format_is_refused_by_the_parser(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        cli.main(["export", "--group", UNKNOWN, "--format", "xlsx"])
    assert exit_.value.code == 2
    assert "invalid choice: 'xlsx'" in capsys.readouterr().err
