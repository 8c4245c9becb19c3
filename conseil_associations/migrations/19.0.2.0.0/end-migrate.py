from odoo.tools import SQL


def migrate(cr, version):
    """The dashboard is a spreadsheet now: the old form's transient table goes with its model."""
    cr.execute(SQL("DROP TABLE IF EXISTS %s", SQL.identifier("conseil_dashboard")))
