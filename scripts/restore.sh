#!/usr/bin/env bash
# restore.sh BACKUP_DIR: put a backup made by backup.sh back. Stop tongpei
# first. The database named in TONGPEI_DATABASE_URL is dropped and made
# anew from the dump; the JetStream store, when the backup has one,
# replaces $TONGPEI_DATA_DIR/nats (the old one is kept beside it). Start
# tongpei afterwards and run `tongpei reconcile` if the stream may be older
# than the database.
set -euo pipefail
src=${1:?usage: restore.sh BACKUP_DIR}
url=${TONGPEI_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/tongpei?sslmode=disable}
data=${TONGPEI_DATA_DIR:-./var}
(cd "$src" && sha256sum --quiet -c SHA256SUMS)
db=${url##*/}; db=${db%%\?*}
admin=${url%/*}/postgres${url#"${url%%\?*}"}
case "$url" in *\?*) ;; *) admin=${url%/*}/postgres ;; esac
psql -q -v ON_ERROR_STOP=1 "$admin" -c "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" -c "CREATE DATABASE \"$db\""
pg_restore --no-owner --exit-on-error --dbname="$url" "$src/database.dump"
if [ -f "$src/nats.tar.gz" ]; then
	if [ -d "$data/nats" ]; then
		mv "$data/nats" "$data/nats.before-restore-$(date -u +%Y%m%dT%H%M%SZ)"
	fi
	mkdir -p "$data"
	tar -C "$data" -xzf "$src/nats.tar.gz"
fi
echo "restored $db from $src"
