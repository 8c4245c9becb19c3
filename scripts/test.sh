#!/usr/bin/env bash
# make test: a fresh database with the addon installed, then the whole suite
# (pytest-odoo: tests/ and the addon's own tests, browser tours included).
# Extra arguments go to pytest, e.g. scripts/test.sh -k siret
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
"$PROJECT_DIR/scripts/bootstrap.sh" --with-test-tools

started_pg=0
if ! "$PROJECT_DIR/scripts/pg.sh" status >/dev/null 2>&1; then
    "$PROJECT_DIR/scripts/pg.sh" start
    started_pg=1
fi
cleanup() {
    if [ "$started_pg" = 1 ]; then
        "$PROJECT_DIR/scripts/pg.sh" stop
    fi
}
trap cleanup EXIT
eval "$("$PROJECT_DIR/scripts/pg.sh" env)"
export PGHOST PGPORT PGUSER

mkdir -p "$DATA_DIR"
install_log="$DATA_DIR/test-install.log"
log "Building a fresh test database '$TEST_DB' with conseil_associations installed"
dropdb --if-exists --force "$TEST_DB"
dropdb --if-exists --force "${TEST_DB}_uninstall"
dropdb --if-exists --force "${TEST_DB}_demo"
dropdb --if-exists --force "${TEST_DB}_serve"
if ! "$PROJECT_DIR/scripts/odoo.sh" -d "$TEST_DB" -i conseil_associations \
        --stop-after-init --no-http --log-level=warn >"$install_log" 2>&1; then
    cat "$install_log" >&2
    die "Installing the addon failed (log: $install_log)"
fi
# Odoo logs some install failures (a constraint it could not create, a view
# that does not validate) and still exits 0: such a line fails the run.
if grep -E ' (ERROR|CRITICAL) ' "$install_log" >&2; then
    die "The addon installed with errors (log: $install_log)"
fi
# A copy for the uninstallation test, which must not touch the test database.
createdb -T "$TEST_DB" "${TEST_DB}_uninstall"
export CONSEIL_UNINSTALL_DB="${TEST_DB}_uninstall"
# Another for the production shape (tests/test_production_shape.py), which serves it with `make serve`.
createdb -T "$TEST_DB" "${TEST_DB}_serve"
export CONSEIL_SERVE_DB="${TEST_DB}_serve"
# A database of its own for the demo town, installed by tests/test_demo.py.
export CONSEIL_DEMO_DB="${TEST_DB}_demo"
export CONSEIL_ODOO_ARGS="--addons-path=$ADDONS_PATH --db_host=$PGHOST --db_port=$PGPORT --db_user=$PGUSER --data-dir=$DATA_DIR/data"

log "Running the test suite"
cd "$PROJECT_DIR"
"$PYTHON" -m pytest \
    --odoo-database="$TEST_DB" \
    --odoo-addons-path="$ADDONS_PATH" \
    --odoo-extra="db_host=$PGHOST" \
    --odoo-extra="db_port=$PGPORT" \
    --odoo-extra="db_user=$PGUSER" \
    --odoo-extra="data-dir=$DATA_DIR/data" \
    --odoo-log-level=warn \
    --odoo-http \
    "$@"
