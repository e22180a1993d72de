"""Geometry of the server-rendered SVG charts (no client chart library): the templates draw
what these compute. Pure.
"""
from __future__ import annotations

from dataclasses import dataclass

# Horizontal bars: one band per item, one bar per series inside it.
LABEL_WIDTH = 150
PLOT_WIDTH = 420
BAR_HEIGHT = 12
BAND_GAP = 10
TOP = 24


@dataclass(frozen=True)
class Bar:
    series: int
    value: int
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class Band:
    label: str
    y: float  # the label's baseline
    bars: tuple[Bar, ...]


@dataclass(frozen=True)
class BarChart:
    bands: tuple[Band, ...]
    width: int
    height: int
    maximum: int
    label_width: int = LABEL_WIDTH


def bar_chart(items: list[tuple[str, tuple[int, ...]]]) -> BarChart:
    """Bars for each (label, values) item, scaled so the largest value fills the plot;
    negative values are drawn as zero (a chart of counts)."""
    maximum = max((max(values, default=0) for _label, values in items), default=0)
    scale = PLOT_WIDTH / maximum if maximum > 0 else 0.0
    series = max((len(values) for _label, values in items), default=1)
    band_height = series * BAR_HEIGHT + BAND_GAP
    bands = []
    for index, (label, values) in enumerate(items):
        top = TOP + index * band_height
        bars = tuple(Bar(number, value, LABEL_WIDTH, top + number * BAR_HEIGHT,
                         max(value, 0) * scale, BAR_HEIGHT - 2)
                     for number, value in enumerate(values))
        bands.append(Band(label, top + series * BAR_HEIGHT / 2 + 4, bars))
    height = TOP + len(items) * band_height + 4
    return BarChart(tuple(bands), LABEL_WIDTH + PLOT_WIDTH + 60, int(height), maximum)


SPARK_WIDTH, SPARK_HEIGHT = 80, 20


def sparkline(values: list[int]) -> str:
    """The points of a small line through `values`, for an SVG polyline."""
    if not values:
        return ""
    top = max(max(values), 1)
    step = SPARK_WIDTH / max(len(values) - 1, 1)
    return " ".join(f"{index * step:.1f},{SPARK_HEIGHT - 2 - value / top * (SPARK_HEIGHT - 4):.1f}"
                    for index, value in enumerate(values))
