#!/bin/sh
# Renders the release artifacts into DIR (default dist/): every layout in
# layouts/ and the personalised worksheets of samples/roster.csv, with
# MANIFEST (file, layout, kind, pages, bytes; tab-separated) and SHA256SUMS.
# Fails if anything fails; DIR is replaced only when everything succeeded.
# Run from the repository root; GRUNDLAG names the binary (./grundlag).
set -eu
dir=${1:-dist}
bin=${GRUNDLAG:-./grundlag}
work="$dir.tmp.$$"
trap 'rm -rf "$work"' EXIT INT TERM
rm -rf "$work"
mkdir -p "$work"
for layout in layouts/*.yaml; do
    "$bin" render --out-dir "$work" "$layout"
done
"$bin" render --roster samples/roster.csv -o "$work/worksheets-personal.pdf" layouts/worksheet.yaml
printf 'file\tlayout\tkind\tpages\tbytes\n' > "$work/MANIFEST"
for pdf in "$work"/*.pdf; do
    name=$(basename "$pdf")
    stem=${name%.pdf}
    layout="layouts/$stem.yaml"
    [ "$stem" = worksheets-personal ] && layout="layouts/worksheet.yaml --roster samples/roster.csv"
    kind=$(sed -n 's/^kind:[[:space:]]*//p' "${layout%% *}" | head -n 1)
    pages=$(pdfinfo "$pdf" | sed -n 's/^Pages:[[:space:]]*//p')
    bytes=$(wc -c < "$pdf" | tr -d ' ')
    printf '%s\t%s\t%s\t%s\t%s\n' "$name" "$layout" "$kind" "$pages" "$bytes" >> "$work/MANIFEST"
done
(cd "$work" && LC_ALL=C sha256sum -- *.pdf MANIFEST > SHA256SUMS)
rm -rf "$dir"
mv "$work" "$dir"
trap - EXIT INT TERM
echo "release: $(grep -c . "$dir/SHA256SUMS") files in $dir/"
