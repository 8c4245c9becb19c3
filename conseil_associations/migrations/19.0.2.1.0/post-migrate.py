from odoo import SUPERUSER_ID, api
from odoo.tools import SQL

# The loan mails named the loan's first resource; they name all it lends now (an equipment loan lends several).
LOAN_TEMPLATES = (
    "mail_template_loan_approved",
    "mail_template_loan_refused",
    "mail_template_loan_late",
    "mail_template_loan_returned",
)


def migrate(cr, version):
    """The communes of an upgraded database do not lend a downgraded vehicle either: the setting's default, which
    a new install gives them (data/conseil_vehicle_state_data.xml, run at install only). And the loan mails a
    town has kept (they are not updated) name what an equipment loan lends, in every language: only the expression
    is replaced, whatever else the town wrote."""
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["res.company"]._conseil_set_default_unavailable_vehicle_states()
    cr.execute(
        SQL(
            """UPDATE mail_template t
                  SET body_html = replace(t.body_html::text, 'object._resource().display_name',
                                          'object._resource_label()')::jsonb
                 FROM ir_model_data d
                WHERE d.model = 'mail.template' AND d.res_id = t.id AND d.module = 'conseil_associations'
                  AND d.name IN %s""",
            LOAN_TEMPLATES,
        )
    )
