#!/usr/bin/env bash
# backup.sh DEST_DIR: one consistent backup of a tongpei office — the
# PostgreSQL database (pg_dump custom format, a consistent snapshot taken
# while tongpei runs) and, when the embedded NATS is used, its JetStream
# store. PostgreSQL is the record: every event is in the outbox, and
# `tongpei reconcile` re-publishes what a restored stream lacks, so the
# JetStream copy only saves carriers a re-delivery.
#
# Environment: TONGPEI_DATABASE_URL (default: the local tongpei database),
# TONGPEI_DATA_DIR (default ./var). See docs/deploy.md for the schedule.
set -euo pipefail
dest=${1:?usage: backup.sh DEST_DIR}
url=${TONGPEI_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/tongpei?sslmode=disable}
data=${TONGPEI_DATA_DIR:-./var}
stamp=$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$dest"
out="$dest/tongpei-$stamp"
mkdir "$out"
pg_dump --format=custom --no-owner --file="$out/database.dump" "$url"
if [ -d "$data/nats" ]; then
	tar -C "$data" -czf "$out/nats.tar.gz" nats
fi
(cd "$out" && sha256sum ./* > SHA256SUMS)
echo "$out"
