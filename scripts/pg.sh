#!/usr/bin/env bash
# The project's own PostgreSQL cluster: scripts/pg.sh start|stop|status|psql [args]
# Initialised on first start in $CONSEIL_DATA_DIR (default: .local/ of the project).
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

[ -x "$PGBIN/initdb" ] || die "PostgreSQL server binaries not found in $PGBIN.
Install them (Debian: apt-get install postgresql) or set PGBIN to the folder holding initdb and pg_ctl."

# PostgreSQL never runs as root. As root we run it as an unprivileged system
# user; if that user cannot reach the project folder (a home folder in 0700),
# the cluster moves to a folder of its own under /var/tmp.
as_pg() {
    if [ "$(id -u)" = 0 ]; then
        runuser -u "$PG_OS_USER" -- "$@"
    else
        "$@"
    fi
}

if [ "$(id -u)" = 0 ]; then
    id "$PG_OS_USER" >/dev/null 2>&1 \
        || useradd --system --no-create-home --shell /usr/sbin/nologin "$PG_OS_USER"
    mkdir -p "$DATA_DIR"
    if ! runuser -u "$PG_OS_USER" -- test -x "$DATA_DIR"; then
        alt="/var/tmp/conseil-pg-$(printf '%s' "$DATA_DIR" | sha256sum | cut -c1-12)"
        PGDATA_DIR="$alt/pgdata"
        PGSOCKET_DIR="$alt/pgsocket"
    fi
fi
PGLOG="$(dirname "$PGDATA_DIR")/postgresql.log"

is_running() {
    [ -f "$PGDATA_DIR/postmaster.pid" ] && as_pg "$PGBIN/pg_ctl" -D "$PGDATA_DIR" status >/dev/null 2>&1
}

pg_start() {
    mkdir -p "$PGSOCKET_DIR" "$(dirname "$PGDATA_DIR")"
    if [ "$(id -u)" = 0 ]; then
        chown "$PG_OS_USER" "$PGSOCKET_DIR" "$(dirname "$PGDATA_DIR")"
    fi
    if [ ! -f "$PGDATA_DIR/PG_VERSION" ]; then
        log "Initialising a PostgreSQL cluster in $PGDATA_DIR"
        as_pg "$PGBIN/initdb" --pgdata="$PGDATA_DIR" --username="$DB_USER" \
            --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
    fi
    if is_running; then
        return
    fi
    log "Starting PostgreSQL on socket $PGSOCKET_DIR, port $PGPORT"
    as_pg "$PGBIN/pg_ctl" -D "$PGDATA_DIR" -l "$PGLOG" -w -t 60 start -o \
        "-c listen_addresses='' -c unix_socket_directories='$PGSOCKET_DIR' -p $PGPORT -c fsync=off -c max_connections=200" \
        >/dev/null || die "PostgreSQL did not start; see $PGLOG"
}

pg_stop() {
    if is_running; then
        log "Stopping PostgreSQL"
        as_pg "$PGBIN/pg_ctl" -D "$PGDATA_DIR" -w -m fast stop >/dev/null
    fi
}

case "${1:-}" in
    start) pg_start ;;
    stop) pg_stop ;;
    status) if is_running; then echo "running ($PGSOCKET_DIR, port $PGPORT)"; else echo stopped; exit 3; fi ;;
    env) printf 'PGHOST=%s\nPGPORT=%s\nPGUSER=%s\n' "$PGSOCKET_DIR" "$PGPORT" "$DB_USER" ;;
    psql) shift; exec psql -h "$PGSOCKET_DIR" -p "$PGPORT" -U "$DB_USER" "$@" ;;
    *) die "usage: scripts/pg.sh start|stop|status|env|psql [args]" ;;
esac
