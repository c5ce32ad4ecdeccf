"""The webhook outbox: one row per event to send to a group's webhook, and its fate.

    pending --2xx--------------------------------------------------------> delivered
    pending --5xx, 408/425/429, timeout, connection error, attempts left--> pending (later)
    pending --3xx, other 4xx, refused address, attempts used up----------> failed

``next_attempt_at`` is when a pending delivery is next due; a worker that claims it moves it
a lease ahead (see ``outbox.claim_due``), so a worker dying mid-send leaves the delivery to be
retried once the lease runs out. It is NULL once the delivery is delivered or failed.

The table itself is declared with the others in ``db.models`` (the data layer imports
nothing from above it); this module is where the notifications code finds it.
"""

from __future__ import annotations

from ocr_gateway.db.models import WebhookDelivery
from ocr_gateway.enums import DeliveryStatus

__all__ = ["DeliveryStatus", "WebhookDelivery"]
