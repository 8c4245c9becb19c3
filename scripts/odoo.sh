#!/usr/bin/env bash
# odoo-bin of $ODOO_SRC, wired to the project's virtualenv, cluster and addons.
# Usage: scripts/odoo.sh [odoo-bin arguments]   (the cluster must be running)
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
eval "$("$PROJECT_DIR/scripts/pg.sh" env)"
exec "$PYTHON" "$ODOO_SRC/odoo-bin" \
    --addons-path="$ADDONS_PATH" \
    --db_host="$PGHOST" --db_port="$PGPORT" --db_user="$PGUSER" \
    --data-dir="$DATA_DIR/data" \
    "$@"
