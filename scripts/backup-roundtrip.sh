#!/usr/bin/env bash
# backup-roundtrip.sh: proves backup.sh and restore.sh on the demonstration
# county. It fills a scratch database with `tongpei serve --demo`, hashes
# every table, backs up, wrecks the database, restores, and compares the
# hashes. Run from the repository root after `make build`; `make
# backup-check` does both.
set -euo pipefail
bin=${TONGPEI_BIN:-bin/tongpei}
work=$(mktemp -d)
trap 'kill "${pid:-}" 2>/dev/null || true; rm -rf "$work"' EXIT
db=tongpei_backup_check_$$
export TONGPEI_DATABASE_URL="postgres://postgres@127.0.0.1:5432/$db?sslmode=disable"
export TONGPEI_DATA_DIR="$work/var"
export TONGPEI_ADDR=127.0.0.1:$((20000 + RANDOM % 10000)) TONGPEI_NATS_LISTEN=127.0.0.1:$((30000 + RANDOM % 10000))

"$bin" serve --demo >"$work/serve.out" 2>"$work/serve.err" &
pid=$!
for _ in $(seq 1 120); do grep -q '^api ' "$work/serve.out" 2>/dev/null && break; sleep 0.5; done
grep -q '^api ' "$work/serve.out" || { cat "$work/serve.err"; echo "serve did not start"; exit 1; }
kill "$pid"; wait "$pid" 2>/dev/null || true; pid=

# One hash per table over its rows in a fixed order.
hashes() {
	psql -qAt "$TONGPEI_DATABASE_URL" -c "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1" |
	while read -r t; do
		printf '%s %s\n' "$t" "$(psql -qAt "$TONGPEI_DATABASE_URL" -c "SELECT md5(coalesce(string_agg(r::text, '|' ORDER BY r::text), '')) FROM \"$t\" r")"
	done
}
hashes >"$work/before"
backup=$(scripts/backup.sh "$work/backups")
psql -q "$TONGPEI_DATABASE_URL" -c "DELETE FROM api_tokens" >/dev/null
scripts/restore.sh "$backup" >/dev/null
hashes >"$work/after"
psql -q "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable" -c "DROP DATABASE \"$db\" WITH (FORCE)" >/dev/null
if ! diff -u "$work/before" "$work/after"; then echo "backup round trip: tables differ"; exit 1; fi
echo "backup round trip: $(wc -l <"$work/before") tables identical after restore ($(du -sh "$backup" | cut -f1) backup)"
