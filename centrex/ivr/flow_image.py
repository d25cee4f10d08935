"""An image of an application's flow (SVG), for the documentation and the editor's page:
one box per block with its actions, an arrow from each action that jumps to the block it
jumps to. Deterministic: the same scenario gives the same bytes (tests compare them).

Blocks are laid out in columns by their distance from ``incoming`` (breadth first), in
scenario order within a column; arrows are cubic curves from the action's line to the
target block's title.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

from centrex.ivr import scenario as sc
from centrex.ivr.models import Application

BOX_W, LINE_H, TITLE_H, GAP_X, GAP_Y, MARGIN = 240, 18, 26, 90, 30, 20


def _columns(blocks: list[dict]) -> list[list[dict]]:
    by_id = {b["id"]: b for b in blocks}
    depth = {sc.START: 0}
    todo = [sc.START]
    while todo:
        bid = todo.pop(0)
        for target in sc.targets_of_block(by_id[bid]):
            tid = target.partition(":")[0]
            if tid in by_id and tid not in depth:
                depth[tid] = depth[bid] + 1
                todo.append(tid)
    last = max(depth.values(), default=0)
    columns: list[list[dict]] = [[] for _ in range(last + 2)]
    for block in blocks:
        columns[depth.get(block["id"], last + 1)].append(block)
    return [c for c in columns if c]


def _action_text(action: dict, catalog: sc.Catalog) -> str:
    spec = sc.ACTIONS[action["type"]]
    details = []
    for f in spec.fields:
        value = action.get(f.name)
        if value in (None, "", [], {}) or f.kind in ("target", "targets"):
            continue
        if f.kind in sc.REFERENCE_KINDS:
            value = catalog.table(f.kind).get(value, value)
        details.append(str(value) if not isinstance(value, list) else ", ".join(value))
    text = str(spec.label) + (f": {', '.join(details)}" if details else "")
    return text if len(text) <= 38 else text[:37] + "…"


def render_scenario(name: str, data: dict, catalog: sc.Catalog | None = None) -> str:
    catalog = catalog if catalog is not None else sc.Catalog.load()
    blocks = data.get("blocks", [])
    boxes: dict[str, tuple[int, int, int]] = {}  # id → x, y, height
    parts: list[str] = []
    width = height = 0
    for col, column in enumerate(_columns(blocks)):
        y = MARGIN + 30
        x = MARGIN + col * (BOX_W + GAP_X)
        for block in column:
            h = TITLE_H + LINE_H * len(block["actions"]) + 8
            boxes[block["id"]] = (x, y, h)
            y += h + GAP_Y
            height = max(height, y)
        width = max(width, x + BOX_W + MARGIN)
    for block in blocks:
        x, y, h = boxes[block["id"]]
        start = " start" if block["id"] == sc.START else ""
        parts.append(f'<g class="block{start}" id="block-{escape(block["id"])}">'
                     f'<rect x="{x}" y="{y}" width="{BOX_W}" height="{h}" rx="6"/>'
                     f'<text class="title" x="{x + 8}" y="{y + 18}">'
                     f'{escape(block.get("name") or block["id"])}</text>')
        for i, action in enumerate(block["actions"]):
            parts.append(f'<text x="{x + 8}" y="{y + TITLE_H + LINE_H * i + 12}">'
                         f'{escape(_action_text(action, catalog))}</text>')
        parts.append("</g>")
    for block in blocks:
        x, y, _h = boxes[block["id"]]
        for i, action in enumerate(block["actions"]):
            for target in sc.targets_of_action(action):
                tid = target.partition(":")[0]
                if tid not in boxes:
                    continue
                tx, ty, _th = boxes[tid]
                sx, sy = x + BOX_W, y + TITLE_H + LINE_H * i + 8
                ex, ey = (tx, ty + 13) if tx > x else (tx + BOX_W, ty + 13)
                bend = max(40, abs(ex - sx) // 2)
                c1 = sx + bend
                c2 = ex - bend if tx > x else ex + bend
                parts.append(f'<path class="jump" d="M{sx},{sy} C{c1},{sy} {c2},{ey} '
                             f'{ex},{ey}" marker-end="url(#arrow)"/>')
    width, height = max(width, 400), max(height, 120)
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="12">'
            '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" '
            'markerWidth="8" markerHeight="8" orient="auto-start-reverse">'
            '<path d="M0,0 L10,5 L0,10 z" fill="#555"/></marker>'
            '<style>.block rect{fill:#f6f8fb;stroke:#567;}.block.start rect{stroke:#1a7f37;'
            'stroke-width:2}.title{font-weight:bold}.jump{fill:none;stroke:#555}</style>'
            f'</defs><text x="{MARGIN}" y="{MARGIN + 8}" font-size="15" font-weight="bold">'
            f'{escape(name)}</text>{"".join(parts)}</svg>\n')


def render(app: Application) -> str:
    return render_scenario(f"{app.name} ({app.number})", app.scenario)
