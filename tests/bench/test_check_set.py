"""The check-set builder's pure parts, on tiny archives and fixtures written here (no network)."""

from __future__ import annotations

import io
import json
import tarfile
import zipfile
from pathlib import Path
from typing import Any

import pytest

from bench.check_set import (
    EXPECTED_KEYS,
    CheckSetError,
    archive_member,
    archive_name_matches,
    build_document,
    check_expected,
    committable,
    download_command,
    expected_values,
    normalise_fixture,
    sha256,
    write_index,
)
from bench.check_set_documents import DOCUMENTS, Document, Package
from bench.extraction_accuracy import index_entries, kind_of

SDIST = Package("demo-invoices", "1.2.0", "pypi", "sdist")
PAGE = b"%PDF-1.4 a tiny stand-in for a page\n"


def _tarball(path: Path, members: dict[str, bytes]) -> Path:
    with tarfile.open(path, "w:gz") as tarred:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tarred.addfile(info, io.BytesIO(data))
    return path


def _document(**changes: Any) -> Document:
    values: dict[str, Any] = {
        "doc_id": "demo-rechnung",
        "source": "demo",
        "package": SDIST,
        "member": "demo-1.2.0/tests/rechnung.pdf",
        "sha256": sha256(PAGE),
        "kind": "digital-pdf",
        "layout": "designed",
        "language": "de",
        "synthetic": True,
        "printed": {"tax": 1.9, "vendorName": "Beispiel  GmbH"},
        "fixture": "demo-1.2.0/tests/rechnung.json",
    }
    return Document(**{**values, **changes})


FIXTURE = [
    {
        "issuer": "Beispiel template",
        "partner_name": "Beispiel GmbH",
        "invoice_number": "# RE-2024-17",
        "date": "2024-03-01",
        "amount": "11.90",
        "amount_untaxed": 10,
        "vat": "DE123456789",  # a VAT id, not the tax amount
        "currency": "EUR",
    }
]


def test_normalise_fixture_maps_invoice2data_keys() -> None:
    assert normalise_fixture(FIXTURE) == {
        "invoiceNumber": "RE-2024-17",
        "invoiceDate": "2024-03-01",
        "total": 11.9,
        "subtotal": 10.0,
        "currency": "EUR",
        "vendorName": "Beispiel GmbH",
    }


def test_normalise_fixture_uses_the_issuer_without_a_partner_name() -> None:
    assert normalise_fixture({"issuer": "Facturier SARL"}) == {"vendorName": "Facturier SARL"}


def test_normalise_fixture_refuses_a_list_of_strings() -> None:
    with pytest.raises(CheckSetError):
        normalise_fixture(["not a record"])


def test_printed_values_win_and_the_replaced_fixture_values_are_kept() -> None:
    fixture = normalise_fixture(FIXTURE)
    expected, replaced = expected_values(fixture, {"total": 11.91, "dueDate": "2024-03-31"})
    assert tuple(expected) == EXPECTED_KEYS
    assert expected["total"] == 11.91
    assert expected["dueDate"] == "2024-03-31"
    assert expected["tax"] is None  # printed nowhere: null, as in the dev set
    assert replaced == {"total": 11.9}


def test_vendor_whitespace_is_collapsed() -> None:
    expected, _ = expected_values(None, {"vendorName": "  Tienda   Ejemplo\nS.L. "})
    assert expected["vendorName"] == "Tienda Ejemplo S.L."


@pytest.mark.parametrize(
    "bad",
    [
        {"invoiceDate": "01.03.2024"},
        {"dueDate": "2024-3-1"},
        {"total": "11,90"},
        {"tax": True},
        {"currency": "€"},
    ],
)
def test_check_expected_refuses_values_outside_the_schema(bad: dict[str, Any]) -> None:
    expected = {key: None for key in EXPECTED_KEYS} | bad
    with pytest.raises(CheckSetError):
        check_expected(expected)


def test_archive_member_reads_tarballs_and_wheels(tmp_path: Path) -> None:
    tarball = _tarball(tmp_path / "demo-1.2.0.tar.gz", {"demo-1.2.0/a.pdf": PAGE})
    wheel = tmp_path / "demo-1.2.0-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as zipped:
        zipped.writestr("demo/tests/b.pdf", PAGE + b"2")
    assert archive_member(tarball, "demo-1.2.0/a.pdf") == PAGE
    assert archive_member(wheel, "demo/tests/b.pdf") == PAGE + b"2"


@pytest.mark.parametrize(
    ("package", "name", "matches"),
    [
        (Package("veryfi", "2.0.0", "pypi", "sdist"), "veryfi-2.0.0.tar.gz", True),
        (Package("veryfi", "2.0.0", "pypi", "sdist"), "veryfi-5.1.0.tar.gz", False),
        (Package("invoice2data", "0.2.4", "pypi", "sdist"), "invoice2data-0.2.40.tar.gz", False),
        (Package("rossum-api", "3.17.0", "pypi", "sdist"), "rossum_api-3.17.0.tar.gz", True),
        (
            Package("odoo14-addon-x", "14.0.1.0.0", "pypi", "wheel"),
            "odoo14_addon_x-14.0.1.0.0-py3-none-any.whl",
            True,
        ),
        (
            Package("odoo14-addon-x", "14.0.1.0.0", "pypi", "sdist"),
            "odoo14_addon_x-14.0.1.0.0-py3-none-any.whl",
            False,
        ),
        (Package("microinvoice", "1.0.6", "npm", "tarball"), "microinvoice-1.0.6.tgz", True),
    ],
)
def test_archive_name_matches_only_the_pinned_version_and_form(
    package: Package, name: str, matches: bool
) -> None:
    assert archive_name_matches(package, name) is matches


def test_download_commands_pin_the_version_and_the_form(tmp_path: Path) -> None:
    npm = download_command(Package("microinvoice", "1.0.6", "npm", "tarball"), tmp_path)
    wheel = download_command(Package("odoo14-addon-x", "14.0.1.0.0", "pypi", "wheel"), tmp_path)
    sdist = download_command(SDIST, tmp_path)
    assert npm[:3] == ["npm", "pack", "microinvoice@1.0.6"]
    assert wheel[-5:] == [
        "--only-binary",
        ":all:",
        "-d",
        str(tmp_path),
        "odoo14-addon-x==14.0.1.0.0",
    ]
    assert sdist[-5:] == ["--no-binary", ":all:", "-d", str(tmp_path), "demo-invoices==1.2.0"]
    assert "--no-deps" in sdist


def test_build_document_writes_the_dev_set_layout(tmp_path: Path) -> None:
    fixture = json.dumps(FIXTURE).encode()
    archive = _tarball(
        tmp_path / "demo.tar.gz",
        {"demo-1.2.0/tests/rechnung.pdf": PAGE, "demo-1.2.0/tests/rechnung.json": fixture},
    )
    out = tmp_path / "set"
    entry = build_document(_document(), archive, out, (set(), set()))
    write_index(out, [entry])
    expected = json.loads((out / "demo/demo-rechnung.json").read_text())
    assert (out / "demo/demo-rechnung.pdf").read_bytes() == PAGE
    assert expected["vendorName"] == "Beispiel GmbH"
    assert expected["tax"] == 1.9
    assert expected["total"] == 11.9
    [indexed] = index_entries(out)
    assert indexed["synthetic"] is True
    assert indexed["sha256"] == sha256(PAGE)
    assert indexed["package"] == "demo-invoices 1.2.0 (pypi sdist)"
    assert kind_of(indexed) == "pdf"


def test_build_document_refuses_other_bytes(tmp_path: Path) -> None:
    archive = _tarball(tmp_path / "demo.tar.gz", {"demo-1.2.0/tests/rechnung.pdf": PAGE + b"x"})
    with pytest.raises(CheckSetError, match="sha256"):
        build_document(_document(fixture=None), archive, tmp_path / "set", (set(), set()))


def test_build_document_refuses_a_development_set_document(tmp_path: Path) -> None:
    archive = _tarball(tmp_path / "demo.tar.gz", {"demo-1.2.0/tests/rechnung.pdf": PAGE})
    doc = _document(fixture=None, printed={"invoiceNumber": "F-9", "vendorName": "Exemple SA"})
    with pytest.raises(CheckSetError, match="development set"):
        build_document(doc, archive, tmp_path / "by-hash", ({sha256(PAGE)}, set()))
    with pytest.raises(CheckSetError, match="development set"):
        build_document(doc, archive, tmp_path / "by-number", (set(), {("f-9", "exemple sa")}))


def test_write_index_sorts_by_doc_id_and_refuses_duplicates(tmp_path: Path) -> None:
    path = write_index(tmp_path, [{"docId": "b"}, {"docId": "a"}])
    assert [json.loads(line)["docId"] for line in path.read_text().splitlines()] == ["a", "b"]
    with pytest.raises(CheckSetError):
        write_index(tmp_path, [{"docId": "a"}, {"docId": "a"}])


def test_the_table_is_consistent() -> None:
    ids = [doc.doc_id for doc in DOCUMENTS]
    assert len(set(ids)) == len(ids)
    assert len({doc.sha256 for doc in DOCUMENTS}) == len(DOCUMENTS)  # no document twice
    for doc in DOCUMENTS:
        assert set(doc.printed) <= set(EXPECTED_KEYS), doc.doc_id
        table = kind_of({"kind": doc.kind, "layout": doc.layout, "file": doc.member})
        assert table == ("pdf" if doc.kind == "digital-pdf" else "image"), doc.doc_id
        if doc.fixture is None:
            expected, _ = expected_values(None, doc.printed)  # checks the schema
            assert expected["total"] is not None, doc.doc_id


def test_a_set_inside_the_repository_must_be_ignored(tmp_path: Path) -> None:
    repository = Path(__file__).resolve().parents[2]
    assert committable(repository / "bench" / "check-set-here")
    assert not committable(repository / "bench" / "out" / "check-set")  # bench/out/ is ignored
    assert not committable(tmp_path / "set")
