#!/bin/sh
# The samples: every layout in layouts/ and the variants below, rendered into
# DIR (default samples/). This list is the one source for `make samples`,
# the reference images of `make visual` and the README's Samples table (a
# test checks that the table names exactly these files).
#   tools/samples.sh [DIR]     render them all
#   tools/samples.sh --list    print "FILE<TAB>ARGUMENTS" for each, rendering nothing
# Run from the repository root; GRUNDLAG names the binary (./grundlag).
set -eu
bin=${GRUNDLAG:-./grundlag}

# Layouts whose sample is a part of what they make: the arguments before
# the layout. (The print file of the dialogue cards runs to 542 pages for
# the whole deck; one profile's cards show it. The release has it whole.)
layout_args() {
    case $1 in
    dialogue-card-print) printf '%s ' --profiles medarbejder ;;
    esac
}

# The variants: output file stem, then the render arguments.
variants() {
    printf '%s\t%s\n' poster-two-profiles "--profiles leder-af-leder,leder-af-medarbejder layouts/poster.yaml"
    printf '%s\t%s\n' worksheets-personal "--roster samples/roster.csv layouts/worksheet.yaml"
}

list() {
    for layout in layouts/*.yaml; do
        stem=${layout##*/}
        printf '%s\t%s%s\n' "${stem%.yaml}" "$(layout_args "${stem%.yaml}")" "$layout"
    done
    variants
}

if [ "${1:-}" = --list ]; then
    list
    exit 0
fi
dir=${1:-samples}
mkdir -p "$dir"
list | while IFS="$(printf '\t')" read -r stem args; do
    # shellcheck disable=SC2086 # the arguments are words
    "$bin" render -o "$dir/$stem.pdf" $args
done
