"""Resource ids: 24 lowercase hex characters, the ObjectId shape legacy clients already use.

Like an ObjectId, the first four bytes are the creation time in seconds, so ids sort
roughly by creation; the rest is random, so ids cannot be guessed from one another.
"""

from __future__ import annotations

import re
import secrets
import time

ID_PATTERN = re.compile(r"^[0-9a-f]{24}$")


def new_id() -> str:
    return f"{int(time.time()) & 0xFFFFFFFF:08x}{secrets.token_hex(8)}"


def is_valid_id(value: object) -> bool:
    return isinstance(value, str) and ID_PATTERN.match(value) is not None
