"""Server-side SVG charts: plain, readable markup with a title and a description for
screen readers (the pages also show every chart's figures as a table)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

WIDTH = 640
BAR = 22
GAP = 8
LABEL_W = 290
VALUE_W = 64
LABEL_CHARS = 32


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    note: str = ""  # the bar's number as shown (formatted for the language)


def _short(text: str, limit: int = LABEL_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _open(chart_id: str, title: str, desc: str, width: int, height: int) -> list[str]:
    return [
        f'<svg class="chart" viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'aria-labelledby="{chart_id}-t {chart_id}-d" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart_id}-t">{escape(title)}</title>',
        f'<desc id="{chart_id}-d">{escape(desc)}</desc>',
    ]


def bar_chart(chart_id: str, title: str, desc: str, bars: Sequence[Bar]) -> Markup:
    """Horizontal bars, one per row, longest = the largest value."""
    height = max(len(bars), 1) * (BAR + GAP) + GAP
    top = max((b.value for b in bars), default=0) or 1
    span = WIDTH - LABEL_W - VALUE_W
    out = _open(chart_id, title, desc, WIDTH, height)
    for i, bar in enumerate(bars):
        y = GAP + i * (BAR + GAP)
        length = round(span * bar.value / top, 1)
        out.append(
            f'<g><title>{escape(bar.label)}: {escape(bar.note or bar.value)}</title>'
            f'<text x="{LABEL_W - 6}" y="{y + BAR * 0.7}" text-anchor="end">'
            f'{escape(_short(bar.label))}</text>'
            f'<rect class="bar" x="{LABEL_W}" y="{y}" width="{max(length, 1 if bar.value else 0)}"'
            f' height="{BAR}" rx="2"/>'
            f'<text x="{LABEL_W + length + 6}" y="{y + BAR * 0.7}">'
            f'{escape(bar.note or bar.value)}</text></g>')
    out.append("</svg>")
    return Markup("".join(out))


def column_chart(chart_id: str, title: str, desc: str, bars: Sequence[Bar],
                 first_label: str = "", last_label: str = "") -> Markup:
    """Vertical columns over time, with the first and last period named under the axis."""
    height, top_pad, bottom = 220, 20, 36
    plot_h = height - top_pad - bottom
    left, right = 50, 10
    n = max(len(bars), 1)
    step = (WIDTH - left - right) / n
    top = max((b.value for b in bars), default=0) or 1
    out = _open(chart_id, title, desc, WIDTH, height)
    base = top_pad + plot_h
    out.append(f'<line class="axis" x1="{left}" y1="{base}" x2="{WIDTH - right}" y2="{base}"/>')
    out.append(f'<text x="{left - 6}" y="{top_pad + 4}" text-anchor="end">{top}</text>')
    out.append(f'<text x="{left - 6}" y="{base}" text-anchor="end">0</text>')
    for i, bar in enumerate(bars):
        h = round(plot_h * bar.value / top, 1)
        x = round(left + i * step + step * 0.1, 1)
        out.append(f'<rect class="bar" x="{x}" y="{round(base - h, 1)}" '
                   f'width="{round(max(step * 0.8, 0.5), 1)}" height="{h}">'
                   f'<title>{escape(bar.label)}: {escape(bar.note or bar.value)}</title></rect>')
    out.append(f'<text x="{left}" y="{height - 12}">{escape(first_label)}</text>')
    out.append(f'<text x="{WIDTH - right}" y="{height - 12}" text-anchor="end">'
               f'{escape(last_label)}</text>')
    out.append("</svg>")
    return Markup("".join(out))


def share_bars(chart_id: str, title: str, desc: str,
               rows: Sequence[tuple[str, float | None, str]]) -> Markup:
    """Small paired bars on a 0–100 % scale (e.g. reported progress beside the share of
    residents satisfied). rows: (label, share 0..1 or None, shown text)."""
    width, label_w, bar_h, gap = 340, 150, 14, 6
    span = width - label_w - 50
    height = len(rows) * (bar_h + gap) + gap
    out = _open(chart_id, title, desc, width, height)
    for i, (label, share, shown) in enumerate(rows):
        y = gap + i * (bar_h + gap)
        out.append(f'<text x="{label_w - 4}" y="{y + bar_h * 0.8}" text-anchor="end">'
                   f'{escape(label)}</text>'
                   f'<rect class="track" x="{label_w}" y="{y}" width="{span}" height="{bar_h}"/>')
        if share is not None:
            out.append(f'<rect class="bar bar-{i}" x="{label_w}" y="{y}" '
                       f'width="{round(span * share, 1)}" height="{bar_h}"/>')
        out.append(f'<text x="{label_w + span + 4}" y="{y + bar_h * 0.8}">{escape(shown)}</text>')
    out.append("</svg>")
    return Markup("".join(out))
