#!/usr/bin/env bash
# make lint: ruff (check + format) and pylint-odoo's mandatory checks. --fix rewrites.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
"$PROJECT_DIR/scripts/bootstrap.sh"
cd "$PROJECT_DIR"
paths=(conseil_associations tests bench conftest.py)
existing=()
for p in "${paths[@]}"; do [ -e "$p" ] && existing+=("$p"); done
if [ "${1:-}" = "--fix" ]; then
    "$VENV_DIR/bin/ruff" check --fix "${existing[@]}"
    "$VENV_DIR/bin/ruff" format "${existing[@]}"
    exit 0
fi
log "ruff check"
"$VENV_DIR/bin/ruff" check "${existing[@]}"
log "ruff format --check"
"$VENV_DIR/bin/ruff" format --check "${existing[@]}"
log "pylint-odoo (mandatory checks)"
"$VENV_DIR/bin/pylint" --rcfile=.pylintrc-mandatory conseil_associations
log "lint passed"
