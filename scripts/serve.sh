#!/usr/bin/env bash
# make serve: Odoo 19 in its production shape on this machine — HTTP worker
# processes, a worker for the scheduled jobs, the websocket process (gevent)
# and proxy_mode for the reverse proxy in front — from a configuration file
# this script writes in .local/. `make run` stays the simple, threaded shape.
#
# Settings (environment): CONSEIL_WORKERS (default 2 × cores + 1),
# CONSEIL_HTTP_PORT (8069), CONSEIL_GEVENT_PORT (8072), CONSEIL_HTTP_INTERFACE
# (127.0.0.1: only the proxy reaches Odoo), CONSEIL_RUN_DB (conseil),
# CONSEIL_ADMIN_PASSWD (master password; generated once otherwise),
# CONSEIL_REPLICA=1 (read-only requests served by a streaming replica of the
# cluster, started with it: scripts/pg.sh replica), CONSEIL_NODES (1: how many
# Odoo servers share the database, node n on HTTP_PORT + n and GEVENT_PORT + n).
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
"$PROJECT_DIR/scripts/bootstrap.sh" --with-test-tools

WORKERS="${CONSEIL_WORKERS:-$(($(nproc) * 2 + 1))}"
GEVENT_PORT="${CONSEIL_GEVENT_PORT:-8072}"
HTTP_INTERFACE="${CONSEIL_HTTP_INTERFACE:-127.0.0.1}"
NODES="${CONSEIL_NODES:-1}"
odoo_pids=()

started_pg=0
if ! "$PROJECT_DIR/scripts/pg.sh" status >/dev/null 2>&1; then
    "$PROJECT_DIR/scripts/pg.sh" start
    started_pg=1
fi
eval "$("$PROJECT_DIR/scripts/pg.sh" env)"
started_replica=0
replica_conf=""
if [ "${CONSEIL_REPLICA:-0}" = 1 ]; then
    if ! "$PROJECT_DIR/scripts/pg.sh" replica status >/dev/null 2>&1; then
        "$PROJECT_DIR/scripts/pg.sh" replica start
        started_replica=1
    fi
    eval "$("$PROJECT_DIR/scripts/pg.sh" replica env)"
    replica_conf="db_replica_host = $PGHOST_REPLICA
db_replica_port = $PGPORT_REPLICA"
fi

stop_all() {
    trap - INT TERM EXIT
    for pid in "${odoo_pids[@]}"; do
        kill -TERM "$pid" 2>/dev/null || true
    done
    for pid in "${odoo_pids[@]}"; do
        wait "$pid" 2>/dev/null || true
    done
    if [ "$started_replica" = 1 ]; then
        "$PROJECT_DIR/scripts/pg.sh" replica stop
    fi
    if [ "$started_pg" = 1 ]; then
        "$PROJECT_DIR/scripts/pg.sh" stop
    fi
}
trap stop_all INT TERM EXIT

if ! "$PROJECT_DIR/scripts/pg.sh" psql -d postgres -tAc \
        "SELECT 1 FROM pg_database WHERE datname = '$RUN_DB'" | grep -q 1; then
    log "First run: creating database '$RUN_DB' with the addon and its demo town"
    "$PROJECT_DIR/scripts/demo.sh" "$RUN_DB"
fi

# The master password guards the database manager: never the default, never in the repository.
passwd_file="$DATA_DIR/admin_passwd"
if [ -n "${CONSEIL_ADMIN_PASSWD:-}" ]; then
    admin_passwd="$CONSEIL_ADMIN_PASSWD"
else
    if [ ! -s "$passwd_file" ]; then
        (umask 077 && "$PYTHON" -c 'import secrets; print(secrets.token_urlsafe(24))' > "$passwd_file")
    fi
    admin_passwd="$(cat "$passwd_file")"
fi

# One configuration per node: node n answers on HTTP_PORT + n and GEVENT_PORT + n; all share the
# database, the filestore (data_dir) and the sessions, so a proxy may send a user to any of them.
write_conf() {
    local node="$1" conf="$DATA_DIR/odoo-serve-$RUN_DB-$1.conf"
    (umask 077 && cat > "$conf" <<CONF
; Written by scripts/serve.sh: change the settings through its environment, not here.
[options]
addons_path = $ADDONS_PATH
data_dir = $DATA_DIR/data
db_host = $PGHOST
db_port = $PGPORT
db_user = $PGUSER
$replica_conf
db_name = $RUN_DB
dbfilter = ^$RUN_DB\$
list_db = False
admin_passwd = $admin_passwd
proxy_mode = True
http_interface = $HTTP_INTERFACE
http_port = $((HTTP_PORT + node))
gevent_port = $((GEVENT_PORT + node))
workers = $WORKERS
max_cron_threads = 1
db_maxconn = 64
limit_memory_soft = 2147483648
limit_memory_hard = 2684354560
limit_time_cpu = 600
limit_time_real = 1200
limit_request = 65536
log_level = info
CONF
    )
    echo "$conf"
}

odoo_pids=()
for node in $(seq 0 $((NODES - 1))); do
    conf="$(write_conf "$node")"
    log "Node $node: $WORKERS workers, 1 cron worker, HTTP on $HTTP_INTERFACE:$((HTTP_PORT + node)), websocket on port $((GEVENT_PORT + node))${replica_conf:+, reads on the replica} (config: $conf)"
    "$PYTHON" "$ODOO_SRC/odoo-bin" -c "$conf" &
    odoo_pids+=($!)
done
log "Ctrl-C stops it."
wait "${odoo_pids[@]}"
