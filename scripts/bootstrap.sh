#!/usr/bin/env bash
# Idempotent bootstrap: Odoo 19 source, Python virtualenv, (optionally) Chromium and wkhtmltopdf.
# Usage: scripts/bootstrap.sh [--with-test-tools]
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

ensure_odoo_source() {
    if [ -f "$ODOO_SRC/odoo-bin" ]; then
        return
    fi
    log "Odoo 19 source not found in $ODOO_SRC: cloning branch $ODOO_BRANCH of $ODOO_REPO_URL"
    mkdir -p "$(dirname "$ODOO_SRC")"
    if ! git clone --depth 1 --branch "$ODOO_BRANCH" "$ODOO_REPO_URL" "$ODOO_SRC"; then
        rm -rf "$ODOO_SRC"
        die "Could not fetch the Odoo $ODOO_BRANCH source.
Provide it yourself, then run the command again:
  git clone --depth 1 --branch $ODOO_BRANCH https://github.com/odoo/odoo.git ~/.cache/odoo/19.0
or point ODOO_SRC to an existing Odoo $ODOO_BRANCH checkout (the folder holding odoo-bin)."
    fi
}

ensure_venv() {
    local stamp="$VENV_DIR/.conseil-stamp" want
    want="$(cat "$ODOO_SRC/requirements.txt" "$PROJECT_DIR/requirements.txt" "$PROJECT_DIR/requirements-dev.txt" \
        | sha256sum | cut -c1-16)"
    if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && [ -x "$PYTHON" ]; then
        return
    fi
    local py="${PYTHON_BIN:-$(command -v python3.11 || command -v python3)}"
    log "Creating the virtualenv in $VENV_DIR with $py"
    "$py" -m venv "$VENV_DIR"
    "$PYTHON" -m pip install --quiet --upgrade pip wheel
    # Odoo's pins, adapted to Python 3.11 and current pip: cbor2 5.4.2 no longer
    # builds (it needs pkg_resources) and LDAP authentication is not used here.
    local reqs="$VENV_DIR/odoo-requirements.txt"
    sed -E -e 's/^cbor2==5\.4\.2/cbor2==5.6.2/' -e '/^python-ldap/d' \
        "$ODOO_SRC/requirements.txt" > "$reqs"
    log "Installing Odoo's Python requirements (about a minute the first time)"
    "$PYTHON" -m pip install --quiet -r "$reqs" -r "$PROJECT_DIR/requirements.txt" \
        -r "$PROJECT_DIR/requirements-dev.txt"
    echo "$want" > "$stamp"
}

# Chromium runs the browser tours; wkhtmltopdf renders the PDF reports; nginx is the reverse proxy the
# production-shape test puts in front of Odoo (docs/deploy/nginx.conf).
ensure_test_tools() {
    local missing=()
    command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 \
        || command -v google-chrome >/dev/null 2>&1 || missing+=(chromium)
    command -v wkhtmltopdf >/dev/null 2>&1 || missing+=(wkhtmltopdf)
    command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx)
    [ ${#missing[@]} = 0 ] && return
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        log "Installing ${missing[*]} for the browser tests, PDF reports and the proxy test (apt)"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    else
        die "The tests need ${missing[*]}. Install them, for example:
  sudo apt-get install ${missing[*]}
then run the command again."
    fi
}

ensure_odoo_source
ensure_venv
if [ "${1:-}" = "--with-test-tools" ]; then
    ensure_test_tools
fi
