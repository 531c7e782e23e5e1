#!/usr/bin/env bash
# Proves calendar clients show the sessions Aula shows: the `ics_sample` example writes sample
# invitations and feeds (every recurrence kind, zones across daylight saving, a zone that changed
# its rules) with the occurrences Aula computed for each; two integration tests capture a real
# invitation as the SMTP server received it and a calendar feed as the server answered it
# (`AULA_ICS_CAPTURE_DIR`). Python's `icalendar` (PyPI) parses them all and `dateutil` expands
# their RRULEs (ics_check.py). Run by scripts/test.sh.
set -euo pipefail
cd "$(dirname "$0")/../../.."
source scripts/env.sh
out=$(mktemp -d)
captured=$(mktemp -d)
trap 'rm -rf "$out" "$captured"' EXIT
RUSTFLAGS=$TEST_RUSTFLAGS cargo run -q -p server --example ics_sample -- "$out" >/dev/null
AULA_ICS_CAPTURE_DIR=$captured RUSTFLAGS=$TEST_RUSTFLAGS cargo test -q -p server --test api -- \
  --exact \
  meeting_invitations::each_address_gets_its_own_invitation_with_the_weekly_series_and_bad_ones_are_reported \
  calendar_feed::the_feed_lists_course_activities_and_owned_meetings_without_a_session
for name in captured-invitation captured-feed; do
  [ -s "$captured/$name.ics" ] || { echo "ics check FAILED: the tests did not capture $name.ics" >&2; exit 1; }
done
python3 server/tests/support/ics_check.py "$out" "$captured"
