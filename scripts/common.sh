# Shared settings for the project's scripts. Source it, do not run it.
# Every path and port can be overridden from the environment.
set -euo pipefail

PROJECT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ODOO_SRC="${ODOO_SRC:-$HOME/.cache/odoo/19.0}"
ODOO_BRANCH="19.0"
ODOO_REPO_URL="${ODOO_REPO_URL:-https://github.com/odoo/odoo.git}"
VENV_DIR="${VENV_DIR:-$PROJECT_DIR/.venv}"
DATA_DIR="${CONSEIL_DATA_DIR:-$PROJECT_DIR/.local}"
PGBIN="${PGBIN:-/usr/lib/postgresql/15/bin}"
PGDATA_DIR="$DATA_DIR/pgdata"
PGSOCKET_DIR="$DATA_DIR/pgsocket"
PGPORT="${CONSEIL_PGPORT:-54329}"
DB_USER="${CONSEIL_DB_USER:-odoo}"
HTTP_PORT="${CONSEIL_HTTP_PORT:-8069}"
RUN_DB="${CONSEIL_RUN_DB:-conseil}"
TEST_DB="${CONSEIL_TEST_DB:-conseil_test}"
# PostgreSQL refuses to run as root: when we are root, the cluster belongs to
# this unprivileged system user instead (created on first use).
PG_OS_USER="${CONSEIL_PG_OS_USER:-conseilpg}"
ADDONS_PATH="$ODOO_SRC/addons,$ODOO_SRC/odoo/addons,$PROJECT_DIR"
PYTHON="$VENV_DIR/bin/python"
export PYTHONPATH="$ODOO_SRC${PYTHONPATH:+:$PYTHONPATH}"

log() { printf '\033[1m[conseil]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31m[conseil] %s\033[0m\n' "$*" >&2; exit 1; }
