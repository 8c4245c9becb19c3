from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    """The communes of an upgraded database do not lend a downgraded vehicle either: the setting's default, which
    a new install gives them (data/conseil_vehicle_state_data.xml, run at install only)."""
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["res.company"]._conseil_set_default_unavailable_vehicle_states()
