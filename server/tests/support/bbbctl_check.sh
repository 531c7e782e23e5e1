#!/usr/bin/env bash
# Proves the mock BigBlueButton server speaks BBB: bbbctl (PyPI; its own SHA-1 checksums, its own
# urllib query encoding and its own XML reading) drives it through create, list, info, join (also
# through the back office), end and recordings, and a wrong secret is refused. Run by scripts/test.sh.
set -euo pipefail
cd "$(dirname "$0")/../../.."
source scripts/env.sh
port=${MOCK_BBB_PORT:-18601}
secret=bbbctl-check-secret
# The test flags, so this reuses what `cargo test` built instead of compiling the workspace again.
RUSTFLAGS=$TEST_RUSTFLAGS cargo build -q -p server --features test-support --example mock_bbb
"$CARGO_TARGET_DIR/debug/examples/mock_bbb" "127.0.0.1:$port" "$secret" >/dev/null &
pid=$!
trap 'kill $pid 2>/dev/null' EXIT
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/bigbluebutton/api" >/dev/null && break; sleep 0.1; done

bbb() { python3 -m bbbctl --server "http://127.0.0.1:$port" --secret "${SECRET:-$secret}" "$@"; }
fail() { echo "bbbctl check FAILED: $*" >&2; exit 1; }
# has 'python expression over the parsed JSON' < json
has() { python3 -c "import json,sys; d=json.load(sys.stdin); sys.exit(0 if ($1) else 1)"; }

bbb meeting create room-1 "Physics 101 & friends" >/dev/null || fail "create"
bbb --format json meeting list | has 'd["meetingID"] == "room-1"' || fail "list does not show room-1"
bbb --format json meeting info room-1 | has 'd["meetingName"] == "Physics 101 & friends"' || fail "info"
link=$(bbb meeting join room-1 "Zoë Student")
code=$(curl -s -o /dev/null -w '%{http_code} %{redirect_url}' "$link")
case "$code" in
  "302 "*"role=VIEWER"*) ;;
  *) fail "join link answered: $code" ;;
esac
bbb --format json meeting info room-1 | has 'd["attendees"][0]["fullName"] == "Zoë Student"' || fail "attendee missing"
# Someone joining through the mock's back office is seen by the independent client too.
curl -sf -o /dev/null -X POST -H 'content-type: application/json' "http://127.0.0.1:$port/__mock/meetings/room-1/join-user" \
  -d '{"user_id":"u-9","full_name":"Ana Teacher","role":"MODERATOR"}' || fail "back-office join"
bbb --format json meeting info room-1 | has 'len(d["attendees"]) == 2 and d["moderatorCount"] == 1' \
  || fail "the back-office attendee is missing"
curl -sf -o /dev/null -X POST -H 'content-type: application/json' "http://127.0.0.1:$port/__mock/recordings" \
  -d '{"record_id":"rec-1","meeting_id":"room-1","name":"Week 1","published":true}' || fail "seed"
bbb --format json record list --meeting room-1 | has 'd["recordID"] == "rec-1"' || fail "recordings"
bbb record unpublish rec-1 >/dev/null || fail "unpublish"
bbb record delete rec-1 >/dev/null || fail "delete"
bbb meeting end room-1 || fail "end"
if SECRET=wrong bbb meeting list >/dev/null 2>&1; then fail "a wrong secret was accepted"; fi
calls=$(curl -sf "http://127.0.0.1:$port/__mock/calls")
echo "$calls" | python3 -c 'import json,sys; c=json.load(sys.stdin); bad=[x["call"] for x in c if not x["checksum_ok"]]; assert len(bad)==1, bad' \
  || fail "only the wrong-secret call may fail its checksum"
echo "bbbctl drove the mock BigBlueButton server: create, list, info, join, back-office join, recordings, end, checksum refusal"
