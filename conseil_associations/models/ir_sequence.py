from odoo import api, models


class IrSequence(models.Model):
    _inherit = "ir.sequence"

    @api.model
    def _conseil_next(self, code, company, name, prefix, moment=None):
        """The next number of ``code`` in ``company``'s own sequence, created the first time.

        Each commune numbers its loans and its decisions on its own: the numbers
        of one never tell another how many it gave.
        """
        sequence = self.sudo().search([("code", "=", code), ("company_id", "=", company.id)], limit=1)
        if not sequence:
            sequence = self.sudo().create(
                {
                    "name": name,
                    "code": code,
                    "company_id": company.id,
                    "prefix": prefix,
                    "padding": 4,
                    "use_date_range": True,
                }
            )
        return sequence._next(sequence_date=moment)
