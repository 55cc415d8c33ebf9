"""Bar charts as server-rendered SVG data: no JavaScript and no CDN needed to see them."""

from __future__ import annotations

from dataclasses import dataclass

BAR_HEIGHT = 22
GAP = 6
LABEL_WIDTH = 150
WIDTH = 380


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    y: int
    width: int


@dataclass(frozen=True)
class Chart:
    title: str
    bars: list[Bar]
    height: int
    width: int = WIDTH
    label_width: int = LABEL_WIDTH

    @property
    def total(self) -> int:
        return sum(b.value for b in self.bars)


def bar_chart(
    title: str, counts: dict[str, int], labels: dict[str, str] | None = None, top: int = 12
) -> Chart:
    """A horizontal bar chart of the largest `top` counts (rendered by templates/_chart.html)."""
    items = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:top]
    peak = max((v for _, v in items), default=0) or 1
    room = WIDTH - LABEL_WIDTH - 60
    bars = [
        Bar(
            (labels or {}).get(key, key),
            value,
            i * (BAR_HEIGHT + GAP),
            max(2, round(room * value / peak)) if value else 0,
        )
        for i, (key, value) in enumerate(items)
    ]
    return Chart(title, bars, max(BAR_HEIGHT, len(bars) * (BAR_HEIGHT + GAP)))
