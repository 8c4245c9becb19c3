#!/usr/bin/env bash
# The addon and its demo town in a new database: scripts/demo.sh DATABASE (the cluster must be running).
#
# The demo town issues acts (conventions, minutes, letters) as it lives: PDFs that wkhtmltopdf renders with
# the style sheets it fetches from an Odoo server. An installation runs without one, so the addon is
# installed first; a copy of that database, served on a loopback port, gives the style sheets while the demo
# loads (Odoo's « load demo data »); then the copy goes: the town's acts look as they will forever. (The
# database itself cannot serve them: its server would wait on the bundles the loading transaction writes.)
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
db="$1"
port="${CONSEIL_DEMO_STYLE_PORT:-8178}"
eval "$("$PROJECT_DIR/scripts/pg.sh" env)"
export PGHOST PGPORT PGUSER

styles="${db}_styles"
"$PROJECT_DIR/scripts/odoo.sh" -d "$db" -i conseil_associations --stop-after-init --no-http --log-level=warn
dropdb --if-exists --force "$styles"
createdb -T "$db" "$styles"
"$PROJECT_DIR/scripts/odoo.sh" -d "$styles" --db-filter="^$styles\$" --http-port="$port" \
    --http-interface=127.0.0.1 --max-cron-threads=0 --log-level=warn > "$DATA_DIR/demo-style-server.log" 2>&1 &
style_pid=$!
trap 'kill "$style_pid" 2>/dev/null; wait "$style_pid" 2>/dev/null; dropdb --if-exists --force "$styles"' EXIT
for _ in $(seq 120); do
    curl -sf "http://127.0.0.1:$port/web/health" >/dev/null && break
    sleep 0.5
done
"$PYTHON" "$ODOO_SRC/odoo-bin" shell -d "$db" --no-http --log-level=warn \
    --addons-path="$ADDONS_PATH" --db_host="$PGHOST" --db_port="$PGPORT" --db_user="$PGUSER" \
    --data-dir="$DATA_DIR/data" <<PYTHON 2>&1 | grep -v "^Running as"
from odoo.modules.loading import force_demo
parameters = env["ir.config_parameter"].sudo()
parameters.set_param("report.url", "http://127.0.0.1:$port")
force_demo(env)
parameters.set_param("report.url", False)
env.cr.commit()
PYTHON
