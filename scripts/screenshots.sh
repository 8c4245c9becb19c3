#!/usr/bin/env bash
# make screenshots: the README's screenshots, taken from the demo town with Chromium.
# Uses the `make run` database (created with its demo data if missing) on a spare port.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
"$PROJECT_DIR/scripts/bootstrap.sh" --with-test-tools
"$PROJECT_DIR/scripts/pg.sh" start
port="${CONSEIL_SHOTS_PORT:-8169}"
if ! "$PROJECT_DIR/scripts/pg.sh" psql -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$RUN_DB'" | grep -q 1; then
    # installed before the server starts, as `make run` does (scripts/demo.sh)
    "$PROJECT_DIR/scripts/demo.sh" "$RUN_DB"
fi
"$PROJECT_DIR/scripts/odoo.sh" -d "$RUN_DB" --db-filter="^$RUN_DB\$" --http-port="$port" --http-interface=127.0.0.1 \
    --log-level=warn >"$DATA_DIR/screenshots-odoo.log" 2>&1 &
odoo_pid=$!
trap 'kill "$odoo_pid" 2>/dev/null; wait "$odoo_pid" 2>/dev/null' EXIT
for _ in $(seq 180); do
    curl -sf "http://127.0.0.1:$port/web/login" >/dev/null && break
    sleep 1
done
log "Taking the screenshots into docs/screenshots/"
"$PYTHON" "$PROJECT_DIR/scripts/screenshots.py" "http://127.0.0.1:$port" "$RUN_DB" "$PROJECT_DIR/docs/screenshots"
