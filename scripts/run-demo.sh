#!/usr/bin/env bash
# Builds Aula (release), seeds the demo site on SQLite and serves it.
# AULA_BIND (default 127.0.0.1:3000) and AULA_DATA_DIR (default ./data) are honoured.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-tools.sh
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/aula-target}
export PATH="$PWD/end2end/node_modules/.bin:$HOME/.cargo/bin:$PATH"
cargo leptos build --release --split
scripts/build-lean.sh
export LEPTOS_SITE_ROOT=$PWD/target/site
bin=$CARGO_TARGET_DIR/release/aula
"$bin" demo
exec "$bin" serve
