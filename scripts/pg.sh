#!/usr/bin/env bash
# The project's own PostgreSQL cluster: scripts/pg.sh start|stop|status|env|psql [args]
# Initialised on first start in $CONSEIL_DATA_DIR (default: .local/ of the project).
# scripts/pg.sh replica start|stop|status|env|drop: a streaming replica of it (hot standby,
# port $CONSEIL_PGREPLICA_PORT, default the cluster's port + 1), for Odoo's db_replica_*.
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
REPLICA_DIR="$(dirname "$PGDATA_DIR")/pgreplica"
REPLICA_PORT="${CONSEIL_PGREPLICA_PORT:-$((PGPORT + 1))}"
REPLICA_LOG="$(dirname "$PGDATA_DIR")/postgresql-replica.log"

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
    # jit=off: PostgreSQL would compile every query it estimates costly, 50 ms each time, for Odoo's short
    # queries (README, Deployment)
    as_pg "$PGBIN/pg_ctl" -D "$PGDATA_DIR" -l "$PGLOG" -w -t 60 start -o \
        "-c listen_addresses='' -c unix_socket_directories='$PGSOCKET_DIR' -p $PGPORT -c fsync=off -c jit=off -c max_connections=200" \
        >/dev/null || die "PostgreSQL did not start; see $PGLOG"
}

pg_stop() {
    if is_running; then
        log "Stopping PostgreSQL"
        as_pg "$PGBIN/pg_ctl" -D "$PGDATA_DIR" -w -m fast stop >/dev/null
    fi
}

replica_running() {
    [ -f "$REPLICA_DIR/postmaster.pid" ] && as_pg "$PGBIN/pg_ctl" -D "$REPLICA_DIR" status >/dev/null 2>&1
}

# A copy of the whole cluster taken by pg_basebackup, kept up to date by streaming replication: it answers
# read-only queries (hot standby) and refuses writes. The primary's defaults allow it (wal_level replica,
# max_wal_senders 10, local replication connections trusted by initdb).
replica_start() {
    is_running || die "Start the cluster first: scripts/pg.sh start"
    if [ ! -f "$REPLICA_DIR/PG_VERSION" ]; then
        log "Copying the cluster into a streaming replica in $REPLICA_DIR (pg_basebackup)"
        as_pg "$PGBIN/pg_basebackup" -h "$PGSOCKET_DIR" -p "$PGPORT" -U "$DB_USER" \
            -D "$REPLICA_DIR" --write-recovery-conf --wal-method=stream --checkpoint=fast \
            || die "pg_basebackup failed"
    fi
    if replica_running; then
        return
    fi
    log "Starting the replica on socket $PGSOCKET_DIR, port $REPLICA_PORT"
    as_pg "$PGBIN/pg_ctl" -D "$REPLICA_DIR" -l "$REPLICA_LOG" -w -t 60 start -o \
        "-c listen_addresses='' -c unix_socket_directories='$PGSOCKET_DIR' -p $REPLICA_PORT -c hot_standby=on -c jit=off -c max_connections=200" \
        >/dev/null || die "The replica did not start; see $REPLICA_LOG"
}

replica_stop() {
    if replica_running; then
        log "Stopping the replica"
        as_pg "$PGBIN/pg_ctl" -D "$REPLICA_DIR" -w -m fast stop >/dev/null
    fi
}

replica() {
    case "${1:-}" in
        start) replica_start ;;
        stop) replica_stop ;;
        status) if replica_running; then echo "running ($PGSOCKET_DIR, port $REPLICA_PORT)"; else echo stopped; exit 3; fi ;;
        env) printf 'PGHOST_REPLICA=%s\nPGPORT_REPLICA=%s\n' "$PGSOCKET_DIR" "$REPLICA_PORT" ;;
        drop) replica_stop; rm -rf "$REPLICA_DIR" ;;
        *) die "usage: scripts/pg.sh replica start|stop|status|env|drop" ;;
    esac
}

case "${1:-}" in
    start) pg_start ;;
    stop) replica_stop; pg_stop ;;
    replica) shift; replica "$@" ;;
    status) if is_running; then echo "running ($PGSOCKET_DIR, port $PGPORT)"; else echo stopped; exit 3; fi ;;
    env) printf 'PGHOST=%s\nPGPORT=%s\nPGUSER=%s\n' "$PGSOCKET_DIR" "$PGPORT" "$DB_USER" ;;
    psql) shift; exec psql -h "$PGSOCKET_DIR" -p "$PGPORT" -U "$DB_USER" "$@" ;;
    *) die "usage: scripts/pg.sh start|stop|status|env|psql [args]" ;;
esac
