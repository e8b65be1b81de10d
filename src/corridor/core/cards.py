"""A rendered table made into a list of cards on a phone: ``class="cards"`` on the table and
each body cell labelled with its column's heading (``data-label``), which the stylesheet shows
before the value when the table folds into cards; a row's own heading (``<th>``) is the card's
title. Used through ``{% cards %}``."""

from __future__ import annotations

import re
from html import escape, unescape

_TABLE = re.compile(r"<table\b([^>]*)>", re.IGNORECASE)
_HEAD = re.compile(r"<thead\b.*?</thead>", re.IGNORECASE | re.DOTALL)
_TH = re.compile(r"<th\b[^>]*>(.*?)</th>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]+>")
_ROW = re.compile(r"(<tr\b[^>]*>)(.*?)(</tr>)", re.IGNORECASE | re.DOTALL)
_CELL = re.compile(r"<(t[dh])\b([^>]*)>", re.IGNORECASE)


def _text(html: str) -> str:
    return " ".join(unescape(_TAG.sub(" ", html)).split())


def as_cards(html: str) -> str:
    """``html`` holding one table (no table nested in a cell), with its class and labels."""
    opening = _TABLE.search(html)
    head = _HEAD.search(html)
    if opening is None or head is None:
        return html
    labels = [_text(cell) for cell in _TH.findall(head.group(0))]
    attributes = opening.group(1)
    if re.search(r'\bclass="', attributes):
        attributes = re.sub(r'\bclass="', 'class="cards ', attributes, count=1)
    else:
        attributes += ' class="cards"'
    html = html[: opening.start()] + f"<table{attributes}>" + html[opening.end() :]
    head = _HEAD.search(html)
    body_start = head.end()

    def label_row(row: re.Match) -> str:
        column = iter(labels)

        def label_cell(cell: re.Match) -> str:
            label = next(column, "")
            tag, attributes = cell.group(1), cell.group(2)
            keep = tag.lower() == "th" or not label  # a row's own heading is the card's title
            if keep or "data-label" in attributes or "colspan" in attributes:
                return cell.group(0)
            return f'<td data-label="{escape(label)}"{attributes}>'

        return row.group(1) + _CELL.sub(label_cell, row.group(2)) + row.group(3)

    return html[:body_start] + _ROW.sub(label_row, html[body_start:])
