"""Fetching page images safely, against a real local HTTP server."""

from __future__ import annotations

import base64
import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image

from ocr_gateway.processing.fetch import FetchError, FetchPolicy, fetch_image
from tests.support.http_server import LocalHttpServer

LOOPBACK_OK = FetchPolicy(allow_loopback=True)


def png(size: tuple[int, int] = (64, 48)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "white").save(buffer, format="PNG", dpi=(150, 150))
    return buffer.getvalue()


@pytest.fixture(scope="module")
def server() -> Iterator[LocalHttpServer]:
    with LocalHttpServer() as http:
        http.add("/page.png", body=png(), content_type="image/png")
        http.add("/text", body=b"hello", content_type="text/plain")
        http.add("/boom", status=500, body=b"oops", content_type="text/plain")
        http.add("/gone", status=404, body=b"", content_type="text/plain")
        http.add("/big", body=b"\x89PNG" + b"0" * 300_000, content_type="image/png")
        http.add("/metadata", status=302, headers={"Location": "http://169.254.169.254/latest"})
        http.add("/hop", status=302, headers={"Location": "/page.png"})
        yield http


async def refused(url: str, policy: FetchPolicy = LOOPBACK_OK) -> FetchError:
    with pytest.raises(FetchError) as caught:
        await fetch_image(url, policy=policy)
    return caught.value


async def test_fetches_an_image_and_records_its_properties(server: LocalHttpServer) -> None:
    fetched = await fetch_image(server.url("/page.png"), policy=LOOPBACK_OK)
    props = fetched.properties.to_dict()
    assert (props["width"], props["height"], props["format"]) == (64, 48, "PNG")
    assert props["bytes"] == len(png())
    assert len(props["sha256"]) == 64


async def test_loopback_is_refused_unless_allowed(server: LocalHttpServer) -> None:
    error = await refused(server.url("/page.png"), FetchPolicy())
    assert error.code == "address_refused"
    assert not error.transient


async def test_a_redirect_to_the_metadata_address_is_refused(server: LocalHttpServer) -> None:
    assert (await refused(server.url("/metadata"))).code == "address_refused"


async def test_a_redirect_to_an_allowed_address_is_followed(server: LocalHttpServer) -> None:
    fetched = await fetch_image(server.url("/hop"), policy=LOOPBACK_OK)
    assert fetched.properties.width == 64


async def test_too_many_bytes_are_refused(server: LocalHttpServer) -> None:
    policy = FetchPolicy(allow_loopback=True, max_bytes=100_000)
    assert (await refused(server.url("/big"), policy)).code == "too_large"


async def test_a_decompression_bomb_is_refused(server: LocalHttpServer) -> None:
    server.add("/bomb.png", body=png((6000, 6000)), content_type="image/png")
    policy = FetchPolicy(allow_loopback=True, max_pixels=10_000_000)
    assert (await refused(server.url("/bomb.png"), policy)).code == "too_many_pixels"


async def test_something_that_is_not_an_image_is_refused(server: LocalHttpServer) -> None:
    assert (await refused(server.url("/text"))).code == "not_an_image"


async def test_a_server_error_is_transient_a_404_is_not(server: LocalHttpServer) -> None:
    assert (await refused(server.url("/boom"))).transient
    assert not (await refused(server.url("/gone"))).transient


async def test_file_urls_only_under_the_media_root(tmp_path: Path) -> None:
    root = tmp_path / "media"
    root.mkdir()
    (root / "p.png").write_bytes(png())
    (tmp_path / "secret.png").write_bytes(png())
    policy = FetchPolicy(media_root=root)
    assert (await fetch_image(f"file://{root / 'p.png'}", policy=policy)).properties.width == 64
    escape = await refused(f"file://{root}/../secret.png", policy)
    assert escape.code == "path_refused"
    assert (await refused(f"file://{root / 'p.png'}", FetchPolicy())).code in (
        "path_refused",
        "unsupported_scheme",
    )


async def test_data_urls_work() -> None:
    url = "data:image/png;base64," + base64.b64encode(png()).decode()
    assert (await fetch_image(url, policy=FetchPolicy())).properties.height == 48


async def test_other_schemes_are_refused() -> None:
    assert (await refused("ftp://example.com/p.png", FetchPolicy())).code == "unsupported_scheme"
