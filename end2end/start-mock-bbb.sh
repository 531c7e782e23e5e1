#!/usr/bin/env bash
# Starts the mock BigBlueButton server for the browser tests (built by `cargo test`, which builds
# the server crate's examples; built here if missing). It verifies every checksum like bbb-web.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
target=${CARGO_TARGET_DIR:-$HOME/.cache/aula-target}
bin=$target/debug/examples/mock_bbb
if [ ! -x "$bin" ]; then
  (cd "$root" && RUSTFLAGS="--cfg erase_components" cargo build -q -p server --features test-support --example mock_bbb)
fi
exec "$bin" "127.0.0.1:${MOCK_BBB_PORT:-18600}" "${MOCK_BBB_SECRET:-e2e-bbb-shared-secret}"
