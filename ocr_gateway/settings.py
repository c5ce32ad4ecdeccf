"""Every knob of the service, read from the environment (prefix ``OCR_GATEWAY_``).

``DATABASE_URL`` is also accepted without the prefix, as operators expect.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///./data/ocr_gateway.db"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="OCR_GATEWAY_", extra="ignore")

    database_url: str = Field(
        default=DEFAULT_DATABASE_URL,
        validation_alias=AliasChoices("DATABASE_URL", "OCR_GATEWAY_DATABASE_URL"),
        description="SQLAlchemy async URL: sqlite+aiosqlite:///... or postgresql+asyncpg://...",
    )
    db_pool_size: int = Field(default=10, ge=1, description="PostgreSQL connections per process")
    db_max_overflow: int = Field(default=10, ge=0)
    statement_timeout_ms: int = Field(
        default=15_000, ge=0, description="PostgreSQL statement_timeout (0 = none)"
    )
    request_timeout_s: float = Field(
        default=30.0, gt=0, description="Upper bound on one GraphQL operation's execution"
    )
    echo_sql: bool = False

    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    graphql_path: str = "/graphql"
    rest_prefix: str = "/api/v1"

    max_page_size: int = Field(default=100, ge=1)
    max_query_depth: int = Field(default=10, ge=1)
    max_aliases: int = Field(default=30, ge=1)
    max_tokens: int = Field(default=2_000, ge=1)
    max_selections: int = Field(
        default=2_000, ge=1, description="most fields in one document, fragments expanded"
    )
    introspection: bool = True
    compiled_reads: bool = Field(
        default=True, description="answer queries' data fields with SQL-built JSON (sql.compiler)"
    )
    compiled_crosscheck: bool = Field(
        default=False, description="tests: also run compiled root fields through the executor"
    )
    auth_enabled: bool = Field(
        default=True, description="require an API key (X-API-Key) on every API surface"
    )
    metrics_auth: bool = Field(
        default=True, description="/metrics needs a key with the metrics scope (false: open)"
    )
    api_key_cache_ttl_s: float = Field(
        default=10.0, ge=0, description="how long a checked key is trusted without the database"
    )
    api_key_cache_size: int = Field(default=1024, ge=1, description="keys remembered at most")
    api_key_touch_s: float = Field(
        default=60.0, gt=0, description="how often the keys' last use is written"
    )

    max_body_bytes: int = Field(default=1024 * 1024, ge=1024, description="largest request body")
    cors_origins: list[str] = Field(
        default_factory=list, description="origins allowed by CORS (none by default)"
    )

    log_level: str = "INFO"

    # Processing (see ocr_gateway.processing)
    local_workers: int = Field(
        default=1, ge=0, description="OCR processes the app runs itself on SQLite (0: none)"
    )
    ocr_engine: Literal["onnx", "torch"] = Field(
        default="onnx",
        description="onnx: easyocr's models on ONNX Runtime; torch: easyocr itself (the reference)",
    )
    ocr_gpu: bool | None = Field(default=None, description="None: use a GPU when present")
    ocr_threads: int | None = Field(
        default=None, ge=1, description="threads per OCR process (None: cores / processes)"
    )
    ocr_model_dir: Path = Field(
        default=Path("data/models"),
        description="where the ONNX exports of easyocr's models are cached (made on first start)",
    )
    ocr_detector_int8: bool = Field(
        default=True, description="run the text detector quantised to int8 (CPU only)"
    )
    ocr_vote_below: float = Field(
        default=0.7,
        ge=0.0,
        le=1.0,
        description="words read below this confidence are read again from altered copies and "
        "the reading they agree with is kept (0: off; ONNX engine only)",
    )

    def ocr_threads_for(self, processes: int) -> int:
        """Threads per OCR process so that the processes together use the cores once."""
        return self.ocr_threads or max(1, (os.cpu_count() or 1) // max(1, processes))

    max_attempts: int = Field(default=3, ge=1, description="tries per page for transient errors")
    retry_base_s: int = Field(default=2, ge=0, description="exponential backoff base (seconds)")
    worker_heartbeat_s: float = Field(default=10.0, gt=0)
    stalled_after_s: float = Field(
        default=30.0, gt=0, description="a worker silent this long is dead; its pages retry"
    )
    sweep_interval_s: float = Field(default=15.0, gt=0)
    media_root: Path | None = Field(default=None, description="where file:// page URLs may point")
    fetch_allow_loopback: bool = False
    fetch_allow_private: bool = False
    fetch_allowed_networks: list[str] = Field(default_factory=list)
    fetch_max_bytes: int = Field(default=25 * 1024 * 1024, ge=1)
    fetch_max_pixels: int = Field(default=50_000_000, ge=1)
    fetch_timeout_s: float = Field(default=60.0, gt=0)

    # Documents (see ocr_gateway.processing.document and text_source)
    pdf_max_pages: int = Field(
        default=200, ge=1, description="most pages a PDF may have (createJobFromDocument, pages)"
    )
    pdf_max_pixels: int = Field(
        default=40_000_000, ge=1, description="largest rasterised PDF page (the DPI is lowered)"
    )
    pdf_render_dpi: int = Field(
        default=150, ge=50, le=600, description="resolution a PDF page without text is OCRed at"
    )
    einvoice_max_bytes: int = Field(
        default=5 * 1024 * 1024, ge=1024, description="largest embedded e-invoice XML read"
    )

    # The review page's page images (see ocr_gateway.review)
    review_image_max_side: int = Field(
        default=1600, ge=64, le=10_000, description="long side of a served page image, pixels"
    )
    review_image_cache_bytes: int = Field(
        default=64 * 1024 * 1024, ge=0, description="rendered page images kept in memory, bytes"
    )
    review_image_url_ttl_s: float = Field(
        default=300.0, ge=0, description="how long an image fetched from a pageUrl is reused"
    )

    # Group notifications by webhook (see ocr_gateway.notifications.webhook)
    webhook_timeout_s: float = Field(
        default=10.0, gt=0, description="bound on one webhook attempt, connect to last byte"
    )
    webhook_max_attempts: int = Field(
        default=10, ge=1, description="attempts per delivery before it is marked failed"
    )
    webhook_retry_base_s: float = Field(
        default=10.0, ge=0, description="backoff: base * 2**(attempt - 1) seconds"
    )
    webhook_retry_max_s: float = Field(default=3600.0, ge=0, description="longest backoff")
    webhook_poll_s: float = Field(
        default=2.0, gt=0, description="how often senders look for due deliveries"
    )
    webhook_batch_size: int = Field(default=20, ge=1, description="deliveries sent at once")
    webhook_max_response_bytes: int = Field(default=16 * 1024, ge=1)
    webhook_allow_loopback: bool | None = Field(
        default=None, description="None: as fetch_allow_loopback"
    )
    webhook_allow_private: bool | None = Field(
        default=None, description="None: as fetch_allow_private"
    )
    webhook_allowed_networks: list[str] | None = Field(
        default=None, description="None: as fetch_allowed_networks"
    )

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def postgres_conninfo(self) -> str:
        """The database URL as libpq/psycopg takes it (for procrastinate)."""
        return self.database_url.replace("postgresql+asyncpg://", "postgresql://", 1)

    def sqlite_path(self) -> Path | None:
        """The database file of an SQLite URL (None for in-memory or another backend)."""
        if not self.is_sqlite:
            return None
        path = self.database_url.split(":///", 1)[-1].split("?", 1)[0]
        return None if path in ("", ":memory:") else Path(path)


@lru_cache
def get_settings() -> Settings:
    return Settings()
