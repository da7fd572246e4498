#!/usr/bin/env python3
"""Measures what a reader meets on the page, from grundlag's text trace
(`grundlag render --format trace`): type sizes by role, characters per line,
empty room at the foot of pages, blank pages, pages per document. The
README's figures for the documents' design (issue 19) come from this tool,
so that before and after are measured the same way.

usage: tools/measure.py [--top MM] [--bottom MM] TRACE...
  --bottom MM   the layout's bottom margin, for the empty room above it
  --top MM      its top margin: with --bottom, how full the last page of
                each document is (documents told apart by "n/m" footers)
"""
import re
import statistics
import sys

LINE = re.compile(r'^  line (\S+) (\S+) ([\d.]+)(?: x[\d.]+%)? \S+ @ ([\d.]+)-([\d.]+),([\d.]+) "(.*)"$')
SHAPE = re.compile(r'^  (rect|rule|frame) (\S+) .*@ ([\d.]+),([\d.]+) ([\d.]+),([\d.]+)')
PAGE = re.compile(r'^page (\d+) media ([\d.]+)x([\d.]+) trim ([\d.]+),([\d.]+),([\d.]+),([\d.]+)')
MM = 25.4 / 72


def pages_of(path):
    """Each page: its trim box and its items (kind, tag, font, size, x0, x1, y, text)."""
    pages, underlays, open_underlay = [], {}, None
    for raw in open(path, encoding="utf-8"):
        raw = raw.rstrip("\n")
        # A page shared by many (a worksheet's body) is traced once and
        # named again by its number where it is used again.
        m = re.match(r"^  (end )?underlay (\d+)$", raw)
        if m and pages:
            if m.group(1):
                underlays[m.group(2)] = pages[-1]["items"][open_underlay:]
                open_underlay = None
            elif m.group(2) in underlays:
                pages[-1]["items"].extend(underlays[m.group(2)])
            else:
                open_underlay = len(pages[-1]["items"])
            continue
        m = PAGE.match(raw)
        if m:
            x0, y0, x1, y1 = (float(v) for v in m.groups()[3:])
            pages.append({"trim": (x0, y0, x1, y1), "items": []})
            continue
        m = LINE.match(raw)
        if m and pages:
            tag, font, size, a, b, y, text = m.groups()
            pages[-1]["items"].append(("line", tag, font, float(size), float(a), float(b), float(y), text))
            continue
        m = SHAPE.match(raw)
        if m and pages:
            kind, tag, x, y, w, h = m.groups()
            pages[-1]["items"].append((kind, tag, "", 0.0, float(x), float(x) + float(w), float(y), ""))
    return pages


def text_lines(page, tags):
    """The page's lines of text with the given tags, runs on one baseline joined."""
    rows = {}
    for kind, tag, font, size, x0, x1, y, text in page["items"]:
        if kind == "line" and tag in tags:
            rows.setdefault((tag, round(y, 1), size), []).append((x0, x1, text))
    out = []
    for (tag, y, size), runs in rows.items():
        runs.sort()
        # Runs on one baseline more than an em apart are in different columns.
        line = [runs[0]]
        for r in runs[1:] + [None]:
            if r is not None and r[0] - line[-1][1] < size:
                line.append(r)
                continue
            out.append((tag, y, size, line[0][0], line[-1][1], "".join(x[2] for x in line)))
            line = [r]
    return out


def sizes(pages):
    by = {}
    for pg in pages:
        for kind, tag, font, size, *_ in pg["items"]:
            if kind == "line":
                by.setdefault((tag, font), set()).add(size)
    return by


def lowest(page, skip_artifacts=True):
    """The lowest point of the page's content (a line's baseline less a descent of 0.25 em)."""
    ys = []
    for kind, tag, font, size, x0, x1, y, text in page["items"]:
        if skip_artifacts and tag == "Artifact":
            continue
        ys.append(y - 0.25 * size if kind == "line" else y)
    return min(ys) if ys else None


def report(path, bottom_mm, top_mm):
    pages = pages_of(path)
    print(f"== {path}: {len(pages)} pages")
    for (tag, font), s in sorted(sizes(pages).items()):
        print(f"  size {tag:8} {font:22} {', '.join(f'{v:.1f}' for v in sorted(s))} pt")
    lines = [l for pg in pages for l in text_lines(pg, {"P", "LBody"})]
    if lines:
        # A full line reaches at least 90 % of the widest line of its column.
        widest = max(l[4] - l[3] for l in lines)
        full = [l for l in lines if l[4] - l[3] >= 0.9 * widest]
        for tag in ("P", "LBody"):
            n = [len(l[5]) for l in lines if l[0] == tag]
            f = [len(l[5]) for l in full if l[0] == tag]
            if n:
                print(f"  chars/line {tag:5} all lines: mean {statistics.mean(n):.0f}, max {max(n)};"
                      f" full lines: {len(f)}, mean {statistics.mean(f) if f else 0:.0f}")
    blank = [i + 1 for i, pg in enumerate(pages) if all(it[1] == "Artifact" for it in pg["items"])]
    print(f"  blank pages (nothing but furniture): {len(blank)} {blank if blank else ''}")
    if bottom_mm is not None:
        empties = []
        for i, pg in enumerate(pages):
            lo = lowest(pg)
            if lo is None:
                continue
            empties.append((lo * MM - bottom_mm, i + 1))
        if empties:
            print("  empty above the bottom margin, mm: " + ", ".join(f"p{p} {e:.0f}" for e, p in empties))
    # Documents in one file, told apart by their footers' "n/m" page numbers.
    folios = []
    for pg in pages:
        m = None
        for it in pg["items"]:
            if it[0] == "line" and it[1] == "Artifact":
                m = re.search(r"(\d+)/(\d+)$", it[7]) or m
        folios.append((int(m.group(1)), int(m.group(2))) if m else None)
    if all(folios) and folios:
        docs = [m for n, m in folios if n == m]
        top = top_mm if top_mm is not None else 0
        fills = []
        for i, pg in enumerate(pages):
            if folios[i][0] == folios[i][1]:
                h = pg["trim"][3] - pg["trim"][1]
                area = h * MM - top - (bottom_mm or 0)
                lo = lowest(pg)
                fills.append(0 if lo is None else 100 * ((h * MM - top) - lo * MM) / area)
        print(f"  {len(docs)} documents, pages each: {', '.join(str(d) for d in docs)} (mean {statistics.mean(docs):.2f});"
              f" last page filled: {', '.join(f'{f:.0f} %' for f in fills)} (mean {statistics.mean(fills):.0f} %)")


def main(argv):
    bottom, top, paths = None, None, []
    it = iter(argv)
    for a in it:
        if a == "--bottom":
            bottom = float(next(it))
        elif a == "--top":
            top = float(next(it))
        else:
            paths.append(a)
    for p in paths:
        report(p, bottom, top)


main(sys.argv[1:])
