"""The delivery log of group notifications in GraphQL (``JobGroup.notificationDeliveries``).

Loaded through a per-request DataLoader keyed by (group id, limit): one statement for all
the groups of a query, whatever their number (``outbox.deliveries_for_groups``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

import strawberry
from strawberry.dataloader import DataLoader
from strawberry.scalars import JSON

from ocr_gateway.notifications import models
from ocr_gateway.notifications.models import DeliveryStatus
from ocr_gateway.notifications.outbox import deliveries_for_groups

if TYPE_CHECKING:
    from ocr_gateway.schema.context import Context

__all__ = [
    "DeliveryKey",
    "WebhookDelivery",
    "deliveries_for_groups",
    "group_deliveries_loader",
]

DeliveryKey = tuple[str, int]  # (group id, limit)

strawberry.enum(
    DeliveryStatus,
    name="WebhookDeliveryStatus",
    description="pending (also while retrying) -> delivered | failed",
)


@strawberry.type(description="One event sent to a group's webhook, with its attempts")
class WebhookDelivery:
    id: strawberry.ID = strawberry.field(
        description="Also sent as X-OCR-Gateway-Delivery and the body's id"
    )
    event: str = strawberry.field(
        description="group.completed, group.failed, group.partially_failed or page.failed"
    )
    url: str
    status: DeliveryStatus
    attempts: int = strawberry.field(description="Attempts made (or under way)")
    last_status_code: int | None = strawberry.field(
        description="HTTP status the receiver last answered"
    )
    last_error: dict[str, Any] | None = strawberry.field(
        graphql_type=JSON | None, description="{code, message, body?} of the last attempt"
    )
    created_at: datetime
    delivered_at: datetime | None
    next_attempt_at: datetime | None = strawberry.field(
        description="When a pending delivery is tried next"
    )

    @classmethod
    def from_row(cls, row: models.WebhookDelivery) -> WebhookDelivery:
        return cls(
            id=strawberry.ID(row.id),
            event=row.event,
            url=row.url,
            status=DeliveryStatus(row.status),
            attempts=row.attempts,
            last_status_code=row.last_status_code,
            last_error=row.last_error,
            created_at=row.created_at,
            delivered_at=row.delivered_at,
            next_attempt_at=row.next_attempt_at,
        )


def group_deliveries_loader(
    ctx: Context,
) -> DataLoader[DeliveryKey, list[models.WebhookDelivery]]:
    async def load(keys: Sequence[DeliveryKey]) -> list[list[models.WebhookDelivery]]:
        by_limit: dict[int, list[str]] = defaultdict(list)
        for group_id, limit in keys:
            by_limit[limit].append(group_id)
        found: dict[DeliveryKey, list[models.WebhookDelivery]] = {}
        for limit, group_ids in by_limit.items():
            async with ctx.session() as session:
                rows = await deliveries_for_groups(session, group_ids, limit)
            found.update({(g, limit): rows.get(g, []) for g in group_ids})
        return [found[key] for key in keys]

    return DataLoader(load_fn=load)
