"""``ocr-gateway import`` in-process (``cli.main``) over a folder the test made, on SQLite
and PostgreSQL: jobs and pages through the API's document code, bad files reported and the
run going on, re-runs skipping by content, clear errors that change nothing."""

from __future__ import annotations

import asyncio
import signal
from pathlib import Path

import pytest

from ocr_gateway import cli
from ocr_gateway.db.engine import Database
from ocr_gateway.db.models import JobGroup
from ocr_gateway.processing.builtin_templates import GENERIC_INVOICE_TEMPLATE
from ocr_gateway.settings import Settings
from tests.bulk_import.conftest import invoice_pdf, rows
from tests.support.pdfs import empty_pdf, text_pdf

GENERIC = str(GENERIC_INVOICE_TEMPLATE["id"])


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[str], str]:
    status = cli.main(["import", *args])
    captured = capsys.readouterr()
    return status, captured.out.splitlines(), captured.err


def test_a_folder_becomes_a_job_per_file_and_a_page_per_pdf_page(
    database_url: str, inbox: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, _out, err = run(capsys, str(inbox), "--group", "March invoices")
    assert status == 1, err  # the broken file
    found = rows(database_url)
    assert [(g.name, g.template_id) for g in found.groups] == [("March invoices", GENERIC)]
    assert [(j.name, j.source_file_name) for j in found.jobs] == [
        ("b.pdf", f"{inbox}/2026/03/b.pdf"),
        ("a.pdf", f"{inbox}/a.pdf"),
        ("scan.png", f"{inbox}/scan.png"),
    ]
    assert {j.group_id for j in found.jobs} == {found.groups[0].id}
    assert [p.page_url for p in found.pages] == [
        f"file://{inbox}/2026/03/b.pdf#page=1",
        f"file://{inbox}/a.pdf#page=1",
        f"file://{inbox}/a.pdf#page=2",
        f"file://{inbox}/scan.png",
    ]
    assert {p.status for p in found.pages} == {"pending"}
    assert sorted(d.content_type for d in found.documents) == [
        "application/pdf",
        "application/pdf",
        "image/png",
    ]
    assert all(p.document_id for p in found.pages)


def test_the_output_has_a_line_per_file_and_the_summary(
    database_url: str, inbox: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _status, out, _err = run(capsys, str(inbox), "--group", "March")
    assert out[0].startswith("created job group 'March' (")
    assert out[1:3] == ["importing 4 files", f"ignored {inbox}/notes.txt"]
    assert out[3].startswith(f"[1/4] imported {inbox}/2026/03/b.pdf: 1 page, job ")
    assert out[4].startswith(f"[2/4] imported {inbox}/a.pdf: 2 pages, job ")
    assert out[5] == (
        f"[3/4] failed {inbox}/broken.pdf: is not a readable PDF document (damaged or truncated)"
    )
    assert out[6].startswith(f"[4/4] imported {inbox}/scan.png: 1 page, job ")
    assert out[7:] == [
        "imported 3 files (4 pages), skipped 0 (already imported), failed 1, "
        "ignored 1 (not a PDF or an image)"
    ]


def test_a_rerun_skips_every_file_already_imported(
    database_url: str, inbox: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (inbox / "broken.pdf").unlink()
    assert run(capsys, str(inbox), "--group", "March")[0] == 0
    before = rows(database_url)
    status, out, _err = run(capsys, str(inbox), "--group", "March")
    assert status == 0
    assert out[0] == f"importing into job group 'March' ({before.groups[0].id})"
    jobs = {j.source_file_name: j.id for j in before.jobs}
    assert f"[2/3] skipped {inbox}/a.pdf: already imported as job {jobs[f'{inbox}/a.pdf']}" in out
    assert out[-1].startswith("imported 0 files (0 pages), skipped 3 (already imported), failed 0")
    after = rows(database_url)
    assert [j.id for j in after.jobs] == [j.id for j in before.jobs]
    assert len(after.pages) == len(before.pages)


def test_the_same_content_under_another_name_is_skipped_but_another_group_imports_it(
    database_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "copies"
    folder.mkdir()
    for name in ("one.pdf", "copy-of-one.pdf"):
        (folder / name).write_bytes(invoice_pdf("INV-9"))
    status, out, _err = run(capsys, str(folder), "--group", "April")
    assert status == 0
    assert out[-1].startswith("imported 1 files (1 pages), skipped 1 (already imported)")
    assert run(capsys, str(folder), "--group", "Audit")[0] == 0
    found = rows(database_url)
    assert len(found.jobs) == 2
    assert len(found.documents) == 1  # stored once, whichever group it went to


def test_each_bad_file_is_reported_with_its_reason_and_the_run_goes_on(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "1-locked.pdf").write_bytes(text_pdf([[(20, 20, "secret", 12)]], encrypt="pw"))
    (folder / "2-empty.pdf").write_bytes(empty_pdf())
    (folder / "3-fake.png").write_text("this is not an image")
    (folder / "4-huge.pdf").write_bytes(invoice_pdf("INV-HUGE") + b"\n%" + b"x" * 20_000)
    (folder / "5-good.pdf").write_bytes(invoice_pdf("INV-GOOD"))
    monkeypatch.setenv("OCR_GATEWAY_FETCH_MAX_BYTES", "16000")
    from ocr_gateway.settings import get_settings

    get_settings.cache_clear()
    status, out, _err = run(capsys, str(folder), "--group", "Bad")
    assert status == 1
    reasons = {line.split(": ", 1)[0].split()[-1]: line.split(": ", 1)[1] for line in out[2:-1]}
    assert reasons[f"{folder}/1-locked.pdf"].startswith("the PDF is encrypted")
    assert reasons[f"{folder}/2-empty.pdf"] == "the PDF has no pages"
    assert reasons[f"{folder}/3-fake.png"].startswith("the document is neither a PDF nor an image")
    assert reasons[f"{folder}/4-huge.pdf"].startswith("is 2")
    assert (
        "more than the limit of 16000 (OCR_GATEWAY_FETCH_MAX_BYTES)"
        in reasons[f"{folder}/4-huge.pdf"]
    )
    assert reasons[f"{folder}/5-good.pdf"].startswith("1 page, job ")
    assert "failed 4" in out[-1]
    assert [j.name for j in rows(database_url).jobs] == ["5-good.pdf"]


def test_an_unknown_template_is_a_clear_error_that_creates_nothing(
    database_url: str, inbox: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    unknown = "60f7b1b3e4b0e8b3f8b3f8b4"
    status, out, err = run(capsys, str(inbox), "--group", "March", "--template", unknown)
    assert status == 2
    assert err.strip() == f"error: --template: no template with id {unknown!r}"
    assert out == []
    found = rows(database_url)
    assert (found.groups, found.jobs) == ([], [])


def test_a_template_given_goes_on_the_new_group_and_its_jobs(
    database_url: str, inbox: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (inbox / "broken.pdf").unlink()
    assert run(capsys, str(inbox), "--group", "March", "--template", GENERIC)[0] == 0
    found = rows(database_url)
    assert {j.template_id for j in found.jobs} == {GENERIC} == {found.groups[0].template_id}


def test_a_name_two_groups_share_is_refused(
    database_url: str, inbox: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ids = asyncio.run(_two_groups(database_url, "Twins"))
    status, _out, err = run(capsys, str(inbox), "--group", "Twins")
    assert status == 2
    assert f"error: --group: 2 job groups are named 'Twins' ({', '.join(sorted(ids))})" in err
    assert rows(database_url).jobs == []


async def _two_groups(url: str, name: str) -> list[str]:
    db = Database(Settings(database_url=url))
    async with db.sessionmaker() as session:
        groups = [JobGroup(name=name, template_id=GENERIC) for _ in range(2)]
        session.add_all(groups)
        await session.commit()
        ids = [g.id for g in groups]
    await db.dispose()
    return ids


@pytest.mark.usefixtures("database_url")
def test_a_path_that_does_not_exist_is_refused_before_anything(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, _out, err = run(capsys, str(tmp_path / "nowhere"), "--group", "March")
    assert status == 2
    assert err.strip() == f"error: {tmp_path / 'nowhere'}: no such file or folder"


@pytest.mark.usefixtures("default_sigint")
def test_a_ctrl_c_while_a_file_is_imported_lets_it_commit_and_stops_before_the_next(
    database_url: str, inbox: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    # The SIGINT handler the command installs sets a flag the loop reads between files: a
    # cancellation alone could be absorbed by a library's cleanup and the run go on.
    from ocr_gateway.bulk_import import run as run_module

    original = run_module.Run._import_file
    calls = []

    async def ctrl_c_during_the_second(self, db, group, candidate, queue):  # type: ignore[no-untyped-def]
        calls.append(candidate.shown)
        if len(calls) == 2:
            signal.raise_signal(signal.SIGINT)  # the handler runs here, in the main thread
        await original(self, db, group, candidate, queue)

    monkeypatch.setattr(run_module.Run, "_import_file", ctrl_c_during_the_second)
    status, out, err = run(capsys, str(inbox), "--group", "March")
    assert status == 130
    assert len(calls) == 2
    assert out[-1].startswith("interrupted: imported 2 files")
    assert "the same command continues" in err
    assert len(rows(database_url).jobs) == 2
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler  # put back


def test_ctrl_c_keeps_what_was_imported_and_a_rerun_continues(
    database_url: str, inbox: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    from ocr_gateway.bulk_import import run as run_module

    original = run_module.Run._import_file
    calls = []

    async def interrupted_at_the_second(self, db, group, candidate, queue):  # type: ignore[no-untyped-def]
        calls.append(candidate.shown)
        if len(calls) == 2:
            raise KeyboardInterrupt
        await original(self, db, group, candidate, queue)

    monkeypatch.setattr(run_module.Run, "_import_file", interrupted_at_the_second)
    status, out, err = run(capsys, str(inbox), "--group", "March")
    assert status == 130
    assert out[-1].startswith("interrupted: imported 1 files (1 pages)")
    assert "the same command continues" in err
    assert [j.name for j in rows(database_url).jobs] == ["b.pdf"]
    monkeypatch.setattr(run_module.Run, "_import_file", original)
    status, out, _err = run(capsys, str(inbox), "--group", "March")
    assert out[-1].startswith("imported 2 files (3 pages), skipped 1 (already imported), failed 1")
