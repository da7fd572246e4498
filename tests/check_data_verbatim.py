#!/usr/bin/env python3
"""Cross-check data/ledelsesgrundlag.yaml against the official source text.

Independent of the C code and of any YAML library (standard library only).
It reads the data file with a deliberately small line parser that accepts only
the subset of YAML the file is written in: block mappings and sequences, with
every text value a double-quoted string that is also valid JSON.

Checks:
  * every bullet line of the source ("- " lines after the table of contents)
    is a bullet in the data, verbatim and in the same order, and nothing more;
  * every foreword paragraph (the one split by a page break joined with a
    single space) is a foreword paragraph, in order;
  * every group name, group heading, profile title, section heading and
    pitfalls heading of the source appears, in order (a section without a
    heading: key prints its dimension's label; pitfalls print pitfalls_label);
  * ids and keys are lowercase ASCII/digits/hyphens and unique, sections name
    a known dimension at most once per profile, no bullets list is empty.

Usage: tests/check_data_verbatim.py [SOURCE.txt [DATA.yaml]]
Prints "data verbatim: N bullets, M paragraphs OK" and exits 0, or lists the
problems and exits 1.
"""
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_SOURCE = os.environ.get(
    "GRUNDLAG_SOURCE", "/work/shared/source/ledelsesgrundlag.txt")
DEFAULT_DATA = os.path.join(HERE, "..", "data", "ledelsesgrundlag.yaml")

ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
KEY_RE = re.compile(r"^([a-z_]+):(?: (.*))?$")

errors = []


def err(msg):
    errors.append(msg)


# ---------------------------------------------------------------- data file

def scalar(text, where):
    """A value: a JSON-compatible double-quoted string, or a bare id/key."""
    if text.startswith('"'):
        try:
            val = json.loads(text)
        except ValueError as e:
            err(f"{where}: not a valid double-quoted string: {e}")
            return ""
        if not isinstance(val, str):
            err(f"{where}: not a string")
            return ""
        return val
    if not ID_RE.match(text):
        err(f"{where}: bare value {text!r} must be quoted")
    return text


def parse_data(path):
    """Returns a tree of dicts and lists built from the block-style YAML."""
    root = {}
    # stack of (indent, container); a mapping key awaiting a block value is
    # recorded as (indent, dict, key).
    stack = [(-1, root)]
    pending = None  # (indent, dict, key): key with empty value

    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    for n, raw in enumerate(lines, 1):
        where = f"{os.path.basename(path)}:{n}"
        if "\t" in raw:
            err(f"{where}: tab character")
        if raw != raw.rstrip():
            err(f"{where}: trailing whitespace")
        s = raw.strip()
        if not s or s.startswith("#"):
            continue
        ind = len(raw) - len(raw.lstrip(" "))

        if pending is not None:
            pind, pdict, pkey = pending
            pending = None
            if ind > pind or (ind == pind and s.startswith("- ")):
                pdict[pkey] = [] if s.startswith("- ") else {}
                stack.append((ind, pdict[pkey]))
            else:
                err(f"{where}: key {pkey!r} has no value")
        while stack and (stack[-1][0] > ind or
                         (stack[-1][0] == ind and not s.startswith("- ")
                          and isinstance(stack[-1][1], list))):
            stack.pop()
        ctx_ind, ctx = stack[-1]

        if s.startswith("- "):
            if not isinstance(ctx, list) or ctx_ind != ind:
                err(f"{where}: unexpected sequence item")
                continue
            item = s[2:]
            m = KEY_RE.match(item)
            if m and not item.startswith('"'):
                d = {}
                ctx.append(d)
                stack.append((ind + 2, d))
                key, val = m.group(1), m.group(2)
                if val is None:
                    pending = (ind + 2, d, key)
                else:
                    d[key] = scalar(val, where)
            else:
                ctx.append(scalar(item, where))
            continue

        m = KEY_RE.match(s)
        if not m or not isinstance(ctx, dict) or (ctx is not root and ctx_ind != ind):
            err(f"{where}: cannot read line: {s[:60]!r}")
            continue
        key, val = m.group(1), m.group(2)
        if ctx is root and ind != 0:
            err(f"{where}: bad indentation")
        if key in ctx:
            err(f"{where}: duplicate key {key!r}")
        if val is None:
            pending = (ind, ctx, key)
        else:
            ctx[key] = scalar(val, where)
    if pending is not None:
        err(f"{path}: key {pending[2]!r} has no value at end of file")
    return root


# ------------------------------------------------------------- source text

def parse_source(path):
    """Returns (title, foreword_title, paragraphs, events) where events is the
    sequence of ("heading", text) / ("bullet", text) after the foreword."""
    with open(path, encoding="utf-8") as f:
        lines = [l.rstrip("\n") for l in f.read().split("\n")]
    nonblank = [l.strip() for l in lines if l.strip()]
    title = nonblank[0]
    # Skip the table of contents: everything up to the last "■ ... s. N".
    last_toc = max(i for i, l in enumerate(lines) if l.startswith("■"))
    body = lines[last_toc + 1:]
    # Blocks separated by blank lines.
    blocks, cur = [], []
    for l in body:
        if l.strip():
            cur.append(l)
        elif cur:
            blocks.append(cur)
            cur = []
    if cur:
        blocks.append(cur)
    foreword_title = blocks[0][0]
    paragraphs, i = [], 1
    # Foreword paragraphs: single-line blocks up to the first group name,
    # which is the first block followed by a block followed by bullets.
    while i < len(blocks) and not (i + 2 < len(blocks)
                                   and blocks[i + 2][0].startswith("- ")):
        assert len(blocks[i]) == 1, blocks[i]
        paragraphs.append(blocks[i][0])
        i += 1
    # Page-break artefact: a paragraph that ends mid-sentence ("... noget vi")
    # continues in the next block; join with one space.
    joined = []
    for p in paragraphs:
        if joined and not re.search(r"[.!?:]$", joined[-1]):
            joined[-1] += " " + p
        else:
            joined.append(p)
    events = []
    for b in blocks[i:]:
        for l in b:
            if l.startswith("- "):
                events.append(("bullet", l[2:]))
            else:
                events.append(("heading", l))
    return title, foreword_title, joined, events


# ------------------------------------------------------------------ compare

def data_events(d):
    labels = {}
    for j, dim in enumerate(d.get("dimensions") or []):
        k = dim.get("key", "")
        if not ID_RE.match(k):
            err(f"dimensions[{j}]: bad key {k!r}")
        if k in labels:
            err(f"dimensions[{j}]: duplicate key {k!r}")
        if not dim.get("label"):
            err(f"dimensions[{j}]: no label")
        labels[k] = dim.get("label", "")
    pit_label = d.get("pitfalls_label", "")
    ids = set()
    ev = []

    def bullets(obj, where):
        b = obj.get("bullets")
        if not isinstance(b, list) or not b:
            err(f"{where}: bullets must be a non-empty list")
            return []
        return b

    for j, p in enumerate(d.get("profiles") or []):
        pid = p.get("id", "")
        where = f"profiles[{j}] ({pid})"
        if not ID_RE.match(pid):
            err(f"{where}: bad id {pid!r}")
        if pid in ids:
            err(f"{where}: duplicate id")
        ids.add(pid)
        g = p.get("group")
        if g:
            ev.append(("heading", g.get("name", "")))
            ev.append(("heading", g.get("heading", "")))
            ev += [("bullet", b) for b in bullets(g, where + ".group")]
        ev.append(("heading", p.get("title", "")))
        used = set()
        for k, s in enumerate(p.get("sections") or []):
            dim = s.get("dimension", "")
            if dim not in labels:
                err(f"{where}.sections[{k}]: unknown dimension {dim!r}")
            if dim in used:
                err(f"{where}.sections[{k}]: dimension {dim!r} used twice")
            used.add(dim)
            if "heading" in s and s["heading"] == labels.get(dim):
                err(f"{where}.sections[{k}]: heading equals the label; omit it")
            ev.append(("heading", s.get("heading", labels.get(dim, ""))))
            ev += [("bullet", b) for b in bullets(s, f"{where}.sections[{k}]")]
        pf = p.get("pitfalls")
        if pf:
            ev.append(("heading", pf.get("heading", pit_label)))
            ev += [("bullet", b) for b in bullets(pf, where + ".pitfalls")]
    return ev


def main(argv):
    src = argv[1] if len(argv) > 1 else DEFAULT_SOURCE
    data = argv[2] if len(argv) > 2 else DEFAULT_DATA
    if not os.path.exists(src):
        print(f"check_data_verbatim: source text {src} not found "
              "(pass it as the first argument or set GRUNDLAG_SOURCE)",
              file=sys.stderr)
        return 2
    title, fw_title, paragraphs, sev = parse_source(src)
    d = parse_data(data)

    doc = d.get("document") or {}
    if doc.get("title") != title:
        err(f"document.title {doc.get('title')!r} != source {title!r}")
    fw = d.get("foreword") or {}
    if fw.get("title") != fw_title:
        err(f"foreword.title {fw.get('title')!r} != source {fw_title!r}")
    dpar = fw.get("paragraphs") or []
    for k in range(max(len(paragraphs), len(dpar))):
        a = paragraphs[k] if k < len(paragraphs) else None
        b = dpar[k] if k < len(dpar) else None
        if a != b:
            err(f"foreword paragraph {k + 1}:\n  source: {a!r}\n  data:   {b!r}")

    dev = data_events(d)
    for k in range(max(len(sev), len(dev))):
        a = sev[k] if k < len(sev) else None
        b = dev[k] if k < len(dev) else None
        if a != b:
            err(f"item {k + 1} differs (first difference; later ones not shown):"
                f"\n  source: {a!r}\n  data:   {b!r}")
            break

    if errors:
        for e in errors:
            print("error: " + e, file=sys.stderr)
        return 1
    nb = sum(1 for kind, _ in sev if kind == "bullet")
    print(f"data verbatim: {nb} bullets, {len(paragraphs)} paragraphs OK")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
