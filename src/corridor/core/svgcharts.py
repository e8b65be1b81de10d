"""Small charts drawn on the server as inline SVG: lines over time, horizontal bars, a tile map.

Pages draw with this module and not with matplotlib: building and rendering a matplotlib figure
took most of the flow dashboard's first load (0.9 s for six charts), a few strings take
milliseconds. Every text is escaped (point, agency and region names are user data), numbers and
dates are localised (French shows 1 234,5), and colours, fonts and dashes come from classes of
``corridor.css``: the CSP (``style-src 'self'``) forbids style attributes in the page. The
viewBox is about a phone's width, so the drawing scales to the column and stays readable at
390 px. The PDF and PNG exports still draw with matplotlib (``flows.charts``).
"""

from __future__ import annotations

import hashlib
import textwrap
from datetime import date

from django.utils.formats import date_format, number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from corridor.core.numbers import colon, in_a_list

WIDTH = 400  # the viewBox's width: text of 11 units reads at about 11 px on a 390 px phone
COLOURS = 8  # classes s0…s7 of corridor.css
SHADES = 5  # classes t0…t4 of corridor.css
CHAR = 6.2  # the width of an average character at 11 units, to size margins and cut names
PLOT_HEIGHT = 170
LEGEND_ROW = 16
DESCRIBED = 12  # series or bars named one by one in the description; the rest are counted


def num(value: float) -> str:
    """A number as the page's language writes it (grouping, decimal comma in French)."""
    if isinstance(value, float):
        value = round(value, 1)
    return number_format(value, use_l10n=True, force_grouping=True)


def _cut(text: str, chars: int) -> str:
    return text if len(text) <= chars else text[: max(1, chars - 1)] + "…"


def _text(x: float, y: float, text: str, cls: str = "") -> str:
    klass = f' class="{cls}"' if cls else ""
    return f'<text x="{x:.1f}" y="{y:.1f}"{klass}>{escape(text)}</text>'


def _title_lines(title: str) -> list[str]:
    return textwrap.wrap(title, 52) or [""]


def _svg(kind: str, title: str, desc: str, height: float, body: list[str]) -> SafeString:
    """The chart's frame: a named image (``role="img"`` with a translated ``aria-label``), its
    ``<title>`` and a ``<desc>`` that says in words what the drawing shows."""
    ident = "svgc-" + hashlib.sha1(f"{kind}{title}{desc}".encode()).hexdigest()[:10]
    label = _("%(kind)s: %(title)s") % {"kind": kind, "title": title}
    heading = [_text(0, 15 + 16 * i, line, "ttl") for i, line in enumerate(_title_lines(title))]
    return mark_safe(  # noqa: S308 (every text and attribute value above went through escape)
        f'<svg class="svgchart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} '
        f'{height:.0f}" width="100%" role="img" aria-label="{escape(label)}" '
        f'aria-describedby="{ident}-d"><title>{escape(title)}</title>'
        f'<desc id="{ident}-d">{escape(desc)}</desc>' + "".join(heading + body) + "</svg>"
    )


def _listed(parts: list[str]) -> str:
    """A description's parts in one sentence, with the language's punctuation."""
    return in_a_list(parts) + "."


def _top(title: str) -> float:
    return 16 * len(_title_lines(title)) + 8


def _empty(kind: str, title: str, message: str) -> SafeString:
    top = _top(title)
    return _svg(kind, title, message, top + 50, [_text(WIDTH / 2, top + 25, message, "note m")])


def _nice_max(top: float) -> tuple[float, float]:
    """The axis' end and step: four steps of 1, 2, 2.5 or 5 times a power of ten."""
    if top <= 0:
        return 4, 1
    raw = top / 4
    power = 10 ** (len(str(int(raw))) - 1) if raw >= 1 else 1
    for factor in (1, 2, 2.5, 3, 5, 10):
        step = factor * power
        if step >= raw and step == int(step):
            return int(step) * 4, int(step)
    return 40 * power, 10 * power


def lines(
    title: str,
    series: dict[str, list[tuple[date, float]]],
    *,
    empty: str,
    partial: list[date] = (),
    partial_label: str = "",
) -> SafeString:
    """One line per series over time; a period in ``partial`` (cut by the filter, or not over
    yet) is a hollow point on a dashed segment, so a half-counted period does not read as a fall.
    The legend under the plot names each line."""
    kind = _("Line chart")
    drawn = {name: points for name, points in series.items() if points}
    if not drawn:
        return _empty(kind, title, empty)
    days = sorted({x for points in drawn.values() for x, _y in points})
    end, step = _nice_max(max(y for points in drawn.values() for _x, y in points))
    left = 8 + CHAR * max(len(num(end)), 2)
    top, right = _top(title) + 6, WIDTH - 10
    bottom = top + PLOT_HEIGHT
    first, last = days[0].toordinal(), days[-1].toordinal()

    def x_at(day: date) -> float:
        if first == last:
            return (left + right) / 2
        return left + (right - left) * (day.toordinal() - first) / (last - first)

    def y_at(value: float) -> float:
        return bottom - PLOT_HEIGHT * value / end

    body = []
    for i in range(5):
        y = y_at(step * i)
        body.append(f'<line class="grid" x1="{left:.1f}" x2="{right}" y1="{y:.1f}" y2="{y:.1f}"/>')
        body.append(_text(left - 4, y + 3.5, num(step * i), "tick e"))
    date_fmt = axis_format(last - first)
    ticks = sorted({days[round(i * (len(days) - 1) / 4)] for i in range(5)})
    for day in ticks:
        anchor = "m"
        if day == days[0] and len(ticks) > 1:
            anchor = "s"
        elif day == days[-1] and len(ticks) > 1:
            anchor = "e"
        body.append(_text(x_at(day), bottom + 14, date_format(day, date_fmt), f"tick {anchor}"))
    body.append(f'<line class="axis" x1="{left:.1f}" x2="{right}" y1="{bottom}" y2="{bottom}"/>')
    cut = set(partial)
    shown_partial = False
    for i, points in enumerate(drawn.values()):
        colour = f"s{i % COLOURS}"
        whole = [(x, y) for x, y in points if x not in cut]
        if len(whole) > 1:
            coords = " ".join(f"{x_at(x):.1f},{y_at(y):.1f}" for x, y in whole)
            body.append(f'<polyline class="line {colour}" points="{coords}"/>')
        elif whole:
            x, y = whole[0]
            body.append(
                f'<circle class="spot {colour}" cx="{x_at(x):.1f}" cy="{y_at(y):.1f}" r="2.5"/>'
            )
        for j, (x, y) in enumerate(points):
            if x not in cut:
                continue
            shown_partial = True
            near = points[j - 1] if j > 0 else (points[j + 1] if j + 1 < len(points) else None)
            if near is not None and near[0] not in cut:
                body.append(
                    f'<line class="line cut {colour}" x1="{x_at(near[0]):.1f}" '
                    f'y1="{y_at(near[1]):.1f}" x2="{x_at(x):.1f}" y2="{y_at(y):.1f}"/>'
                )
            body.append(
                f'<circle class="dot {colour}" cx="{x_at(x):.1f}" cy="{y_at(y):.1f}" r="3"/>'
            )
    y = bottom + 30
    if shown_partial and partial_label:
        body.append(_text(right, y, partial_label, "note e"))
        y += LEGEND_ROW
    if all(len(name) <= _legend_chars(2) for name in drawn):
        column = (WIDTH - 10) / 2
        for i, name in enumerate(drawn):
            body += _legend_entry(i, (i % 2) * column, y + (i // 2) * LEGEND_ROW, [name])
        y += ((len(drawn) + 1) // 2) * LEGEND_ROW
    else:  # one name per row, a long one on as many lines as it needs
        for i, name in enumerate(drawn):
            wrapped = textwrap.wrap(name, _legend_chars(1)) or [""]
            body += _legend_entry(i, 0, y, wrapped)
            y += len(wrapped) * LEGEND_ROW
    height = y
    desc = _lines_desc(drawn, days, date_fmt, partial_label if shown_partial else "")
    return _svg(kind, title, desc, height, body)


def _legend_entry(i: int, x: float, y: float, lines: list[str]) -> list[str]:
    """A line's colour swatch and its name, on one line or more."""
    swatch = f'<rect class="sw s{i % COLOURS}" x="{x:.1f}" y="{y - 8:.1f}" width="12" height="8"/>'
    return [swatch] + [_text(x + 16, y + k * LEGEND_ROW, line) for k, line in enumerate(lines)]


def _legend_chars(per_row: int) -> int:
    """How many characters a legend entry holds when ``per_row`` entries share a row: two when
    every name fits half the width, else one per row."""
    return int(((WIDTH - 10) / per_row - 20) / CHAR)


def axis_format(span_days: int) -> str:
    """The date format of a time axis, in the language's own order and month abbreviations
    ("7 sept." in French, "Sept. 7" in English; "sept. 2026" over a year): the page's SVG charts
    and the PDF and PNG exports (``flows.charts``) write their dates alike."""
    if span_days > 300:
        return pgettext("date on a chart's time axis, month and year", "N Y")
    return pgettext("date on a chart's time axis, day and month", "N j")


def _lines_desc(drawn: dict, days: list[date], date_fmt: str, partial_label: str) -> str:
    parts = [
        ngettext(
            "From %(start)s to %(end)s, %(count)s period.",
            "From %(start)s to %(end)s, %(count)s periods.",
            len(days),
        )
        % {
            "start": date_format(days[0], date_fmt),
            "end": date_format(days[-1], date_fmt),
            "count": num(len(days)),
        }
    ]
    totals = [(name, sum(y for _x, y in points)) for name, points in drawn.items()]
    for name, total in totals[:DESCRIBED]:
        parts.append(_("%(name)s: %(total)s in all.") % {"name": name, "total": num(total)})
    if len(totals) > DESCRIBED:
        more = len(totals) - DESCRIBED
        parts.append(ngettext("And %(n)s more line.", "And %(n)s more lines.", more) % {"n": more})
    if partial_label:
        parts.append(partial_label)
    return " ".join(parts)


def bars(title: str, items: list[tuple[str, float]], *, empty: str) -> SafeString:
    """One horizontal bar per item, its name above it (a long name is never cut on a phone) and
    its value at its end."""
    kind = _("Bar chart")
    if not items:
        return _empty(kind, title, empty)
    top = _top(title) + 4
    longest = max(len(num(v)) for _label, v in items)
    room = WIDTH - 6 - CHAR * longest
    peak = max((v for _label, v in items), default=0) or 1
    body, row = [], 30
    for i, (label, value) in enumerate(items):
        y = top + i * row
        body.append(_text(0, y + 10, _cut(label, int(WIDTH / CHAR))))
        length = max(room * value / peak, 1 if value else 0)
        body.append(f'<rect class="bar s0" x="0" y="{y + 14}" width="{length:.1f}" height="11"/>')
        body.append(_text(length + 4, y + 23.5, num(value), "tick"))
    described = [f"{label}{colon()} {num(value)}" for label, value in items[:DESCRIBED]]
    if len(items) > DESCRIBED:
        more = len(items) - DESCRIBED
        described.append(ngettext("and %(n)s more bar", "and %(n)s more bars", more) % {"n": more})
    return _svg(kind, title, _listed(described), top + len(items) * row + 4, body)


def grouped_bars(
    title: str,
    labels: list[str],
    series: dict[str, list[float | None]],
    *,
    missing: str = "",
) -> SafeString:
    """For each label, one horizontal bar per series (a node, say) with its value; a value that
    is missing (``None``: suppressed, not sent) is drawn as "—", and ``missing`` says why."""
    kind = _("Bar chart")
    values = [v for column in series.values() for v in column if v is not None]
    longest = max((len(num(v)) for v in values), default=1)
    room = WIDTH - 6 - CHAR * longest
    peak = max(values, default=0) or 1
    top, row = _top(title) + 4, 16 + 12 * len(series) + 6
    body, described = [], []
    for i, label in enumerate(labels):
        y = top + i * row
        body.append(_text(0, y + 10, _cut(label, int(WIDTH / CHAR))))
        said = []
        for j, (name, column) in enumerate(series.items()):
            value, bar_y = column[i], y + 15 + j * 12
            if value is None:
                body.append(_text(0, bar_y + 9, "—", f"tick s{j % COLOURS}"))
                said.append(f"{name} —")
                continue
            length = max(room * value / peak, 1 if value else 0)
            body.append(
                f'<rect class="bar s{j % COLOURS}" x="0" y="{bar_y}" '
                f'width="{length:.1f}" height="9"/>'
            )
            body.append(_text(length + 4, bar_y + 8.5, num(value), "tick"))
            said.append(f"{name} {num(value)}")
        if i < DESCRIBED:
            described.append(f"{label}{colon()} {', '.join(said)}")
    if len(labels) > DESCRIBED:
        more = len(labels) - DESCRIBED
        described.append(ngettext("and %(n)s more bar", "and %(n)s more bars", more) % {"n": more})
    y = top + len(labels) * row + 12
    column = (WIDTH - 10) / 2
    for j, name in enumerate(series):
        cx, cy = (j % 2) * column, y + (j // 2) * LEGEND_ROW
        body.append(
            f'<rect class="sw s{j % COLOURS}" x="{cx:.1f}" y="{cy - 8:.1f}" width="12" height="8"/>'
        )
        body.append(_text(cx + 16, cy, _cut(name, int((column - 20) / CHAR))))
    y += ((len(series) + 1) // 2) * LEGEND_ROW
    if missing:
        body.append(_text(0, y, missing, "note"))
        y += LEGEND_ROW
    desc = _listed(described) + (f" {missing}" if missing else "")
    return _svg(kind, title, desc, y, body)


def tile_map(title: str, tiles: list[dict], *, legend: str) -> SafeString:
    """A tile-grid cartogram: one square per region at (``row``, ``col``), its name and
    ``value`` in it, shaded in five steps of the largest value."""
    kind = _("Schematic map")
    rows = max((t["row"] for t in tiles), default=0) + 1
    cols = max((t["col"] for t in tiles), default=0) + 1
    size = min(88.0, (WIDTH - 4) / cols)
    top = _top(title) + 4
    peak = max((t["value"] for t in tiles), default=0) or 1
    body = []
    for t in tiles:
        shade = min(SHADES - 1, int(SHADES * t["value"] / peak)) if t["value"] else 0
        x, y = t["col"] * size, top + t["row"] * size
        body.append(
            f'<rect class="tile t{shade}" x="{x:.1f}" y="{y:.1f}" '
            f'width="{size - 3:.1f}" height="{size - 3:.1f}"/>'
        )
        centre = x + (size - 3) / 2
        ink = "m light" if shade >= 3 else "m"
        body.append(_text(centre, y + size * 0.4, _cut(t["name"], int(size / 5.3)), f"small {ink}"))
        body.append(_text(centre, y + size * 0.68, num(t["value"]), f"big {ink}"))
    bottom = top + rows * size + 12
    body.append(_text(0, bottom, legend, "note"))
    desc = _listed([f"{t['name']}{colon()} {num(t['value'])}" for t in tiles]) + " " + legend
    return _svg(kind, title, desc, bottom + 6, body)
