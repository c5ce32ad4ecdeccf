"""Fetch guards in depth: DNS pinning, redirects, limits, timeouts, files, data URLs."""

from __future__ import annotations

import base64
import io
import os
import socket
import struct
import zlib
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest
from PIL import Image

from ocr_gateway.outbound.netguard import Resolver
from ocr_gateway.processing.fetch import (
    FetchError,
    FetchPolicy,
    FetchRefusedError,
    HttpStatusError,
    NetworkError,
    NotAnImageError,
    TooLargeError,
    fetch_image,
)
from tests.support.http_server import LocalHttpServer

LOOPBACK_OK = FetchPolicy(allow_loopback=True)


def png(size: tuple[int, int] = (40, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("L", size, 255).save(buffer, format="PNG")
    return buffer.getvalue()


def png_header_only(width: int, height: int) -> bytes:
    """A PNG that claims ``width`` x ``height`` (a decompression bomb's header)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    idat = zlib.compress(b"\0" * 64)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")
    )


def fake_dns(table: dict[str, Sequence[str]]) -> Resolver:
    async def resolve(host: str, port: int) -> Sequence[str]:
        if host not in table:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return table[host]

    return resolve


@pytest.fixture(scope="module")
def server() -> Iterator[LocalHttpServer]:
    with LocalHttpServer() as http:
        http.add("/page.png", body=png(), content_type="image/png")
        yield http


async def refusal(
    url: str, policy: FetchPolicy = LOOPBACK_OK, *, resolver: Resolver | None = None
) -> FetchError:
    with pytest.raises(FetchError) as caught:
        await fetch_image(url, policy=policy, resolver=resolver)
    return caught.value


async def test_the_request_goes_to_the_checked_address_with_the_original_host(
    server: LocalHttpServer,
) -> None:
    url = server.url("/page.png", host="images.example.test")
    fetched = await fetch_image(
        url, policy=LOOPBACK_OK, resolver=fake_dns({"images.example.test": ["127.0.0.1"]})
    )
    assert fetched.properties.width == 40
    assert fetched.url == url
    host_header = server.requests[-1][2]["Host"]
    assert host_header == f"images.example.test:{server.port}"


async def test_a_name_resolving_to_any_refused_address_is_refused(server: LocalHttpServer) -> None:
    dns = fake_dns({"rebind.example.test": ["93.184.216.34", "169.254.169.254"]})
    url = server.url("/page.png", host="rebind.example.test")
    error = await refusal(url, FetchPolicy(), resolver=dns)
    assert isinstance(error, FetchRefusedError)
    assert error.code == "address_refused"
    assert "169.254.169.254" in error.message


async def test_an_unknown_host_is_permanent_a_dns_hiccup_is_not() -> None:
    error = await refusal("http://nowhere.example.test/p.png", resolver=fake_dns({}))
    assert (error.code, error.transient) == ("host_not_found", False)

    async def flaky(host: str, port: int) -> Sequence[str]:
        raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")

    error = await refusal("http://images.example.test/p.png", resolver=flaky)
    assert (error.code, error.transient) == ("dns_error", True)


@pytest.mark.parametrize(
    "url",
    [
        "http://[::ffff:127.0.0.1]/x.png",
        "http://0.0.0.0/x.png",
        "http://[fd00:ec2::254]/latest",
        "http://10.0.0.8/x.png",
    ],
)
async def test_ip_literals_are_checked(url: str) -> None:
    assert (await refusal(url, FetchPolicy())).code == "address_refused"


async def test_every_redirect_hop_is_checked(server: LocalHttpServer) -> None:
    server.add("/to-private", status=307, headers={"Location": "http://192.168.0.10/x.png"})
    server.add("/to-file", status=302, headers={"Location": "file:///etc/passwd"})
    assert (await refusal(server.url("/to-private"))).code == "address_refused"
    assert (await refusal(server.url("/to-file"))).code == "unsupported_scheme"


async def test_redirect_loops_end(server: LocalHttpServer) -> None:
    server.add("/loop", status=302, headers={"Location": "/loop"})
    policy = FetchPolicy(allow_loopback=True, max_redirects=3)
    error = await refusal(server.url("/loop"), policy)
    assert error.code == "too_many_redirects"
    assert sum(1 for r in server.requests if r[1] == "/loop") == 4


async def test_a_declared_length_over_the_limit_is_refused_unread(server: LocalHttpServer) -> None:
    server.add("/declared", body=png() + b"\0" * 200_000, content_type="image/png")
    policy = FetchPolicy(allow_loopback=True, max_bytes=50_000)
    error = await refusal(server.url("/declared"), policy)
    assert isinstance(error, TooLargeError)
    assert "200" in error.message


async def test_a_stream_over_the_limit_is_cut_off(server: LocalHttpServer) -> None:
    body = png() + b"\0" * 400_000
    server.add("/stream", body=body, content_type="image/png", send_length=False)
    policy = FetchPolicy(allow_loopback=True, max_bytes=100_000)
    assert (await refusal(server.url("/stream"), policy)).code == "too_large"


async def test_a_bomb_is_refused_before_decoding(server: LocalHttpServer) -> None:
    server.add("/bomb.png", body=png_header_only(40_000, 40_000), content_type="image/png")
    error = await refusal(server.url("/bomb.png"))
    assert (error.code, error.transient) == ("too_many_pixels", False)


async def test_an_html_error_page_is_not_an_image(server: LocalHttpServer) -> None:
    server.add("/login", body=b"<html>sign in</html>", content_type="text/html; charset=utf-8")
    error = await refusal(server.url("/login"))
    assert isinstance(error, NotAnImageError)
    assert "text/html" in error.message


async def test_bytes_pillow_cannot_decode_are_not_an_image(server: LocalHttpServer) -> None:
    server.add("/junk", body=b"\x00\x01 definitely not pixels", content_type="image/png")
    assert (await refusal(server.url("/junk"))).code == "not_an_image"


async def test_a_wrong_content_type_does_not_matter_when_the_bytes_are_an_image(
    server: LocalHttpServer,
) -> None:
    server.add("/octets", body=png(), content_type="application/octet-stream")
    assert (await fetch_image(server.url("/octets"), policy=LOOPBACK_OK)).properties.height == 30


async def test_429_is_transient_with_retry_after(server: LocalHttpServer) -> None:
    server.add("/busy", status=429, headers={"Retry-After": "120"}, content_type=None)
    error = await refusal(server.url("/busy"))
    assert isinstance(error, HttpStatusError)
    assert (error.transient, error.status_code, error.retry_after) == (True, 429, 120.0)


async def test_a_slow_server_times_out_transiently(server: LocalHttpServer) -> None:
    server.add("/slow", body=png(), content_type="image/png", delay=2.0)
    policy = FetchPolicy(allow_loopback=True, read_timeout=0.3)
    error = await refusal(server.url("/slow"), policy)
    assert isinstance(error, NetworkError)
    assert (error.code, error.transient) == ("timeout", True)


async def test_the_whole_fetch_has_a_deadline(server: LocalHttpServer) -> None:
    server.add("/trickle", body=png() + b"\0" * 300_000, content_type="image/png", chunk_delay=0.2)
    policy = FetchPolicy(allow_loopback=True, total_timeout=0.5)
    assert (await refusal(server.url("/trickle"), policy)).code == "timeout"


async def test_a_closed_port_is_a_transient_connection_error() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    error = await refusal(f"http://127.0.0.1:{port}/x.png")
    assert (error.code, error.transient) == ("connection_error", True)


async def test_a_symlink_out_of_the_media_root_is_refused(tmp_path: Path) -> None:
    root = tmp_path / "media"
    root.mkdir()
    (tmp_path / "outside.png").write_bytes(png())
    os.symlink(tmp_path / "outside.png", root / "link.png")
    (root / "inside.png").write_bytes(png())
    os.symlink(root / "inside.png", root / "alias.png")
    policy = FetchPolicy(media_root=root)
    assert (await refusal(f"file://{root}/link.png", policy)).code == "path_refused"
    assert (await fetch_image(f"file://{root}/alias.png", policy=policy)).properties.width == 40
    assert (await refusal(f"file://{root}/missing.png", policy)).code == "not_found"
    assert (await refusal(f"file://{root}", policy)).code == "path_refused"  # a directory
    assert (await refusal(f"file://other-host{root}/inside.png", policy)).code == "invalid_url"


async def test_data_urls_are_checked_too() -> None:
    policy = FetchPolicy(max_bytes=1_000)
    big = "data:image/png;base64," + base64.b64encode(b"\0" * 5_000).decode()
    assert (await refusal(big, policy)).code == "too_large"
    assert (await refusal("data:image/png;base64,@@@", policy)).code == "invalid_url"
    assert (await refusal("data:image/png,no-image", policy)).code == "not_an_image"
    assert (await refusal("data:;base64,AA", FetchPolicy(allow_data_urls=False))).code == (
        "unsupported_scheme"
    )


async def test_properties_of_a_decoded_page() -> None:
    buffer = io.BytesIO()
    Image.new("RGB", (120, 80), "white").save(buffer, format="JPEG", dpi=(300, 300))
    url = "data:image/jpeg;base64," + base64.b64encode(buffer.getvalue()).decode()
    fetched = await fetch_image(url, policy=FetchPolicy())
    props = fetched.properties.to_dict()
    assert props["format"] == "JPEG"
    assert props["mode"] == "RGB"
    assert props["dpi"] == [300.0, 300.0]
    assert props["bytes"] == len(buffer.getvalue())


async def test_exif_orientation_is_applied() -> None:
    image = Image.new("RGB", (100, 50), "white")
    exif = image.getexif()
    exif[0x0112] = 6  # rotate 90 degrees clockwise to display
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif.tobytes())
    url = "data:image/jpeg;base64," + base64.b64encode(buffer.getvalue()).decode()
    fetched = await fetch_image(url, policy=FetchPolicy())
    assert fetched.image.size == (50, 100)
    assert (fetched.properties.width, fetched.properties.height) == (50, 100)


async def test_formats_outside_the_allowed_list_are_refused() -> None:
    buffer = io.BytesIO()
    Image.new("RGB", (10, 10)).save(buffer, format="PNG")
    url = "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()
    assert (await refusal(url, FetchPolicy(formats=("JPEG",)))).code == "not_an_image"
