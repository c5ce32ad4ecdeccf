"""``ocr-gateway``: serve | worker | migrate | apikey create|list|revoke|ensure-local | export |
import.

Every command but ``migrate`` needs the database at the schema revision of this release:
on a database that is unreachable, was never migrated or is at another revision, it
prints what is wrong (naming ``ocr-gateway migrate`` where that is the fix) and exits 1.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import shutil
import signal
import sys
import tempfile
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ocr_gateway import __version__
from ocr_gateway.settings import Settings, get_settings

if TYPE_CHECKING:
    from ocr_gateway.db.engine import Database
    from ocr_gateway.exports import ExportFormat
    from ocr_gateway.services.export import Document

LOCAL_KEY_FILE = "local-api-key"
NOT_READY = 1
DUPLICATE_KEYS_REVISION = "0006"  # jobs done before it get their keys from `migrate`


def _migrate(_: argparse.Namespace) -> int:
    from ocr_gateway.db import migrate
    from ocr_gateway.db.engine import Database

    async def run() -> int | None:
        db = Database(get_settings())
        try:
            before = (await migrate.schema_state(db.engine)).current
            await migrate.upgrade_all(db.engine, db.settings)
            if before is not None and before < DUPLICATE_KEYS_REVISION:
                from ocr_gateway.processing import duplicates

                return await duplicates.backfill(db.sessionmaker)
            return None
        finally:
            await db.dispose()

    keyed = asyncio.run(run())
    if keyed is not None:
        print(f"duplicate-invoice keys computed for the jobs done before: {keyed} keyed")
    print("database schema is up to date")
    return 0


async def _schema_problem(db: Database, *, queue: bool) -> str | None:
    """Why the database cannot be used by this release, or None."""
    from ocr_gateway.db import migrate
    from ocr_gateway.db.availability import is_unavailable

    try:
        state = await migrate.schema_state(db.engine, queue=queue)
    except Exception as exc:
        if not is_unavailable(exc):
            raise
        return f"the database at {_shown_url(db.settings)} cannot be reached: {exc}"
    return state.problem()


def _shown_url(settings: Settings) -> str:
    """The database URL without its password."""
    from sqlalchemy.engine import make_url

    return make_url(settings.database_url).render_as_string(hide_password=True)


def _refuse(problem: str) -> int:
    print(f"error: {problem}", file=sys.stderr)
    return NOT_READY


def _with_db(action: Callable[[Database], Awaitable[int]]) -> int:
    """Run ``action`` on a database at this release's schema revision (else refuse)."""
    from ocr_gateway.db.engine import Database

    async def run() -> int:
        db = Database(get_settings())
        try:
            problem = await _schema_problem(db, queue=False)
            return _refuse(problem) if problem else await action(db)
        finally:
            await db.dispose()

    return asyncio.run(run())


def _check_ready(*, queue: bool) -> int:
    """0 when ``serve``/``worker`` may start on the configured database."""
    from ocr_gateway.db.engine import Database

    async def run() -> int:
        db = Database(get_settings())
        try:
            problem = await _schema_problem(db, queue=queue)
        finally:
            await db.dispose()
        return _refuse(problem) if problem else 0

    return asyncio.run(run())


def _apikey_create(args: argparse.Namespace) -> int:
    from ocr_gateway import auth

    try:
        scopes = auth.parse_scopes(args.scopes)
    except ValueError as exc:
        print(f"error: --scopes: {exc}", file=sys.stderr)
        return 2

    async def action(db: Database) -> int:
        row, key = await auth.create_key(db, args.name, scopes)
        print(f"created key {row.id} ({row.name}) with scopes {','.join(row.scopes)}")
        print("store it now: it is shown only once")
        print(key)
        return 0

    return _with_db(action)


def _apikey_list(_: argparse.Namespace) -> int:
    from ocr_gateway import auth

    async def action(db: Database) -> int:
        print(f"{'id':24}  {'prefix':12}  {'name':20}  {'scopes':24}  {'last used':25}  state")
        for row in await auth.list_keys(db):
            state = "revoked" if row.revoked_at else "active"
            used = row.last_used_at.isoformat(timespec="seconds") if row.last_used_at else "never"
            scopes = ",".join(row.scopes)
            print(
                f"{row.id:24}  {row.prefix:12}  {row.name[:20]:20}  {scopes:24}  {used:25}  {state}"
            )
        return 0

    return _with_db(action)


def _apikey_revoke(args: argparse.Namespace) -> int:
    from ocr_gateway import auth

    async def action(db: Database) -> int:
        if await auth.revoke_key(db, args.key):
            print(f"revoked {args.key}")
            return 0
        print(f"error: no active key with id or prefix {args.key!r}", file=sys.stderr)
        return 1

    return _with_db(action)


def _export(args: argparse.Namespace) -> int:
    """A group's jobs as CSV/JSON (stdout, or a file in --out) or one XML file per job."""
    from ocr_gateway.exports import ExportFormat

    format = ExportFormat(args.format)
    out = Path(args.out) if args.out else None
    if format.per_job and out is None:
        print(f"error: --format {format} writes one file per job: give --out DIR", file=sys.stderr)
        return 2
    if out is not None and out.exists() and not out.is_dir():
        print(f"error: --out {out} is not a directory", file=sys.stderr)
        return 2
    fetched: list[Any] = []

    async def action(db: Database) -> int:
        from ocr_gateway.errors import NotFound
        from ocr_gateway.services import export

        try:
            async with db.read_sessionmaker() as session:
                read = export.group_documents if format.per_job else export.group_table
                found: Any = await read(session, group_id=args.group, format=format)
        except NotFound:
            print(f"error: --group: no job group with id {args.group!r}", file=sys.stderr)
            return 2
        fetched.append(found)
        return 0

    if status := _with_db(action):
        return status
    if format.per_job:
        assert out is not None
        return _write_documents(fetched[0], format, out)
    return _write_table(fetched[0], f"{args.group}.{format.extension}", out)


def _write_table(text: str, name: str, out: Path | None) -> int:
    if out is None:
        sys.stdout.write(text)
        return 0
    out.mkdir(parents=True, exist_ok=True)
    (out / name).write_text(text, encoding="utf-8", newline="")
    print(f"wrote {out / name}", file=sys.stderr)
    return 0


def _write_documents(documents: list[Document], format: ExportFormat, out: Path) -> int:
    """One file per job; a job that cannot make the document is named on stderr (exit 1)."""
    out.mkdir(parents=True, exist_ok=True)
    written = 0
    for document in documents:
        if document.content is None:
            assert document.error is not None
            print(f"skipped {document.job.name!r}: {document.error.message}", file=sys.stderr)
            continue
        (out / f"{document.job.id}.{format.extension}").write_bytes(document.content)
        written += 1
    failed = len(documents) - written
    print(f"wrote {written} of {len(documents)} jobs to {out} ({failed} could not be exported)")
    return 1 if failed else 0


def _import(args: argparse.Namespace) -> int:
    """Every PDF/image under the paths a job of the group (``ocr_gateway.bulk_import``)."""
    from ocr_gateway.bulk_import import USAGE
    from ocr_gateway.bulk_import.files import NoSuchPath, find_files
    from ocr_gateway.bulk_import.report import reporter_for
    from ocr_gateway.bulk_import.run import Options, Run

    try:
        found = find_files(args.paths)
    except NoSuchPath as exc:
        print(f"error: {exc}", file=sys.stderr)
        return USAGE
    options = Options(args.paths, args.group, args.template, args.process)
    run = Run(options, found, reporter_for(sys.stdout), errors=sys.stderr)
    previous = signal.getsignal(signal.SIGINT)
    if previous is signal.default_int_handler:  # not where Ctrl-C is ignored (a background job)
        signal.signal(signal.SIGINT, run.on_sigint)
    try:
        return _with_db(run.execute)
    except (KeyboardInterrupt, asyncio.CancelledError):
        return run.interrupted()
    finally:
        signal.signal(signal.SIGINT, previous)


def local_key_file(settings: Settings) -> Path:
    """Where ``ensure-local`` keeps the local key: beside the SQLite database file (so each
    database has its own), else ``./data/local-api-key-<database name>``."""
    from sqlalchemy.engine import make_url

    sqlite_file = settings.sqlite_path()
    if sqlite_file is not None:
        return sqlite_file.parent / LOCAL_KEY_FILE
    url = make_url(settings.database_url)
    return Path("data") / f"{LOCAL_KEY_FILE}-{url.database or 'default'}"


def _apikey_ensure_local(args: argparse.Namespace) -> int:
    """For `make run`: a key for the local user, kept beside the database (never in git)."""
    from ocr_gateway import auth

    settings = get_settings()
    path = local_key_file(settings)

    async def action(db: Database) -> int:
        key = path.read_text().strip() if path.exists() else ""
        if not key or not isinstance(await auth.authenticate(db, key), auth.Principal):
            _row, key = await auth.create_key(db, "local", [auth.Scope.admin])
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(key + "\n")
            path.chmod(0o600)
        base = f"http://{args.host or settings.host}:{args.port or settings.port}"
        print(f"GraphiQL:  {base}{settings.graphql_path}?apiKey={key}")
        print(f"REST docs: {base}/docs  (Authorize -> X-API-Key)")
        print(f"Send the header X-API-Key: {key}")
        print(f"(GraphiQL keeps it in its Headers tab; the key is saved in {path})")
        return 0

    return _with_db(action)


def _worker(args: argparse.Namespace) -> int:
    from ocr_gateway.processing import worker

    if get_settings().is_sqlite:  # the worker says why it does not run on SQLite
        return worker.run(args.concurrency)
    return _check_ready(queue=True) or worker.run(args.concurrency)


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    settings = get_settings()
    if refused := _check_ready(queue=not settings.is_sqlite):
        return refused
    shared = _share_metrics() if (args.workers or 1) > 1 else None
    uvicorn.run(
        "ocr_gateway.app:create_app",
        factory=True,
        host=args.host or settings.host,
        port=args.port or settings.port,
        log_level=settings.log_level.lower(),
        workers=args.workers,
    )
    if shared is not None:
        shutil.rmtree(shared, ignore_errors=True)
    return 0


def _share_metrics() -> str | None:
    """Several API processes: their request metrics go through files in one directory
    (prometheus-client's multiprocess mode), fresh for this run (and removed after it)
    unless the operator set one; returns the directory made here."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        return None
    directory = tempfile.mkdtemp(prefix="ocr-gateway-metrics-")
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = directory
    return directory


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ocr-gateway",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"ocr-gateway {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="serve the API (GraphQL, GraphiQL, REST)")
    serve.add_argument("--host", help="default: OCR_GATEWAY_HOST or 127.0.0.1")
    serve.add_argument("--port", type=int, help="default: OCR_GATEWAY_PORT or 8000")
    serve.add_argument("--workers", type=int, default=None, help="uvicorn worker processes")
    serve.set_defaults(handler=_serve)

    worker = commands.add_parser("worker", help="run OCR worker processes (PostgreSQL)")
    worker.add_argument(
        "--concurrency", type=int, default=1, help="worker processes (one page each)"
    )
    worker.set_defaults(handler=_worker)

    apikey = commands.add_parser("apikey", help="manage API keys").add_subparsers(
        dest="apikey_command", required=True
    )
    create = apikey.add_parser("create", help="create a key (printed once, on the last line)")
    create.add_argument("--name", required=True)
    create.add_argument(
        "--scopes", default="read", help="comma-separated: read,write,process,admin"
    )
    create.set_defaults(handler=_apikey_create)
    apikey.add_parser("list", help="list keys (never the keys themselves)").set_defaults(
        handler=_apikey_list
    )
    revoke = apikey.add_parser("revoke", help="revoke a key by id or prefix")
    revoke.add_argument("key", help="the key's id or prefix (see `apikey list`)")
    revoke.set_defaults(handler=_apikey_revoke)
    local = apikey.add_parser(
        "ensure-local", help="make sure a local admin key exists; print it (make run)"
    )
    local.add_argument("--host", help="where `serve` listens, for the printed links")
    local.add_argument("--port", type=int, help="where `serve` listens, for the printed links")
    local.set_defaults(handler=_apikey_ensure_local)

    export = commands.add_parser(
        "export", help="export a group's invoice data (CSV, JSON, UBL or CII XML)"
    )
    export.add_argument("--group", required=True, help="the job group's id")
    export.add_argument("--format", required=True, choices=["csv", "json", "ubl", "cii"])
    export.add_argument(
        "--out",
        help="directory: csv/json go to a file there (else stdout), ubl/cii one file per job",
    )
    export.set_defaults(handler=_export)

    _add_import(commands)

    migrate = commands.add_parser("migrate", help="apply database migrations")
    migrate.set_defaults(handler=_migrate)
    return parser


def _add_import(commands: Any) -> None:
    from ocr_gateway.bulk_import import EXIT_CODES

    command = commands.add_parser(
        "import",
        help="make a job of every PDF/image file under the paths (folders recursively)",
        description="Make a job of every PDF or image file under the paths (folders\n"
        "recursively, in sorted order), with a page per PDF page, in the job group NAME.\n"
        "Safe to re-run: a file whose content the group already has is skipped. A bad\n"
        "file is reported and the run goes on. On a terminal a progress bar shows the\n"
        "files, pages created and (--process) pages processed; otherwise one line per file.",
        epilog=EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    command.add_argument("paths", nargs="+", metavar="PATH", help="files and folders")
    command.add_argument(
        "--group",
        required=True,
        metavar="NAME",
        help="the job group's name: created (with --template) when no group has it",
    )
    command.add_argument(
        "--template",
        metavar="ID",
        help="the jobs' template (default: the group's; a new group gets the built-in "
        "generic invoice template)",
    )
    command.add_argument(
        "--process",
        action="store_true",
        help="queue the pages for OCR and wait until each is processed or failed",
    )
    command.set_defaults(handler=_import)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=get_settings().log_level, format="%(levelname)s %(name)s %(message)s")
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)  # import chatter
    return int(args.handler(args))


if __name__ == "__main__":
    sys.exit(main())
