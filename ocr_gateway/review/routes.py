"""The review page's routes (listed in the package docstring)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Final

from fastapi import FastAPI
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.staticfiles import StaticFiles

from ocr_gateway.auth import HEADER, AuthFailure, Principal, Scope
from ocr_gateway.db.engine import Database
from ocr_gateway.review.pages import PageImageError, PageImages
from ocr_gateway.settings import Settings

Authenticate = Callable[[str | None], Awaitable[Principal | AuthFailure]]

STATIC_DIR: Final[Path] = Path(__file__).resolve().parent.parent / "static" / "review"
PATH: Final[str] = "/review"
STATIC_URL: Final[str] = f"{PATH}/static"
IMAGES_PATH: Final[str] = f"{PATH}/pages"
COOKIE: Final[str] = "ogw_review_key"
# The images may change (a page given another pageUrl): the browser asks again each time,
# and an unchanged image costs a 304.
IMAGE_CACHE_CONTROL: Final[str] = "private, no-cache"
# Stricter than the other pages' (``http.PAGE_CSP``): the review page has no inline script
# or style (its JS sets styles through the CSSOM, which style-src does not govern).
PAGE_CSP: Final[str] = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self' ws: wss:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
)


def install_review(
    app: FastAPI, *, settings: Settings, database: Database, authenticate: Authenticate
) -> None:
    """Add the review page, its assets, its session cookie and the page images to ``app``."""
    images = PageImages(database, settings)
    app.state.review_images = images

    async def refusal(key: str | None) -> JSONResponse | None:
        """None when ``key`` may read, else the 401/403 answer."""
        if not settings.auth_enabled:
            return None
        principal = await authenticate(key)
        if not isinstance(principal, Principal):
            return _error(401, "UNAUTHENTICATED", principal.message)
        if not principal.allows(Scope.read):
            return _error(403, "FORBIDDEN", "the API key lacks the scope read the images need")
        return None

    @app.get(PATH, include_in_schema=False)
    async def review_page() -> FileResponse:
        headers = {"cache-control": "no-cache", "content-security-policy": PAGE_CSP}
        return FileResponse(STATIC_DIR / "index.html", headers=headers)

    @app.post(f"{PATH}/session", include_in_schema=False)
    async def open_session(request: Request) -> Response:
        key = request.headers.get(HEADER)
        refused = await refusal(key)
        if refused is not None:
            return refused
        response = Response(status_code=204)
        response.set_cookie(
            COOKIE,
            (key or "").strip(),
            path=IMAGES_PATH,
            httponly=True,
            samesite="strict",
            secure=request.url.scheme == "https",
        )
        return response

    @app.delete(f"{PATH}/session", include_in_schema=False)
    async def close_session() -> Response:
        response = Response(status_code=204)
        response.delete_cookie(COOKIE, path=IMAGES_PATH, httponly=True, samesite="strict")
        return response

    @app.get(IMAGES_PATH + "/{page_id}/image", include_in_schema=False)
    async def page_image(page_id: str, request: Request) -> Response:
        refused = await refusal(request.headers.get(HEADER) or request.cookies.get(COOKIE))
        if refused is not None:
            return refused
        try:
            answer = await images.answer(page_id, request.headers.get("if-none-match"))
        except PageImageError as exc:
            if exc.reason is None:
                return _error(exc.status, exc.code, exc.message)
            problem = {"reason": exc.reason, "transient": exc.transient}
            return _error(exc.status, exc.code, exc.message, **problem)
        headers = {"etag": answer.etag, "cache-control": IMAGE_CACHE_CONTROL}
        if answer.image is None:
            return Response(status_code=304, headers=headers)
        return Response(answer.image.data, media_type=answer.image.media_type, headers=headers)

    app.mount(STATIC_URL, StaticFiles(directory=STATIC_DIR), name="review-static")


def _error(status: int, code: str, message: str, **extensions: object) -> JSONResponse:
    """GraphQL's error shape (as ``http.error_body``), ``extensions`` added beside the code."""
    error = {"message": message, "extensions": {"code": code, **extensions}}
    return JSONResponse({"errors": [error]}, status_code=status)
