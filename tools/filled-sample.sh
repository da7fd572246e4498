#!/bin/sh
# The filled-in example: two participants' fillable worksheets
# (layouts/worksheet-fillable.yaml, from samples/roster.csv), filled in as
# they would in a PDF viewer (build/tests/form_tool, then qpdf makes the
# text fields' appearances, as a viewer does when it saves), into
# DIR/filled/, and what `grundlag collect` makes of them, DIR/collected.csv.
#   tools/filled-sample.sh [DIR]      (default samples/)
# Run from the repository root; GRUNDLAG names the binary (./grundlag),
# FORM_TOOL the helper (build/tests/form_tool).
set -eu
dir=${1:-samples}
bin=${GRUNDLAG:-./grundlag}
tool=${FORM_TOOL:-build/tests/form_tool}
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
{ head -n 1 samples/roster.csv; grep -E '^(Anne Sørensen|Lars Åkesson),' samples/roster.csv; } > "$t/roster.csv"
"$bin" render --roster "$t/roster.csv" --split --out-dir "$t" layouts/worksheet-fillable.yaml
"$tool" fill "$t/worksheet-fillable/Anne-Soerensen.pdf" "$t/anne.pdf" \
    direktoer.fundamentalt-ansvar.1.rating=4 \
    'direktoer.fundamentalt-ansvar.1.notes=Retningen er klar, men samlingen halter.' \
    direktoer.fundamentalt-ansvar.2.rating=5 \
    direktoer.fundamentalt-ansvar.3.rating=3 \
    'direktoer.fundamentalt-ansvar.3.notes=Mere tid til dialog med Byrådet, "før" beslutningerne.' \
    'direktoer.reflection.1=Vi er blevet bedre til at dele viden på tværs.'
"$tool" fill "$t/worksheet-fillable/Lars-Aakesson.pdf" "$t/lars.pdf" \
    leder-af-leder.fundamentalt-ansvar.1.rating=2 \
    'leder-af-leder.fundamentalt-ansvar.1.notes=Særligt i forår og sommer, når økonomien strammes.' \
    leder-af-leder.fundamentalt-ansvar.2.rating=4 \
    'leder-af-leder.reflection.2=Få lederne til at mødes oftere.'
mkdir -p "$dir/filled"
# qpdf exits 3 for its warnings about the radio buttons, whose appearances
# the worksheet brings itself.
for p in anne:Anne-Soerensen lars:Lars-Aakesson; do
    qpdf --deterministic-id --generate-appearances "$t/${p%%:*}.pdf" "$dir/filled/${p#*:}.pdf" 2>/dev/null || [ $? = 3 ]
done
"$bin" collect -o "$dir/collected.csv" "$dir/filled/Anne-Soerensen.pdf" "$dir/filled/Lars-Aakesson.pdf"
