"""Server-rendered SVG bar charts with a data table beside them (Flask-free).

Why hand-built and not pygal: pages are served with the CSP
`style-src 'self'`, which blocks the <style> element pygal writes into every
chart when the SVG is inlined, and pygal's default output links external
scripts. These charts use only presentation attributes and CSS classes
(styled from sauti.css), reference nothing outside themselves, need no
JavaScript, and mirror for right-to-left pages.

API (labels must already be in the interface language; pass str() of lazy
strings or a callable):

    bar_chart(rows, *, label, value, title, rtl=False, vertical=False,
              number=str, chart_id=None) -> Markup      # the <svg> alone
    data_table(rows, *, label, columns, caption, number=str) -> Markup
    figure(rows, *, label, value, title, columns, rtl=False, vertical=False,
           number=str, empty_text="") -> Markup           # <figure> with both
    suppress(rows, k, *, key="needs") -> (shown, hidden)  # for public pages

`label` and `value` are a row key or a callable taking the row; `columns` a
list of (header, key-or-callable) for the table (the chart's value should be
one of them, so the numbers match). `number` formats numbers (e.g.
flask_babel.format_decimal). Every bar carries `data-label` and `data-value`,
and every table cell `data-value`, so tests can compare them.
"""

import hashlib
import unicodedata
from collections.abc import Callable

from markupsafe import Markup, escape

WIDTH = 560
ROW = 26
BAR = 18
PAD = 6
LABEL_SHARE = 0.38
CHAR_PX = 7.2  # average width of a character at font-size 12


def _getter(spec) -> Callable:
    return spec if callable(spec) else (lambda row: row[spec])


def _width(ch: str) -> float:
    return 2.0 if unicodedata.east_asian_width(ch) in "WF" else 1.0


def _fit(text: str, room: float) -> str:
    """TEXT shortened with an ellipsis to about ROOM pixels."""
    limit = room / CHAR_PX
    used, out = 0.0, []
    for ch in text:
        used += _width(ch)
        if used > limit:
            return "".join(out[:-1]) + "…"
        out.append(ch)
    return text


def _id(title: str, rows: list) -> str:
    digest = hashlib.sha1(f"{title}|{len(rows)}".encode()).hexdigest()[:8]
    return f"chart-{digest}"


def bar_chart(
    rows,
    *,
    label,
    value,
    title: str,
    rtl: bool = False,
    vertical: bool = False,
    number: Callable = str,
    chart_id: str | None = None,
) -> Markup:
    """An accessible SVG bar chart: one bar per row, its number written beside it."""
    rows = list(rows)
    get_label, get_value = _getter(label), _getter(value)
    items = [(str(get_label(r)), get_value(r) or 0) for r in rows]
    chart_id = chart_id or _id(title, rows)
    if vertical:
        body, width, height = _columns(items, rtl, number)
    else:
        body, width, height = _bars(items, rtl, number)
    direction = "rtl" if rtl else "ltr"
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart-svg" role="img" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'direction="{direction}" font-size="12" aria-labelledby="{chart_id}-t">'
        f'<title id="{chart_id}-t">{escape(title)}</title>{body}</svg>'
    )


def _bar(x, y, w, h, text, val, number) -> str:
    return (
        f'<rect class="chart-bar" fill="#0b6e69" x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" '
        f'height="{h:.1f}" data-label="{escape(text)}" data-value="{val}">'
        f"<title>{escape(text)}: {escape(number(val))}</title></rect>"
    )


def _bars(items, rtl, number):
    label_w = WIDTH * LABEL_SHARE
    room = WIDTH - label_w - PAD - 48  # space left for the number after the bar
    top = max((v for _, v in items), default=0) or 1
    height = PAD * 2 + ROW * max(len(items), 1)
    parts = []
    for i, (text, val) in enumerate(items):
        y = PAD + i * ROW
        w = room * val / top
        mid = y + ROW / 2 + 4
        if rtl:
            x0 = WIDTH - label_w
            parts.append(
                f'<text class="chart-label" x="{WIDTH - 2}" y="{mid:.1f}" text-anchor="start">'
                f"{escape(_fit(text, label_w - PAD))}</text>"
            )
            parts.append(_bar(x0 - w, y + (ROW - BAR) / 2, w, BAR, text, val, number))
            parts.append(
                f'<text class="chart-value" x="{x0 - w - 4:.1f}" y="{mid:.1f}" '
                f'text-anchor="start" data-value="{val}">{escape(number(val))}</text>'
            )
        else:
            parts.append(
                f'<text class="chart-label" x="{label_w - PAD}" y="{mid:.1f}" text-anchor="end">'
                f"{escape(_fit(text, label_w - PAD))}</text>"
            )
            parts.append(_bar(label_w, y + (ROW - BAR) / 2, w, BAR, text, val, number))
            parts.append(
                f'<text class="chart-value" x="{label_w + w + 4:.1f}" y="{mid:.1f}" '
                f'text-anchor="start" data-value="{val}">{escape(number(val))}</text>'
            )
    axis_x = WIDTH - label_w if rtl else label_w
    parts.append(
        f'<line class="chart-axis" stroke="#5a6b70" x1="{axis_x}" y1="{PAD}" '
        f'x2="{axis_x}" y2="{height - PAD}"/>'
    )
    return "".join(parts), WIDTH, height


def _columns(items, rtl, number):
    n = max(len(items), 1)
    slot = max(min((WIDTH - 2 * PAD) / n, 80), 28)
    width = max(WIDTH, int(slot * n + 2 * PAD))
    plot_h, label_h, value_h = 160, 30, 16
    height = value_h + plot_h + label_h
    top = max((v for _, v in items), default=0) or 1
    parts = []
    for i, (text, val) in enumerate(items):
        pos = (n - 1 - i) if rtl else i
        x = PAD + pos * slot
        h = plot_h * val / top
        y = value_h + plot_h - h
        bar_w = slot * 0.7
        cx = x + slot / 2
        parts.append(_bar(x + (slot - bar_w) / 2, y, bar_w, h, text, val, number))
        parts.append(
            f'<text class="chart-value" x="{cx:.1f}" y="{y - 3:.1f}" text-anchor="middle" '
            f'data-value="{val}">{escape(number(val))}</text>'
        )
        parts.append(
            f'<text class="chart-label" x="{cx:.1f}" y="{value_h + plot_h + 18}" '
            f'text-anchor="middle">{escape(_fit(text, slot))}</text>'
        )
    base = value_h + plot_h
    parts.append(
        f'<line class="chart-axis" stroke="#5a6b70" x1="{PAD}" y1="{base}" '
        f'x2="{width - PAD}" y2="{base}"/>'
    )
    return "".join(parts), width, height


def data_table(rows, *, label, columns, caption: str, label_header: str = "", number=str):
    """A plain table of the chart's numbers: one row per bar."""
    get_label = _getter(label)
    head = "".join(f'<th scope="col">{escape(h)}</th>' for h, _ in columns)
    body = []
    for row in rows:
        cells = []
        for _header, spec in columns:
            val = _getter(spec)(row)
            shown = val if isinstance(val, Markup | str) else number(val)
            cells.append(f'<td class="num" data-value="{escape(val)}">{escape(shown)}</td>')
        body.append(f'<tr><th scope="row">{escape(get_label(row))}</th>{"".join(cells)}</tr>')
    return Markup(
        f'<table class="chart-data"><caption>{escape(caption)}</caption>'
        f'<thead><tr><th scope="col">{escape(label_header)}</th>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table>"
    )


def figure(
    rows,
    *,
    label,
    value,
    title: str,
    columns,
    label_header: str = "",
    rtl: bool = False,
    vertical: bool = False,
    number=str,
    empty_text: str = "",
) -> Markup:
    """A <figure> with the chart and, beside it, the table of its numbers
    (or EMPTY_TEXT when there are no rows)."""
    rows = list(rows)
    if not rows:
        return Markup(
            f'<figure class="chart"><figcaption>{escape(title)}</figcaption>'
            f'<p class="chart-empty">{escape(empty_text)}</p></figure>'
        )
    svg = bar_chart(
        rows, label=label, value=value, title=title, rtl=rtl, vertical=vertical, number=number
    )
    table = data_table(
        rows, label=label, columns=columns, caption=title, label_header=label_header, number=number
    )
    return Markup(
        f'<figure class="chart"><figcaption>{escape(title)}</figcaption>'
        f'<div class="chart-pic">{svg}</div><div class="chart-table scroll">{table}</div></figure>'
    )


def suppress(rows, k: int, *, key: str = "needs") -> tuple[list, list]:
    """Split ROWS into (shown, hidden) for a public page.

    A row whose KEY is below K is hidden; when exactly one row is hidden,
    the smallest shown row is hidden too (a complementary cell), so the
    hidden value cannot be recovered from a total published elsewhere.
    Hidden rows get "complementary": True when they were hidden only for that.
    """
    rows = [dict(r) for r in rows]
    hidden = [r for r in rows if r[key] < k]
    shown = [r for r in rows if r[key] >= k]
    if len(hidden) == 1 and shown:
        extra = min(shown, key=lambda r: r[key])
        shown.remove(extra)
        extra["complementary"] = True
        hidden.append(extra)
    return shown, hidden
