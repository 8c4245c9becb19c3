from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL


class ResPartner(models.Model):
    """The contact of an association, and its people, stay in the association's commune."""

    _inherit = "res.partner"

    conseil_role = fields.Selection(
        [
            ("president", "President"),
            ("treasurer", "Treasurer"),
            ("secretary", "Secretary"),
            ("other", "Other"),
        ],
        string="Role in the Association",
        help="What this person does in the association whose contact it is.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        """A contact created under an association belongs to the association's commune."""
        parents = self.browse({vals["parent_id"] for vals in vals_list if vals.get("parent_id")})
        companies = {
            association.partner_id.id: association.company_id.id
            for association in parents._conseil_associations()
        }
        for vals in vals_list:
            if vals.get("parent_id") in companies and not vals.get("company_id"):
                vals["company_id"] = companies[vals["parent_id"]]
        return super().create(vals_list)

    def write(self, vals):
        associations = self._conseil_associations()
        if associations and not self.env.su:
            if "company_id" in vals and any(partner.company_id.id != vals["company_id"] for partner in self):
                raise UserError(
                    self.env._(
                        "%(partner)s is the contact of an association: change the commune of the association "
                        "itself, in the Associations app.",
                        partner=associations[0].name,
                    )
                )
            # what the association shows is held to the association's rules (names, lengths...)
            Association = self.env["conseil.association"]
            vals = {
                **vals,
                **Association._check_plausible({k: v for k, v in vals.items() if k in Association._fields}),
            }
        return super().write(vals)

    @api.constrains("parent_id", "company_id", "user_id")
    def _check_conseil_association_contacts(self):
        """An association is nobody's contact; its contacts and its salesperson belong to its commune."""
        associations = self._conseil_associations(with_parents=True)
        if not associations:
            return
        by_partner = {association.partner_id: association for association in associations}
        for partner in self:
            association = by_partner.get(partner)
            if association and partner.parent_id:
                raise ValidationError(
                    self.env._(
                        "%(association)s is an association: it is nobody's contact.", association=partner.name
                    )
                )
            association = association or by_partner.get(partner.parent_id)
            if not association:
                continue
            company = association.company_id
            if partner.company_id != company or (
                partner.user_id and company not in partner.user_id.company_ids
            ):
                raise ValidationError(
                    self.env._(
                        "The contacts of %(association)s belong to its commune, %(company)s.",
                        association=association.name,
                        company=company.name,
                    )
                )

    def _conseil_associations(self, with_parents=False):
        partners = self | self.parent_id if with_parents else self
        if not partners.ids:
            return self.env["conseil.association"]
        return (
            self.env["conseil.association"]
            .sudo()
            .with_context(active_test=False)
            .search([("partner_id", "in", partners.ids)])
        )

    def _conseil_forget_shared_links(self):
        """A person of an association lost their access: the links the town mailed to its people (with the
        records' keys) stop opening anything; the people who still have access log in, or get new links.

        New keys for every shared record of their associations, one statement per model.
        """
        associations = self.commercial_partner_id._conseil_associations()
        if not associations:
            return
        shared = {
            "conseil.need": ["association_id"],
            "conseil.decision": ["association_id"],
            "conseil.loan": ["association_id"],
            "conseil.meeting.attendance": ["association_id"],
            "conseil.partnership": ["helper_id", "helped_id"],
        }
        for model_name, columns in shared.items():
            Model = self.env[model_name]
            where = SQL(" OR ").join(
                SQL("%s IN %s", SQL.identifier(column), tuple(associations.ids)) for column in columns
            )
            self.env.cr.execute(
                SQL(
                    "UPDATE %s SET access_token = gen_random_uuid()::text WHERE %s",
                    SQL.identifier(Model._table),
                    where,
                )
            )
            Model.invalidate_model(["access_token"])
