"""Server-side charts (matplotlib, no JavaScript): SVG for the pages, PNG and PDF for export.

Each chart function takes plain data (lists and dicts) and returns a matplotlib Figure, so the
same picture serves the page, the PNG and the PDF, and tests can call it without a database.
"""

from __future__ import annotations

import base64
import io
import textwrap
from datetime import date

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from django.utils.formats import date_format  # noqa: E402
from matplotlib.backends.backend_pdf import PdfPages  # noqa: E402
from matplotlib.dates import num2date  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.patches import Rectangle  # noqa: E402
from matplotlib.ticker import FuncFormatter  # noqa: E402

from corridor.core.svgcharts import axis_format  # noqa: E402

plt.rcParams.update(
    {
        "font.family": "DejaVu Sans",
        "font.size": 9,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "svg.fonttype": "none",
        "svg.hashsalt": "corridor",
    }
)
LEGEND_ROW_INCHES = 0.18
PALETTE = ["#0b5cad", "#006a4e", "#d97706", "#a4161a", "#6f42c1", "#c2185b", "#8a5a00", "#4a5560"]


def _wrap(title: str, width: int = 62) -> str:
    """A long (often French) title on two lines rather than cut at the figure's edge."""
    return textwrap.fill(title, width)


def _figure(width: float = 7.0, height: float = 3.0) -> tuple[Figure, object]:
    fig = Figure(figsize=(width, height), layout="constrained")
    return fig, fig.add_subplot()


def _empty(ax, message: str) -> None:
    ax.text(0.5, 0.5, message, ha="center", va="center", transform=ax.transAxes, color="#4a5560")
    ax.set_xticks([])
    ax.set_yticks([])


def lines(
    title: str,
    series: dict[str, list[tuple[date, int]]],
    *,
    empty: str,
    ylabel: str = "",
    partial: list[date] = (),
    partial_label: str = "",
) -> Figure:
    """One line per series; a period in ``partial`` (cut by the filter, or not over yet) is a
    hollow point on a dashed segment, so a half-counted period does not read as a fall."""
    named = sum(1 for points in series.values() if points)
    fig, ax = _figure(height=3.0 + LEGEND_ROW_INCHES * ((named + 1) // 2))
    ax.set_title(_wrap(title), loc="left")
    if not any(series.values()):
        _empty(ax, empty)
        return fig
    cut = set(partial)
    shown_partial = False
    for i, (label, points) in enumerate(series.items()):
        if not points:
            continue
        color = PALETTE[i % len(PALETTE)]
        whole = [(x, y) for x, y in points if x not in cut]
        if whole:
            xs, ys = zip(*whole, strict=True)
            ax.plot(xs, ys, label=label, color=color, linewidth=1.6)
        for j, (x, y) in enumerate(points):
            if x not in cut:
                continue
            shown_partial = True
            neighbour = points[j - 1] if j > 0 else (points[j + 1] if j + 1 < len(points) else None)
            if neighbour is not None and neighbour[0] not in cut:
                ax.plot([neighbour[0], x], [neighbour[1], y], color=color, linestyle="--", lw=1.2)
            ax.plot(
                [x],
                [y],
                marker="o",
                markerfacecolor="white",
                color=color,
                linestyle="none",
                label=None if whole else label,
            )
            whole = whole or [(x, y)]  # the series is named once
    if shown_partial and partial_label:
        ax.annotate(partial_label, xy=(1, 1.01), xycoords="axes fraction", ha="right", fontsize=7)
    ax.set_ylabel(ylabel)
    ax.set_ylim(bottom=0)
    # Under the plot, never over its lines; the figure grows by a row of names per two lines.
    fig.legend(fontsize=7, frameon=False, loc="outside lower left", ncols=2)
    days = [x for points in series.values() for x, _y in points]
    axis = axis_format((max(days) - min(days)).days)
    ax.xaxis.set_major_formatter(
        FuncFormatter(lambda value, _pos: date_format(num2date(value).date(), axis))
    )
    fig.autofmt_xdate()
    return fig


def bars(title: str, items: list[tuple[str, int]], *, empty: str) -> Figure:
    fig, ax = _figure(7.0, max(2.0, 0.28 * len(items) + 0.8))
    ax.set_title(_wrap(title), loc="left")
    if not items:
        _empty(ax, empty)
        return fig
    labels, values = zip(*items, strict=True)
    positions = range(len(labels))
    ax.barh(positions, values, color=PALETTE[0])
    ax.set_yticks(list(positions), labels)
    ax.invert_yaxis()
    for y, v in zip(positions, values, strict=True):
        ax.text(v, y, f" {v:,}".replace(",", " "), va="center", fontsize=7)
    return fig


def tile_map(title: str, tiles: list[dict], *, legend: str) -> Figure:
    """A tile-grid cartogram: one square per region at (row, col), shaded by ``value``."""
    rows = max((t["row"] for t in tiles), default=0) + 1
    cols = max((t["col"] for t in tiles), default=0) + 1
    fig = Figure(figsize=(1.3 * cols + 1.6, 1.0 * rows + 0.8), layout="constrained")
    ax = fig.add_subplot()
    ax.set_title(_wrap(title), loc="left")
    top = max((t["value"] for t in tiles), default=0) or 1
    cmap = matplotlib.colormaps["Blues"]
    for t in tiles:
        shade = 0.12 + 0.8 * (t["value"] / top)
        ax.add_patch(
            Rectangle((t["col"], -t["row"]), 0.95, 0.95, facecolor=cmap(shade), edgecolor="#fff")
        )
        dark = shade > 0.55
        ax.text(
            t["col"] + 0.475,
            -t["row"] + 0.6,
            t["name"],
            ha="center",
            va="center",
            fontsize=7,
            color="#fff" if dark else "#1b1f24",
        )
        ax.text(
            t["col"] + 0.475,
            -t["row"] + 0.3,
            f"{t['value']:,}".replace(",", " "),
            ha="center",
            va="center",
            fontsize=8,
            fontweight="bold",
            color="#fff" if dark else "#1b1f24",
        )
    ax.set_xlim(0, cols)
    ax.set_ylim(-rows + 1, 1)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.text(0, -rows + 0.85, legend, fontsize=7, color="#4a5560", transform=ax.transData)
    return fig


def to_svg_data_uri(fig: Figure) -> str:
    """The chart as an <img> source: an SVG inside a data: URI keeps the page free of inline
    styles (the CSP forbids them in the page, not inside an image)."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None})
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def to_pdf(figures: list[Figure], *, title: str) -> bytes:
    buffer = io.BytesIO()
    with PdfPages(buffer, metadata={"Title": title, "Creator": "Corridor"}) as pdf:
        for fig in figures:
            pdf.savefig(fig)
    return buffer.getvalue()


def to_png(figures: list[Figure], *, dpi: int = 110) -> bytes:
    """All charts stacked into one PNG image."""
    from PIL import Image

    images = []
    for fig in figures:
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=dpi, facecolor="white")
        buffer.seek(0)
        images.append(Image.open(buffer).convert("RGB"))
    width = max(i.width for i in images)
    sheet = Image.new("RGB", (width, sum(i.height for i in images)), "white")
    y = 0
    for image in images:
        sheet.paste(image, (0, y))
        y += image.height
    out = io.BytesIO()
    sheet.save(out, format="PNG", optimize=True)
    return out.getvalue()
