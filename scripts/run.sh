#!/usr/bin/env bash
# make run: Odoo 19 with the addon and its demo data at http://localhost:$CONSEIL_HTTP_PORT.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
"$PROJECT_DIR/scripts/bootstrap.sh" --with-test-tools
"$PROJECT_DIR/scripts/pg.sh" start

stop_all() {
    trap - INT TERM EXIT
    if [ -n "${odoo_pid:-}" ]; then
        # Ctrl-C already reached Odoo (same process group): give it time to
        # stop by itself, a second signal would force its shutdown.
        for _ in $(seq 20); do
            kill -0 "$odoo_pid" 2>/dev/null || break
            sleep 0.5
        done
        kill -TERM "$odoo_pid" 2>/dev/null || true
        wait "$odoo_pid" 2>/dev/null || true
    fi
    "$PROJECT_DIR/scripts/pg.sh" stop
}
trap stop_all INT TERM EXIT

if ! "$PROJECT_DIR/scripts/pg.sh" psql -d postgres -tAc \
        "SELECT 1 FROM pg_database WHERE datname = '$RUN_DB'" | grep -q 1; then
    log "First run: creating database '$RUN_DB' with the addon and its demo town"
    # Installed before the server starts, its acts styled by a server of their own (scripts/demo.sh).
    "$PROJECT_DIR/scripts/demo.sh" "$RUN_DB"
fi
log "Odoo will answer on http://localhost:$HTTP_PORT (login admin, password admin). Ctrl-C stops it."
"$PROJECT_DIR/scripts/odoo.sh" -d "$RUN_DB" --db-filter="^$RUN_DB\$" \
    --http-port="$HTTP_PORT" "$@" &
odoo_pid=$!
wait "$odoo_pid"
