"""A guided check drawn as an SVG flowchart: steps top to bottom in the order they are reached, outcomes last.

Drawn here (no JavaScript library, nothing from the internet): each step is a box with its question, each answer a
labelled arrow to the next step or to an outcome. ``bot.engine.diagram`` gives the same flow as Mermaid text.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from typing import Any
from xml.sax.saxutils import escape

from bot.html import plain_text

BOX_W, BOX_H, GAP_X, GAP_Y, MARGIN = 210, 64, 40, 70, 20
LINE_CHARS = 30


def _layers(start: str, steps: Mapping[str, list[dict[str, Any]]], outcomes: list[str]) -> list[list[str]]:
    """Rows of node ids: steps by their distance from the start, then the outcomes (unreachable steps last)."""
    depth = {f"s:{start}": 0} if start in steps else {}
    queue = [start] if start in steps else []
    while queue:
        step = queue.pop(0)
        for option in steps.get(step, []):
            nxt = option.get("next")
            if nxt and nxt in steps and f"s:{nxt}" not in depth:
                depth[f"s:{nxt}"] = depth[f"s:{step}"] + 1
                queue.append(nxt)
    rows: list[list[str]] = [[] for _ in range(max(depth.values(), default=-1) + 1)]
    for node, d in depth.items():
        rows[d].append(node)
    lost = [f"s:{s}" for s in steps if f"s:{s}" not in depth]
    if lost:
        rows.append(lost)
    used = [o for o in outcomes] + sorted({str(opt["outcome"]) for opts in steps.values() for opt in opts
                                           if opt.get("outcome") and opt["outcome"] not in outcomes})
    if used:
        rows.append([f"o:{o}" for o in used])
    return rows


def _text_lines(text: str, lines: int = 3) -> list[str]:
    flat = " ".join(plain_text(text).split())
    wrapped = textwrap.wrap(flat, LINE_CHARS) or [""]
    if len(wrapped) > lines:
        wrapped = wrapped[:lines]
        wrapped[-1] = wrapped[-1][: LINE_CHARS - 1] + "…"
    return wrapped


def svg(start: str, steps: Mapping[str, list[dict[str, Any]]], outcomes: list[str],
        questions: Mapping[str, str], options: Mapping[str, str], outcome_texts: Mapping[str, str],
        title: str) -> str:
    """The flowchart as an SVG document (role img, with a title naming the check)."""
    rows = _layers(start, steps, outcomes)
    width = max((len(r) for r in rows), default=1) * (BOX_W + GAP_X) - GAP_X + 2 * MARGIN
    height = len(rows) * (BOX_H + GAP_Y) - GAP_Y + 2 * MARGIN
    pos: dict[str, tuple[int, int]] = {}
    for r, row in enumerate(rows):
        offset = (width - (len(row) * (BOX_W + GAP_X) - GAP_X)) // 2
        for c, node in enumerate(row):
            pos[node] = (offset + c * (BOX_W + GAP_X), MARGIN + r * (BOX_H + GAP_Y))
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="flow" viewBox="0 0 {width} {height}" width="{width}" '
             f'height="{height}" role="img" aria-labelledby="flow-title">',
             f'<title id="flow-title">Flow of the check: {escape(title)}</title>',
             '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" '
             'orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" class="arrow-head"/></marker></defs>']
    for step, opts in steps.items():
        sx, sy = pos[f"s:{step}"]
        for i, opt in enumerate(opts):
            target = f"s:{opt['next']}" if opt.get("next") else f"o:{opt.get('outcome')}"
            if target not in pos:
                continue
            tx, ty = pos[target]
            x1, y1 = sx + BOX_W * (i + 1) // (len(opts) + 1), sy + BOX_H
            x2, y2 = tx + BOX_W // 2, ty
            if ty <= sy:  # back up or sideways: leave from the side
                x1, y1 = sx + BOX_W, sy + BOX_H // 2
            label = options.get(str(opt.get("answer")), str(opt.get("answer", "")).replace("_", " ").capitalize())
            parts.append(f'<line class="edge" x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" marker-end="url(#arrow)"/>')
            lx, ly = (x1 + x2) // 2, (y1 + y2) // 2
            parts.append(f'<text class="edge-label" x="{lx}" y="{ly}" text-anchor="middle">'
                         f'{escape(_text_lines(label, 1)[0])}</text>')
    for node, (x, y) in pos.items():
        kind, ident = node.split(":", 1)
        if kind == "s":
            text = questions.get(ident) or ident
            cls = "node step start" if ident == start else "node step"
        else:
            text = f"{ident}: {outcome_texts.get(ident, '')}"
            cls = "node outcome"
        parts.append(f'<g class="{cls}"><rect x="{x}" y="{y}" width="{BOX_W}" height="{BOX_H}" rx="8"/>')
        for n, line in enumerate(_text_lines(text)):
            parts.append(f'<text x="{x + 10}" y="{y + 20 + n * 17}">{escape(line)}</text>')
        parts.append("</g>")
    parts.append("</svg>")
    return "".join(parts)
