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

# Drawn for a phone: the viewBox is about as wide as a 360 px screen leaves for a
# chart, so 14-unit text stays 12-14 px there (a wider drawing scaled down gave 6-7 px
# labels); on a wide screen CSS caps the drawing at 24rem. Short labels (months, age
# bands) stand beside their bar; long ones get a line of their own above it.
WIDTH = 320
FONT = 14
PAD = 6
BAR = 16
CHAR_PX = 7.6  # average width of a character at font-size 14
VALUE_ROOM = 56  # room for the number written after the longest bar
SIDE_LABEL_SHARE = 0.3  # labels this short (of WIDTH) stand beside their bar


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
    """An accessible SVG bar chart: one bar per row, its number written beside it.

    Bars are horizontal whatever VERTICAL says (kept for callers: on a phone a row
    per month reads better than 7 px column labels); rows keep their order, so
    months run down the chart."""
    rows = list(rows)
    get_label, get_value = _getter(label), _getter(value)
    items = [(str(get_label(r)), get_value(r) or 0) for r in rows]
    chart_id = chart_id or _id(title, rows)
    body, width, height = _bars(items, rtl, number)
    direction = "rtl" if rtl else "ltr"
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart-svg" role="img" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'direction="{direction}" font-size="{FONT}" aria-labelledby="{chart_id}-t">'
        f'<title id="{chart_id}-t">{escape(title)}</title>{body}</svg>'
    )


def _bar(x, y, w, h, text, val, number) -> str:
    return (
        f'<rect class="chart-bar" fill="#0b6e69" x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" '
        f'height="{h:.1f}" data-label="{escape(text)}" data-value="{val}">'
        f"<title>{escape(text)}: {escape(number(val))}</title></rect>"
    )


def _text_px(text: str) -> float:
    return sum(_width(ch) for ch in text) * CHAR_PX


def _bars(items, rtl, number):
    """Rows of (label, bar, number); labels beside the bars when all are short,
    else each on its own line above its bar. Mirrored for right-to-left."""
    longest = max((_text_px(text) for text, _ in items), default=0)
    side = longest <= WIDTH * SIDE_LABEL_SHARE
    label_w = (longest + PAD) if side else 0
    row = BAR + 10 if side else FONT + BAR + 14
    room = WIDTH - 2 * PAD - label_w - VALUE_ROOM
    top = max((v for _, v in items), default=0) or 1
    height = PAD * 2 + row * max(len(items), 1)
    parts = []
    for i, (text, val) in enumerate(items):
        y = PAD + i * row
        bar_y = y + (row - BAR) / 2 if side else y + FONT + 4
        mid = bar_y + BAR / 2 + FONT * 0.35
        label_y = mid if side else y + FONT
        w = room * val / top
        shown = escape(_fit(text, label_w if side else WIDTH - 2 * PAD))
        start = WIDTH - PAD - label_w if rtl else PAD + label_w  # where bars start
        label_x = WIDTH - PAD if rtl else PAD
        parts.append(
            f'<text class="chart-label" x="{label_x:.1f}" y="{label_y:.1f}" '
            f'text-anchor="start">{shown}</text>'
        )
        bar_x = start - w if rtl else start
        parts.append(_bar(bar_x, bar_y, w, BAR, text, val, number))
        value_x = start - w - 4 if rtl else start + w + 4
        parts.append(
            f'<text class="chart-value" x="{value_x:.1f}" y="{mid:.1f}" '
            f'text-anchor="start" data-value="{val}">{escape(number(val))}</text>'
        )
    axis_x = WIDTH - PAD - label_w if rtl else PAD + label_w
    parts.append(
        f'<line class="chart-axis" stroke="#5a6b70" x1="{axis_x:.1f}" y1="{PAD}" '
        f'x2="{axis_x:.1f}" y2="{height - PAD}"/>'
    )
    return "".join(parts), WIDTH, height


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
        f'<div class="chart-pic">{svg}</div>'
        f'<div class="chart-table scroll" tabindex="0" role="region" aria-label="{escape(title)}">'
        f"{table}</div></figure>"
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
