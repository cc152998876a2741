#!/usr/bin/env bash
# Runs a command beside a throwaway PostgreSQL server: initdb into a temporary folder, a server on loopback
# (127.0.0.1, a free port, its socket in the same folder), PLANKB_TEST_POSTGRES_URL exported for the command,
# and the server stopped and the folder removed afterwards, whatever the command's outcome; the command's
# TMPDIR is a folder inside it, so that the scratch files of a test run go with it.
#   bash .ci/with-postgres.sh swift test --filter KnowledgeBaseConformance
# initdb refuses to run as root: as root, the server runs as the `postgres` user (Debian's package makes it),
# or else as a user made for it. Password authentication is on (scram-sha-256), so tests can try a wrong one.
set -euo pipefail
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[[ -x "$bin/initdb" ]] || { echo "with-postgres: no PostgreSQL server binaries (apt-get install postgresql)" >&2; exit 1; }
dir=$(mktemp -d /tmp/plankb-postgres.XXXXXX)
chmod 755 "$dir"
password=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
as_server=()
if [[ $(id -u) == 0 ]]; then
  user=postgres
  id -u "$user" >/dev/null 2>&1 || { user=plankb-postgres; id -u "$user" >/dev/null 2>&1 || useradd --system --no-create-home "$user"; }
  chown "$user" "$dir"
  as_server=(runuser -u "$user" --)
fi
stop() {
  "${as_server[@]}" "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap stop EXIT
printf '%s\n' "$password" > "$dir/password"
chmod 644 "$dir/password"
"${as_server[@]}" "$bin/initdb" -D "$dir/data" -U plankb --pwfile="$dir/password" --auth=scram-sha-256 \
  --encoding=UTF8 --locale=C >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
rm -f "$dir/password"
"${as_server[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
  -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=500" start >/dev/null \
  || { cat "$dir/server.log" >&2; exit 1; }
PGPASSWORD=$password "$bin/createdb" -h 127.0.0.1 -p "$port" -U plankb plankb_test
export PLANKB_TEST_POSTGRES_URL="postgres://plankb:$password@127.0.0.1:$port/plankb_test"
echo "with-postgres: PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port (data in $dir)" >&2
# The command's scratch files (TMPDIR: every test's temporary folder) go in the same folder, removed with it.
mkdir "$dir/scratch"
export TMPDIR="$dir/scratch"
status=0
"$@" || status=$?
exit "$status"
