"""A horizontal bar chart's geometry, pure: the server draws it as inline SVG
(templates/review/_chart.html), so it needs no script and no chart library,
and reads the same with styles off. Each bar has its label above it in text
and its value written at its end."""
from __future__ import annotations

from dataclasses import dataclass

WIDTH = 360  # the viewBox's width: one unit is a CSS pixel on a phone
ROW = 44  # the height of one bar's row: label, then bar
BAR = 16
LABEL_CHARS = 44  # longer names are shortened (the full name is the bar's title)
VALUE_ROOM = 56  # room at the right for "100%"


@dataclass(frozen=True)
class Bar:
    label: str  # as drawn (maybe shortened)
    full_label: str
    value: float | None  # a percentage, 0–100 (None: nothing to count)
    href: str | None
    label_y: float
    bar_y: float
    width: float  # of the filled bar
    value_x: float
    value_text: str


@dataclass(frozen=True)
class Chart:
    bars: list[Bar]
    width: int
    height: int
    track: float  # the width of a full (100%) bar
    bar: int = BAR  # a bar's height


def shorten(text: str, limit: int = LABEL_CHARS) -> str:
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def value_text(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value:.1f}".rstrip("0").rstrip(".") + "%"


def bar_chart(rows: list[tuple[str, float | None, str | None]]) -> Chart:
    """rows: (label, percentage or None, link or None), drawn in order."""
    track = WIDTH - VALUE_ROOM
    bars = []
    for index, (label, value, href) in enumerate(rows):
        top = index * ROW
        clamped = 0.0 if value is None else min(max(value, 0.0), 100.0)
        width = round(track * clamped / 100, 1)
        bars.append(Bar(shorten(label), label, value, href, label_y=top + 15, bar_y=top + 22, width=width,
                        value_x=width + 6, value_text=value_text(value)))
    return Chart(bars=bars, width=WIDTH, height=max(len(rows), 1) * ROW, track=track)
