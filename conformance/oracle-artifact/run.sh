#!/bin/sh
# Regenerates ../artifact/generated.json from ../artifact/trees.input.json.
set -e
cd "$(dirname "$0")"
go run .
