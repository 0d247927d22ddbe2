"""An inbound WeCom message as the inbox stores it: JSON naming its kind and its fields.

Why not the decrypted XML: the message was parsed and checked before it was acknowledged, and the
inbox must hand the very same message back after a restart, without a second parse that could fail.
"""

from __future__ import annotations

import dataclasses
import json

from .messages import Event, Image, Inbound, Text, Unsupported

_KINDS: dict[str, type[Inbound]] = {kind.__name__: kind for kind in (Text, Image, Unsupported, Event)}


def to_payload(inbound: Inbound) -> str:
    return json.dumps({"type": type(inbound).__name__, "fields": dataclasses.asdict(inbound)}, ensure_ascii=False)


def from_payload(text: str) -> Inbound:
    """The message back; raises ValueError on a row this version cannot read."""
    stored = json.loads(text)
    if not isinstance(stored, dict) or not isinstance(fields := stored.get("fields"), dict):
        raise ValueError("an inbox payload is a JSON object with its fields")
    kind = _KINDS.get(str(stored.get("type", "")))
    if kind is None:
        raise ValueError("unknown kind of inbox payload")
    try:
        return kind(**fields)
    except TypeError as error:
        raise ValueError(f"inbox payload does not fit {kind.__name__}: {error}") from None
