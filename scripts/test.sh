#!/usr/bin/env bash
# The whole test suite on SQLite: unit and integration tests of every crate, then the browser
# tests in Chromium. Set AULA_TEST_POSTGRES_URL or AULA_TEST_MYSQL_URL to run the integration
# suite against PostgreSQL or MariaDB instead (see .ci/run). SKIP_E2E=1 skips the browser tests.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-tools.sh
source scripts/env.sh

echo "== building (cargo leptos build --split, then the join page's lean wasm)"
cargo leptos build --split
scripts/build-lean.sh

echo "== unit and integration tests"
RUSTFLAGS=$TEST_RUSTFLAGS cargo test --workspace --exclude frontend

echo "== the mock BigBlueButton server, driven by an independent client (bbbctl from PyPI)"
server/tests/support/bbbctl_check.sh

echo "== .ics files read by an independent parser (icalendar and dateutil from PyPI)"
server/tests/support/ics_check.sh

if [ "${SKIP_E2E:-0}" != 1 ]; then
  echo "== browser tests (Playwright, Chromium)"
  (cd end2end && npx playwright test)
  echo "== stand-in Jitsi server self-test (the test double speaks the IFrame API protocol)"
  (cd end2end && npx playwright test -c stand-in-jitsi/playwright.selftest.config.ts)
fi
