"""Which files an import reads (``bulk_import.files``): no database, just a tree of files."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ocr_gateway.bulk_import.files import NoSuchPath, find_files


def touch(root: Path, *names: str) -> None:
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"x")


def test_folders_are_walked_recursively_in_sorted_order(tmp_path: Path) -> None:
    touch(tmp_path, "b.pdf", "a/z.PNG", "a/b/c.jpeg", "c.TIFF", "a.webp")
    found = find_files([str(tmp_path)])
    assert [c.shown for c in found.candidates] == [
        f"{tmp_path}/a.webp",
        f"{tmp_path}/a/b/c.jpeg",
        f"{tmp_path}/a/z.PNG",
        f"{tmp_path}/b.pdf",
        f"{tmp_path}/c.TIFF",
    ]
    assert all(c.path.is_absolute() for c in found.candidates)


def test_other_files_are_ignored_and_counted_hidden_ones_not_seen(tmp_path: Path) -> None:
    touch(tmp_path, "inv.pdf", "notes.txt", "inv.xml", ".DS_Store", ".thumbs/inv.png")
    found = find_files([str(tmp_path)])
    assert [c.shown for c in found.candidates] == [f"{tmp_path}/inv.pdf"]
    assert found.ignored == [f"{tmp_path}/inv.xml", f"{tmp_path}/notes.txt"]


def test_a_file_named_on_the_command_line_is_read_whatever_its_suffix(tmp_path: Path) -> None:
    touch(tmp_path, "scan-0001")
    assert [c.shown for c in find_files([str(tmp_path / "scan-0001")]).candidates] == [
        f"{tmp_path}/scan-0001"
    ]


def test_a_file_named_twice_is_read_once(tmp_path: Path) -> None:
    touch(tmp_path, "inv.pdf")
    os.symlink(tmp_path / "inv.pdf", tmp_path / "link.pdf")
    found = find_files([str(tmp_path), str(tmp_path / "inv.pdf")])
    assert [c.shown for c in found.candidates] == [f"{tmp_path}/inv.pdf"]


def test_symlinked_folders_are_not_followed(tmp_path: Path) -> None:
    touch(tmp_path, "real/inv.pdf")
    os.symlink(tmp_path, tmp_path / "real" / "loop")
    assert [c.shown for c in find_files([str(tmp_path)]).candidates] == [f"{tmp_path}/real/inv.pdf"]


def test_a_path_that_does_not_exist_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(NoSuchPath, match="nowhere: no such file or folder"):
        find_files([str(tmp_path / "nowhere")])


def test_a_folder_that_cannot_be_listed_is_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    touch(tmp_path, "locked/inv.pdf", "open.pdf")
    scandir = os.scandir

    def refusing(path: str) -> object:  # what a folder without read permission does (not root)
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", str(path))
        return scandir(path)

    monkeypatch.setattr(os, "scandir", refusing)
    found = find_files([str(tmp_path)])
    assert [c.shown for c in found.candidates] == [f"{tmp_path}/open.pdf"]
    assert found.unreadable == [(f"{tmp_path}/locked", "Permission denied")]
