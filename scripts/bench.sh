#!/usr/bin/env bash
# make bench: build a city in a scratch database and measure (bench/run.py).
# Usage: scripts/bench.sh [SCALE ...]   default: 0.1 then 1 (a tenth, then full size)
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
"$PROJECT_DIR/scripts/bootstrap.sh"
"$PROJECT_DIR/scripts/pg.sh" start
eval "$("$PROJECT_DIR/scripts/pg.sh" env)"
export PGHOST PGPORT PGUSER
scales=("$@")
[ ${#scales[@]} = 0 ] && scales=(0.1 1)
for scale in "${scales[@]}"; do
    db="conseil_bench_${scale//./_}"
    log "Scale $scale: fresh database $db"
    dropdb --if-exists --force "$db"
    "$PROJECT_DIR/scripts/odoo.sh" -d "$db" -i conseil_associations --stop-after-init --no-http --log-level=warn
    CONSEIL_BENCH_RESULTS="$DATA_DIR/bench_$scale.json" \
        "$PYTHON" "$PROJECT_DIR/bench/run.py" "$db" "$scale" "${CONSEIL_BENCH_RUNS:-7}" \
        --addons-path="$ADDONS_PATH" --db_host="$PGHOST" --db_port="$PGPORT" --db_user="$PGUSER" \
        --data-dir="$DATA_DIR/data" --log-level=warn 2>&1 | grep -v "^Running as"
    # the associations' portal of the same city, through the real HTTP server
    "$PYTHON" "$PROJECT_DIR/bench/portal.py" "$db" "${CONSEIL_BENCH_RUNS:-7}" "${CONSEIL_BENCH_PORT:-8099}" \
        "$ODOO_SRC/odoo-bin" \
        --addons-path="$ADDONS_PATH" --db_host="$PGHOST" --db_port="$PGPORT" --db_user="$PGUSER" \
        --data-dir="$DATA_DIR/data" 2>&1 | grep -v "^Running as"
done
# how each action grows from the first size to the last, side by side
if [ ${#scales[@]} -ge 2 ]; then
    log "Growth from scale ${scales[0]} to ${scales[-1]}"
    "$PYTHON" "$PROJECT_DIR/bench/growth.py" "$DATA_DIR/bench_${scales[0]}.json" "$DATA_DIR/bench_${scales[-1]}.json"
fi
