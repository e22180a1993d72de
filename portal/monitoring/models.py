"""What monitoring counts a posting under: its majors, 专业类 and canonical skills."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from portal.db import Base, enum_type
from portal.enums import LabelledEnum


class Dimension(LabelledEnum):
    """What the balance table is aggregated by."""

    MAJOR = "major", _l("Major")
    FIELD = "field", _l("Major class (专业类)")
    SKILL = "skill", _l("Skill")


class PostingFacet(Base):
    """One major, 专业类 or skill a posting counts under (a demand may name several).
    Derived from the posting by `portal.monitoring.facets`, rewritten when it changes."""

    __tablename__ = "posting_facets"
    __table_args__ = (Index("ix_posting_facets_dimension_key", "dimension", "key"),)

    posting_id: Mapped[int] = mapped_column(
        ForeignKey("postings.id", ondelete="CASCADE"), primary_key=True)
    dimension: Mapped[Dimension] = mapped_column(enum_type(Dimension), primary_key=True)
    # Stable key (the catalogue major's name, the 专业类 field key, the taxonomy concept or
    # the skill tag) and the name people read.
    key: Mapped[str] = mapped_column(String(120), primary_key=True)
    label: Mapped[str] = mapped_column(String(200))

    def __repr__(self) -> str:
        return f"<PostingFacet {self.posting_id} {self.dimension.value}:{self.key}>"
