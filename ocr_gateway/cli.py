"""``ocr-gateway``: serve | migrate (and, as they land, worker | apikey)."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Sequence

from ocr_gateway.settings import get_settings


def _migrate(_: argparse.Namespace) -> int:
    from ocr_gateway.db import migrate
    from ocr_gateway.db.engine import Database

    async def run() -> None:
        db = Database(get_settings())
        try:
            await migrate.upgrade(db.engine)
        finally:
            await db.dispose()

    asyncio.run(run())
    print("database schema is up to date")
    return 0


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    settings = get_settings()
    uvicorn.run(
        "ocr_gateway.app:create_app",
        factory=True,
        host=args.host or settings.host,
        port=args.port or settings.port,
        log_level=settings.log_level.lower(),
        workers=args.workers,
    )
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="ocr-gateway", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="serve the API (GraphQL, GraphiQL, REST)")
    serve.add_argument("--host", help="default: OCR_GATEWAY_HOST or 127.0.0.1")
    serve.add_argument("--port", type=int, help="default: OCR_GATEWAY_PORT or 8000")
    serve.add_argument("--workers", type=int, default=None, help="uvicorn worker processes")
    serve.set_defaults(handler=_serve)

    migrate = commands.add_parser("migrate", help="apply database migrations")
    migrate.set_defaults(handler=_migrate)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=get_settings().log_level, format="%(levelname)s %(name)s %(message)s")
    return int(args.handler(args))


if __name__ == "__main__":
    sys.exit(main())
