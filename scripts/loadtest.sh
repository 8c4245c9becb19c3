#!/usr/bin/env bash
# make loadtest: the production shape (make serve) under a crowd of simulated town-hall staff and
# association people (Locust, bench/load/locustfile.py), on the city-scale database, at 10, 50 and
# 200 users; then what must never happen is counted in the database (bench/load/check.py).
#
# Targets only the servers it starts, on loopback; each crowd runs for a bounded time and Locust stops
# by itself. Settings (environment): CONSEIL_LOAD_SCALE (1: the whole city, as make bench),
# CONSEIL_LOAD_USERS ("10 50 200"), CONSEIL_LOAD_MINUTES ("2 3 12", one per crowd), CONSEIL_LOAD_SPAWN_RATE (2),
# CONSEIL_LOAD_NODES (1), CONSEIL_WORKERS (2 × cores + 1), CONSEIL_LOAD_PORT (8169).
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
"$PROJECT_DIR/scripts/bootstrap.sh"

SCALE="${CONSEIL_LOAD_SCALE:-1}"
DB="${CONSEIL_LOAD_DB:-conseil_load_${SCALE//./_}}"
read -r -a CROWDS <<< "${CONSEIL_LOAD_USERS:-10 50 200}"
read -r -a MINUTES <<< "${CONSEIL_LOAD_MINUTES:-2 3 12}"
# People arrive: two sign-ins a second (each hashes its password, by design slow) rather than all at once.
SPAWN_RATE="${CONSEIL_LOAD_SPAWN_RATE:-2}"
PORT="${CONSEIL_LOAD_PORT:-8169}"
OUT="$DATA_DIR/loadtest"
LOCUST_VENV="$DATA_DIR/locust-venv"
export CONSEIL_LOAD_DB="$DB" CONSEIL_LOAD_PLAN="$OUT/plan.json"

# Locust in a virtualenv of its own: it needs a newer gevent than Odoo's.
stamp="$LOCUST_VENV/.conseil-stamp"
want="$(sha256sum "$PROJECT_DIR/bench/load/requirements.txt" | cut -c1-16)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    log "Installing Locust in $LOCUST_VENV"
    "${PYTHON_BIN:-$(command -v python3.11 || command -v python3)}" -m venv "$LOCUST_VENV"
    "$LOCUST_VENV/bin/python" -m pip install --quiet -r "$PROJECT_DIR/bench/load/requirements.txt"
    echo "$want" > "$stamp"
fi

started_pg=0
if ! "$PROJECT_DIR/scripts/pg.sh" status >/dev/null 2>&1; then
    "$PROJECT_DIR/scripts/pg.sh" start
    started_pg=1
fi
eval "$("$PROJECT_DIR/scripts/pg.sh" env)"
export PGHOST PGPORT PGUSER
odoo_args=(--addons-path="$ADDONS_PATH" --db_host="$PGHOST" --db_port="$PGPORT" --db_user="$PGUSER"
    --data-dir="$DATA_DIR/data" --log-level=warn)
server_pid=""
stop_all() {
    trap - INT TERM EXIT
    if [ -n "$server_pid" ]; then
        kill -TERM -- "-$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
    if [ "$started_pg" = 1 ]; then
        "$PROJECT_DIR/scripts/pg.sh" stop
    fi
}
trap stop_all INT TERM EXIT

if ! psql -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$DB'" | grep -q 1; then
    log "Building the city (scale $SCALE) in $DB: about 6 minutes at full size"
    "$PROJECT_DIR/scripts/odoo.sh" -d "$DB" -i conseil_associations --stop-after-init --no-http --log-level=warn
    CONSEIL_BENCH_BUILD_ONLY=1 "$PYTHON" "$PROJECT_DIR/bench/run.py" "$DB" "$SCALE" 1 "${odoo_args[@]}" \
        2>&1 | grep -v "^Running as"
fi
rm -rf "$OUT" && mkdir -p "$OUT"
"$PYTHON" "$PROJECT_DIR/bench/load/prepare.py" "$DB" "${odoo_args[@]}" 2>&1 | grep -v "^Running as"

log "Starting the production shape on $DB (port $PORT)"
CONSEIL_RUN_DB="$DB" CONSEIL_HTTP_PORT="$PORT" CONSEIL_GEVENT_PORT="$((PORT + 10))" \
    CONSEIL_NODES="${CONSEIL_LOAD_NODES:-1}" setsid "$PROJECT_DIR/scripts/serve.sh" > "$OUT/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 120); do
    curl -fs "http://127.0.0.1:$PORT/web/health" >/dev/null 2>&1 && break
    sleep 1
done
curl -fs "http://127.0.0.1:$PORT/web/health" >/dev/null || die "The server did not start (log: $OUT/server.log)"
since="$(date -u '+%Y-%m-%d %H:%M:%S')"

for i in "${!CROWDS[@]}"; do
    users="${CROWDS[$i]}"
    minutes="${MINUTES[$i]:-${MINUTES[-1]}}"
    log "Crowd of $users users for $minutes min"
    CONSEIL_LOAD_REFUSALS="$OUT/u${users}_refusals.json" "$LOCUST_VENV/bin/locust" \
        -f "$PROJECT_DIR/bench/load/locustfile.py" --headless --only-summary \
        --users "$users" --spawn-rate "$SPAWN_RATE" --run-time "${minutes}m" \
        --stop-timeout 30 --host "http://127.0.0.1:$PORT" --csv "$OUT/u$users" > "$OUT/u$users.log" 2>&1 || true
done

"$PYTHON" "$PROJECT_DIR/bench/load/check.py" "$DB" "$since" "${odoo_args[@]}" 2>&1 | grep -v "^Running as"
tracebacks="$(grep -c "Traceback" "$OUT/server.log" || true)"
echo "SERVER tracebacks in the log: $tracebacks ($OUT/server.log)"
"$PYTHON" "$PROJECT_DIR/bench/load/report.py" "$OUT" "${CROWDS[@]}"
