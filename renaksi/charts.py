"""Charts as SVG drawn on the server: geometry here, markup in ``templates/renaksi/charts/``.

The same chart shows in the browser and in a PDF (WeasyPrint draws SVG). Each chart carries a
title and a text alternative (its numbers as a table) for screen readers. Small and ours: two
kinds of chart, a few dozen lines, no charting dependency to keep up with.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from renaksi.numbers import format_number

WIDTH = 640
BAR_HEIGHT = 22
BAR_GAP = 8
LABEL_WIDTH = 230
NEUTRAL = "9AA4B2"


@dataclass(frozen=True)
class Bar:
    label: str
    value: Decimal | None
    color: str  # hex without "#"
    y: float
    width: float

    @property
    def shown(self) -> str:
        return "-" if self.value is None else format_number(self.value, 1)


@dataclass(frozen=True)
class BarChart:
    id: str
    title: str
    unit: str  # "%" or ""
    bars: list[Bar]
    height: float
    label_width: float = LABEL_WIDTH
    width: float = WIDTH

    @property
    def plot_width(self) -> float:
        return self.width - self.label_width - 60


def bar_chart(
    id: str, title: str, items: list[tuple[str, Decimal | None, str]], *, unit: str = ""
) -> BarChart:
    """Horizontal bars, one per (label, value, colour); the longest bar spans the plot."""
    top = max([value for _label, value, _color in items if value is not None] or [Decimal(1)])
    top = max(top, Decimal(100)) if unit == "%" else max(top, Decimal(1))
    plot = WIDTH - LABEL_WIDTH - 60
    bars = [
        Bar(
            label=label,
            value=value,
            color=color or NEUTRAL,
            y=index * (BAR_HEIGHT + BAR_GAP),
            width=float(value / top * plot) if value is not None and value > 0 else 0.0,
        )
        for index, (label, value, color) in enumerate(items)
    ]
    return BarChart(id, title, unit, bars, height=max(len(bars), 1) * (BAR_HEIGHT + BAR_GAP))


@dataclass(frozen=True)
class BarGroup:
    """One label with a bar per series (e.g. a bidang's capaian and serapan)."""

    label: str
    y: float
    bars: list[Bar]  # ``Bar.y`` within the group; ``Bar.label`` is the series'


@dataclass(frozen=True)
class GroupedBarChart:
    id: str
    title: str
    unit: str
    series: list[tuple[str, str]]  # (label, colour) of each bar of a group, for the legend
    groups: list[BarGroup]
    height: float
    label_width: float = LABEL_WIDTH
    width: float = WIDTH
    top: float = 26  # room for the legend above the groups


GROUP_GAP = 12


def grouped_bar_chart(
    id: str,
    title: str,
    series: list[tuple[str, str]],
    items: list[tuple[str, list[Decimal | None]]],
    *,
    unit: str = "%",
) -> GroupedBarChart:
    """Horizontal bars in groups: per (label, values) one bar per series, in its colour."""
    values = [value for _label, group in items for value in group if value is not None]
    top = max([*values, Decimal(100)] if unit == "%" else [*values, Decimal(1)])
    plot = WIDTH - LABEL_WIDTH - 60
    bar = BAR_HEIGHT - 4
    group_height = len(series) * bar + GROUP_GAP
    legend = 26
    groups = [
        BarGroup(
            label=label,
            y=legend + index * group_height,
            bars=[
                Bar(
                    label=series_label,
                    value=value,
                    color=color,
                    y=position * bar,
                    width=float(value / top * plot) if value is not None and value > 0 else 0.0,
                )
                for position, ((series_label, color), value) in enumerate(
                    zip(series, group, strict=True)
                )
            ],
        )
        for index, (label, group) in enumerate(items)
    ]
    return GroupedBarChart(
        id, title, unit, series, groups, height=legend + max(len(groups), 1) * group_height
    )


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    value: Decimal


@dataclass(frozen=True)
class Line:
    label: str
    css: str  # "target" (dashed) or "realisasi"
    points: list[Point]

    @property
    def path(self) -> str:
        return " ".join(f"{point.x:.1f},{point.y:.1f}" for point in self.points)


@dataclass(frozen=True)
class LineChart:
    id: str
    title: str
    x_labels: list[tuple[float, str]]
    lines: list[Line]
    rows: list[tuple[str, list[str]]]  # the text alternative: label, value per quarter
    y_ticks: list[tuple[float, str]] = field(default_factory=list)
    width: float = WIDTH
    height: float = 220


def line_chart(
    id: str, title: str, x_labels: list[str], series: list[tuple[str, str, list[Decimal | None]]]
) -> LineChart:
    """Lines over the quarters, one per (label, css, values); values in percent (0–100+)."""
    left, right, top, bottom = 48, 20, 16, 190
    step = (WIDTH - left - right) / max(len(x_labels) - 1, 1)
    highest = max([v for _l, _c, values in series for v in values if v is not None] or [0])
    ceiling = max(Decimal(100), highest)

    def y(value: Decimal) -> float:
        return bottom - float(value / ceiling) * (bottom - top)

    lines = [
        Line(
            label=label,
            css=css,
            points=[
                Point(left + index * step, y(value), value)
                for index, value in enumerate(values)
                if value is not None
            ],
        )
        for label, css, values in series
    ]
    ticks = [(y(Decimal(t)), f"{t}%") for t in (0, 25, 50, 75, 100)]
    rows = [
        (label, ["-" if v is None else format_number(v, 1) for v in values])
        for label, _css, values in series
    ]
    return LineChart(
        id=id,
        title=title,
        x_labels=[(left + index * step, text) for index, text in enumerate(x_labels)],
        lines=lines,
        rows=rows,
        y_ticks=ticks,
    )
