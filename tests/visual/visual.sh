#!/bin/bash
# Reference-image tests (`make visual`, `make visual-update`): renders every
# sample (tools/samples.sh: each layout and the variants), turns every page
# into pixels with poppler's pdftoppm and compares them exactly with the
# committed references tests/visual/<sample>/<page>.png. See README there.
#
#   tests/visual/visual.sh check    fail, naming sample and page, on any difference
#   tests/visual/visual.sh update   rewrite the references (review them like code)
#
# Run from the repository root. GRUNDLAG names the binary, COMPARE the
# comparison program (build/tests/visual-compare), VISUAL_JOBS the number of
# samples worked on at once (2).
set -eu
mode=${1:-check}
case $mode in check|update) ;; *) echo "usage: $0 check|update" >&2; exit 2 ;; esac
DPI=${VISUAL_DPI:-50}
compare=${COMPARE:-build/tests/visual-compare}
jobs=${VISUAL_JOBS:-2}
out=build/visual
refs=tests/visual


# One sample: its pages against its references. Writes a report line per
# difference into $out/<stem>.report.
one() {
    stem=$1
    args=$(awk -F '\t' -v s="$stem" '$1 == s { print $2 }' "$out/list")
    dir="$out/$stem"
    mkdir -p "$dir/ppm"
    report="$out/$stem.report"
    : > "$report"
    pdftoppm -r "$DPI" "$out/pdf/$stem.pdf" "$dir/ppm/p"
    # pdftoppm pads page numbers to the width of the page count: make it 3.
    for f in "$dir"/ppm/p-*.ppm; do
        n=${f##*/p-}
        n=${n%.ppm}
        mv "$f" "$dir/ppm/$(printf '%03d' "$((10#$n))").ppm"
    done
    if [ "$mode" = update ]; then
        rm -rf "${refs:?}/$stem"
        mkdir -p "$refs/$stem"
        for f in "$dir"/ppm/*.ppm; do
            p=${f##*/}
            pnmtopng -compression 9 "$f" > "$refs/$stem/${p%.ppm}.png"
        done
        if command -v optipng >/dev/null; then optipng -quiet -o2 "$refs/$stem"/*.png; fi
        return 0
    fi
    for f in "$dir"/ppm/*.ppm; do
        p=${f##*/}
        p=${p%.ppm}
        ref="$refs/$stem/$p.png"
        if [ ! -f "$ref" ]; then
            pnmtopng "$f" > "$dir/$p.png"
            echo "$stem ($args) page $((10#$p)): new page, no reference; image $dir/$p.png" >> "$report"
            continue
        fi
        pngtopnm "$ref" > "$dir/ref.pnm"
        if ! msg=$("$compare" "$dir/ref.pnm" "$f" "$dir/$p-diff.ppm"); then
            [ -n "$msg" ] || msg="cannot compare"
            pnmtopng "$f" > "$dir/$p.png"
            diffimg=""
            if [ -f "$dir/$p-diff.ppm" ]; then
                pnmtopng "$dir/$p-diff.ppm" > "$dir/$p-diff.png"
                rm -f "$dir/$p-diff.ppm"
                diffimg=", diff $dir/$p-diff.png"
            fi
            echo "$stem ($args) page $((10#$p)): $msg; new $dir/$p.png$diffimg" >> "$report"
        fi
    done
    rm -f "$dir/ref.pnm"
    for ref in "$refs/$stem"/*.png; do
        [ -f "$ref" ] || continue
        p=${ref##*/}
        p=${p%.png}
        [ -f "$dir/ppm/$p.ppm" ] || echo "$stem ($args) page $((10#$p)): missing, the reference has it" >> "$report"
    done
    if [ ! -d "$refs/$stem" ]; then echo "$stem ($args): no references in $refs/$stem" >> "$report"; fi
}

if [ "${VISUAL_ONE:-}" ]; then
    one "$VISUAL_ONE"
    exit 0
fi

rm -rf "$out"
mkdir -p "$out/pdf"
tools/samples.sh "$out/pdf" >/dev/null
tools/samples.sh --list > "$out/list"

cut -f1 "$out/list" | xargs -P "$jobs" -I{} env VISUAL_ONE={} "$0" "$mode"
if [ "$mode" = update ]; then
    # References of samples that no longer exist go too.
    for d in "$refs"/*/; do
        s=${d%/}
        s=${s##*/}
        cut -f1 "$out/list" | grep -qx "$s" || rm -rf "${refs:?}/$s"
    done
    echo "visual: references rewritten: $(find "$refs" -name '*.png' | wc -l) pages, $(du -sk "$refs" | cut -f1) KB"
    exit 0
fi
pages=$(find "$out" -path '*/ppm/*.ppm' | wc -l)
cat "$out"/*.report > "$out/report"
if [ -s "$out/report" ]; then
    sed 's/^/visual: FAIL /' "$out/report"
    echo "visual: $(wc -l < "$out/report") of $pages pages differ (make visual-update accepts them; say why in the commit)"
    exit 1
fi
echo "visual: $pages pages of $(wc -l < "$out/list") samples equal their references"
