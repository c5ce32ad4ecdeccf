"""The webhook outbox: one row per event to send to a group's webhook, and its fate.

    pending --2xx--------------------------------------------------------> delivered
    pending --5xx, 408/425/429, timeout, connection error, attempts left--> pending (later)
    pending --3xx, other 4xx, refused address, attempts used up----------> failed

``next_attempt_at`` is when a pending delivery is next due; a worker that claims it moves it
a lease ahead (see ``outbox.claim_due``), so a worker dying mid-send leaves the delivery to be
retried once the lease runs out. It is NULL once the delivery is delivered or failed.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from ocr_gateway.db.models import ID, Base
from ocr_gateway.db.types import JsonType, utcnow
from ocr_gateway.ids import new_id


class DeliveryStatus(StrEnum):
    pending = "pending"
    delivered = "delivered"
    failed = "failed"


class WebhookDelivery(Base):
    __tablename__ = "webhook_deliveries"

    id: Mapped[str] = mapped_column(ID, primary_key=True, default=new_id)
    group_id: Mapped[str] = mapped_column(ForeignKey("job_groups.id", ondelete="CASCADE"))
    event: Mapped[str] = mapped_column(String(64))
    url: Mapped[str] = mapped_column(String(2048))
    payload: Mapped[dict[str, Any]] = mapped_column()
    status: Mapped[str] = mapped_column(String(16), default=DeliveryStatus.pending.value)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column()
    last_status_code: Mapped[int | None] = mapped_column(Integer)
    last_error: Mapped[dict[str, Any] | None] = mapped_column(JsonType)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    delivered_at: Mapped[datetime | None] = mapped_column()

    __table_args__ = (
        CheckConstraint("status IN ('pending', 'delivered', 'failed')", name="status"),
        # The delivery log of a group, newest first (also serves the cascade from job_groups).
        Index("ix_webhook_deliveries_group_id_created_at", "group_id", "created_at"),
        # What the senders poll: due pending deliveries.
        Index("ix_webhook_deliveries_status_next_attempt_at", "status", "next_attempt_at"),
    )
