"""Which slice of a result a page shows: the requested page, kept within what exists."""
from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Window:
    total: int
    page: int  # 1-based, between 1 and pages
    pages: int  # at least 1, so an empty result still has a page
    size: int

    @classmethod
    def of(cls, total: int, requested: int, size: int) -> Window:
        pages = max(1, math.ceil(total / size))
        return cls(total, min(max(1, requested), pages), pages, size)

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.size


@dataclass
class Page:
    """One page of results, as the pagination macro reads it."""

    items: Sequence
    total: int
    page: int
    pages: int

    @classmethod
    def of(cls, items: Sequence, window: Window) -> Page:
        return cls(items, window.total, window.page, window.pages)
