"""GET /review/pages/{pageId}/image on SQLite and PostgreSQL: PDF pages rendered from the
stored document and cached, image pages through the page fetcher's guards, size caps,
ETags, and clear JSON errors (unknown page, no key, refused or failing URLs)."""

from __future__ import annotations

import asyncio
import io
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from PIL import Image

from ocr_gateway.app import create_app
from ocr_gateway.auth import HEADER, Scope, create_key
from ocr_gateway.db.engine import Database
from ocr_gateway.review import pages as review_pages
from ocr_gateway.review.images import RenderedImage
from ocr_gateway.review.routes import COOKIE
from tests.api.graphql import create_job, create_page, gql
from tests.conftest import RecordingQueue, put
from tests.support.http_server import LocalHttpServer
from tests.support.pdfs import text_pdf

MAX_SIDE = 400
CREATE = """
mutation($u: String!) {
  createJobFromDocument(input: {documentUrl: $u}) { id pages { items { id } } }
}
"""
A4_RATIO = 841.89 / 595.28


def review_app(db: Database, queue: RecordingQueue, media: Path, **settings: Any) -> Any:
    update = {"media_root": media, "review_image_max_side": MAX_SIDE, **settings}
    return create_app(db.settings.model_copy(update=update), db=db, queue=queue)


@pytest.fixture
async def api(
    db: Database, queue: RecordingQueue, media: Path, admin_key: str
) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=review_app(db, queue, media))
    async with httpx.AsyncClient(
        transport=transport, base_url="http://testserver", headers={HEADER: admin_key}
    ) as http:
        yield http


def png(size: tuple[int, int], color: str = "navy") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, format="PNG")
    return out.getvalue()


async def pdf_page(api: httpx.AsyncClient, media: Path, pages: int = 1) -> list[str]:
    data = text_pdf([[(20, 20, f"Invoice page {n + 1}", 12)] for n in range(pages)])
    created = await gql(api, CREATE, u=put(media, "invoice.pdf", data))
    return [page["id"] for page in created["createJobFromDocument"]["pages"]["items"]]


async def url_page(api: httpx.AsyncClient, url: str) -> str:
    job = await create_job(api)
    page: dict[str, Any] = await create_page(api, job["id"], pageUrl=url)
    return str(page["id"])


def image_of(response: httpx.Response) -> Image.Image:
    assert response.status_code == 200, response.text
    return Image.open(io.BytesIO(response.content))


def error_of(response: httpx.Response) -> dict[str, Any]:
    assert response.headers["content-type"].startswith("application/json"), response.text
    (error,) = response.json()["errors"]
    return dict(error)


async def test_a_pdf_page_is_rendered_capped_and_cached(
    api: httpx.AsyncClient, media: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    renders: list[int] = []
    render = review_pages.render_pdf_page

    def counting(data: bytes, index: int, **kwargs: Any) -> Any:
        renders.append(index)
        return render(data, index, **kwargs)

    monkeypatch.setattr(review_pages, "render_pdf_page", counting)
    first, second = await pdf_page(api, media, pages=2)

    response = await api.get(f"/review/pages/{second}/image")
    image = image_of(response)
    assert (response.headers["content-type"], image.format) == ("image/png", "PNG")
    assert max(image.size) <= MAX_SIDE
    assert max(image.size) >= MAX_SIDE - 2  # as large as the cap allows
    assert image.height / image.width == pytest.approx(A4_RATIO, rel=0.01)
    assert response.headers["etag"].startswith('"')
    assert "private" in response.headers["cache-control"]

    again = await api.get(f"/review/pages/{second}/image")
    assert again.content == response.content
    await api.get(f"/review/pages/{first}/image")
    assert renders == [1, 0]  # the second request for page 2 came from the cache


async def test_an_unchanged_image_is_a_304(api: httpx.AsyncClient, media: Path) -> None:
    (page,) = await pdf_page(api, media)
    response = await api.get(f"/review/pages/{page}/image")
    etag = response.headers["etag"]

    unchanged = await api.get(f"/review/pages/{page}/image", headers={"If-None-Match": etag})
    assert (unchanged.status_code, unchanged.content) == (304, b"")
    assert unchanged.headers["etag"] == etag
    other = await api.get(f"/review/pages/{page}/image", headers={"If-None-Match": '"other"'})
    assert other.status_code == 200


async def test_an_image_page_is_fetched_through_the_guards_and_capped(
    db: Database, queue: RecordingQueue, media: Path, admin_key: str
) -> None:
    with LocalHttpServer() as server:
        server.add("/scan.png", body=png((1200, 600)), content_type="image/png")
        app = review_app(db, queue, media, fetch_allow_loopback=True)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://t", headers={HEADER: admin_key}
        ) as api:
            page = await url_page(api, server.url("/scan.png"))
            response = await api.get(f"/review/pages/{page}/image")
            cached = await api.get(f"/review/pages/{page}/image")
    image = image_of(response)
    assert (image.format, image.size) == ("JPEG", (MAX_SIDE, MAX_SIDE // 2))
    assert cached.content == response.content
    assert [path for _m, path, _h in server.requests] == ["/scan.png"]  # fetched once


async def test_a_page_on_a_private_address_is_refused(api: httpx.AsyncClient, media: Path) -> None:
    with LocalHttpServer() as server:  # 127.0.0.1: loopback, refused by the default policy
        server.add("/scan.png", body=png((100, 100)), content_type="image/png")
        loopback = await url_page(api, server.url("/scan.png"))
        response = await api.get(f"/review/pages/{loopback}/image")
    assert server.requests == []
    assert response.status_code == 422
    error = error_of(response)
    assert error["extensions"]["code"] == "FETCH_REFUSED"
    assert error["extensions"]["reason"] == "address_refused"

    metadata = await url_page(api, "http://169.254.169.254/latest/meta-data/x.png")
    refused = await api.get(f"/review/pages/{metadata}/image")
    assert (refused.status_code, error_of(refused)["extensions"]["code"]) == (422, "FETCH_REFUSED")


async def test_a_file_outside_the_media_root_is_refused(
    api: httpx.AsyncClient, tmp_path: Path
) -> None:
    outside = tmp_path / "secret.png"
    outside.write_bytes(png((10, 10)))
    page = await url_page(api, f"file://{outside}")
    response = await api.get(f"/review/pages/{page}/image")
    assert response.status_code == 422
    assert error_of(response)["extensions"]["reason"] == "path_refused"


async def test_a_failing_server_is_a_502_and_not_an_image_a_422(
    db: Database, queue: RecordingQueue, media: Path, admin_key: str
) -> None:
    with LocalHttpServer() as server:
        server.add("/boom.png", status=500)
        server.add("/page.png", body=b"GIF89a but not really", content_type="image/png")
        app = review_app(db, queue, media, fetch_allow_loopback=True)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://t", headers={HEADER: admin_key}
        ) as api:
            boom = await api.get(
                f"/review/pages/{await url_page(api, server.url('/boom.png'))}/image"
            )
            junk = await api.get(
                f"/review/pages/{await url_page(api, server.url('/page.png'))}/image"
            )
    assert boom.status_code == 502
    assert error_of(boom)["extensions"] == {
        "code": "FETCH_FAILED",
        "reason": "http_status",
        "transient": True,
    }
    assert "HTTP 500" in error_of(boom)["message"]
    assert junk.status_code == 422
    assert error_of(junk)["extensions"]["code"] == "UNUSABLE_IMAGE"


async def test_an_unknown_page_is_a_404(api: httpx.AsyncClient) -> None:
    for page in ("0" * 24, "not-an-id"):
        response = await api.get(f"/review/pages/{page}/image")
        assert response.status_code == 404
        assert error_of(response)["extensions"]["code"] == "NOT_FOUND"


async def test_images_need_a_key_with_the_read_scope(
    db: Database, queue: RecordingQueue, media: Path, api: httpx.AsyncClient
) -> None:
    (page,) = await pdf_page(api, media)
    _row, write_only = await create_key(db, "writer", [Scope.write])
    transport = httpx.ASGITransport(app=review_app(db, queue, media))
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as anonymous:
        missing = await anonymous.get(f"/review/pages/{page}/image")
        bad = await anonymous.get(f"/review/pages/{page}/image", headers={HEADER: "ogw_x_y"})
        scopeless = await anonymous.get(f"/review/pages/{page}/image", headers={HEADER: write_only})
    assert (missing.status_code, error_of(missing)["extensions"]["code"]) == (
        401,
        "UNAUTHENTICATED",
    )
    assert bad.status_code == 401
    assert (scopeless.status_code, error_of(scopeless)["extensions"]["code"]) == (
        403,
        "FORBIDDEN",
    )


async def test_the_session_cookie_carries_the_key_to_images(
    db: Database, queue: RecordingQueue, media: Path, api: httpx.AsyncClient, admin_key: str
) -> None:
    (page,) = await pdf_page(api, media)
    transport = httpx.ASGITransport(app=review_app(db, queue, media))
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as browser:
        refused = await browser.post("/review/session", headers={HEADER: "ogw_bad_key"})
        assert refused.status_code == 401
        assert COOKIE not in browser.cookies

        opened = await browser.post("/review/session", headers={HEADER: admin_key})
        assert opened.status_code == 204
        cookie = opened.headers["set-cookie"]
        assert "HttpOnly" in cookie
        assert "Path=/review/pages" in cookie
        assert "samesite=strict" in cookie.lower()
        assert image_of(await browser.get(f"/review/pages/{page}/image")).format == "PNG"
        # The cookie is for images only: the API still wants the header.
        api_call = await browser.post("/graphql", json={"query": "{ jobs { totalCount } }"})
        assert "UNAUTHENTICATED" in api_call.text

        closed = await browser.delete("/review/session")
        assert closed.status_code == 204
        assert (await browser.get(f"/review/pages/{page}/image")).status_code == 401


async def test_the_review_page_and_its_assets_are_served(api: httpx.AsyncClient) -> None:
    page = await api.get("/review", headers={HEADER: ""})
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    for asset in ("/review/static/review.js", "/review/static/review.css"):
        assert asset in page.text
        assert (await api.get(asset)).status_code == 200
    assert "https://" not in page.text  # nothing from another host


async def test_concurrent_requests_for_an_image_make_it_once(settings: Any) -> None:
    # The requests share the test's one connection here, so the mechanism is driven
    # directly: four callers wanting one key while it is being made.
    images = review_pages.PageImages(Database.__new__(Database), settings)
    made: list[str] = []

    async def make() -> RenderedImage:
        made.append("x")
        await asyncio.sleep(0.05)
        return RenderedImage(b"png", "image/png", '"t"', 1, 1)

    answers = await asyncio.gather(*(images._once("key", make) for _ in range(4)))
    assert made == ["x"]
    assert {a.etag for a in answers} == {'"t"'}
    assert images._making == {}  # forgotten once made: the cache holds the image


async def test_an_image_document_is_served_from_the_stored_bytes(
    api: httpx.AsyncClient, media: Path
) -> None:
    path = media / "receipt.png"
    path.write_bytes(png((300, 900), "white"))
    created = await gql(api, CREATE, u=f"file://{path}")
    (page,) = created["createJobFromDocument"]["pages"]["items"]
    path.unlink()  # the page reads its stored document, not the URL
    image = image_of(await api.get(f"/review/pages/{page['id']}/image"))
    assert (image.format, image.size) == ("JPEG", (MAX_SIDE // 3, MAX_SIDE))
