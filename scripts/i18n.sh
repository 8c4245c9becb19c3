#!/usr/bin/env bash
# make i18n: regenerate i18n/conseil_associations.pot from a fresh install and
# merge it into i18n/fr.po (existing translations kept, new terms left empty).
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
"$PROJECT_DIR/scripts/bootstrap.sh"
"$PROJECT_DIR/scripts/pg.sh" start
eval "$("$PROJECT_DIR/scripts/pg.sh" env)"
export PGHOST PGPORT PGUSER
db=conseil_i18n
conf="$DATA_DIR/i18n.conf"
cat > "$conf" <<CONF
[options]
addons_path = $ADDONS_PATH
db_host = $PGHOST
db_port = $PGPORT
db_user = $PGUSER
data_dir = $DATA_DIR/data
CONF
dropdb --if-exists --force "$db"
"$PROJECT_DIR/scripts/odoo.sh" -d "$db" -i conseil_associations --stop-after-init --no-http --log-level=warn
i18n_dir="$PROJECT_DIR/conseil_associations/i18n"
"$PYTHON" "$ODOO_SRC/odoo-bin" i18n export -c "$conf" -d "$db" conseil_associations -l pot
if [ -f "$i18n_dir/fr.po" ]; then
    msgmerge --quiet --update --no-fuzzy-matching --backup=none "$i18n_dir/fr.po" "$i18n_dir/conseil_associations.pot"
else
    msginit --no-translator --locale=fr --input="$i18n_dir/conseil_associations.pot" --output-file="$i18n_dir/fr.po"
fi
dropdb --if-exists --force "$db"
"$PYTHON" - "$i18n_dir/fr.po" <<'PY'
import sys
import polib
po = polib.pofile(sys.argv[1])
missing = [e.msgid for e in po if not e.msgstr and not e.obsolete]
print(f"fr.po: {len(po.translated_entries())} translated, {len(missing)} to translate")
PY
