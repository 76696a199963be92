"""The organisation tree: units of any depth, from provincial committee to cell."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from learning.db import Base, utcnow

# Kinds of unit, top to bottom. The tree's depth varies between provinces and
# has changed over time (districts removed in 2025), so nothing assumes a level.
UNIT_KINDS = ("province", "committee", "grassroots", "cell", "group")


class Unit(Base):
    __tablename__ = "units"

    id: Mapped[int] = mapped_column(primary_key=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))
    code: Mapped[str | None] = mapped_column(String(40), unique=True)
    # Materialised path of ids ("/1/4/9/"): a subtree is one prefix query.
    # Moving a unit rewrites the paths below it; ids never change, so history holds.
    path: Mapped[str] = mapped_column(String(400), index=True, default="")
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    parent: Mapped[Unit | None] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[Unit]] = relationship(back_populates="parent", order_by="Unit.name")

    def contains(self, other: Unit) -> bool:
        """True when `other` is this unit or lies anywhere below it."""
        return bool(self.path) and other.path.startswith(self.path)

    def __repr__(self) -> str:
        return f"<Unit {self.id} {self.name!r}>"
