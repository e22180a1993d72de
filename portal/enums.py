"""Enums whose members carry a translatable label: `DRAFT = "draft", _l("Draft")`."""
from __future__ import annotations

import enum
from typing import Any


class LabelledEnum(enum.Enum):
    """`.value` is the stored string; `.label` the lazy-translated name people read."""

    label: Any

    def __new__(cls, value: str, label: Any) -> LabelledEnum:
        member = object.__new__(cls)
        member._value_ = value
        member.label = label
        return member
