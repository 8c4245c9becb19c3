from odoo import api, fields, models

from .conseil_guarded import plausible_values

SECTION_SPAN = 10_000  # the room each section's items take in the agenda's order


class ConseilAgendaItem(models.Model):
    _name = "conseil.agenda.item"
    _description = "Council Agenda Item"
    _inherit = ["conseil.guarded.mixin", "conseil.session.part.mixin"]
    # One order for the list, its handle and every reader: a generated item's
    # sequence starts from its section's, so sections never interleave.
    _order = "meeting_id, sequence, id"

    # Generated items point to the records they come from: links the server makes.
    _server_fields = frozenset({"res_model", "res_id", "is_generated"})
    _plausible = {
        "section_sequence": (0, 100_000),
        "sequence": (0, 1_000_000_000),
        "section": 128,
        "description": 5_000,
    }

    meeting_id = fields.Many2one(
        "conseil.meeting", string="Session", required=True, index=True, ondelete="cascade", check_company=True
    )
    company_id = fields.Many2one(related="meeting_id.company_id", store=True, index=True)
    section = fields.Char(required=True, default=lambda self: self.env._("Other business"))
    section_sequence = fields.Integer(default=1000)
    sequence = fields.Integer(default=1000 * SECTION_SPAN)  # other business comes last
    name = fields.Char(string="Item", required=True)
    # what a source says of its association (a progress report's difficulties): the town hall's, not the
    # other invited associations', who read the agenda's items on the portal
    description = fields.Text(groups="base.group_user")
    res_model = fields.Char(string="Source Model", readonly=True, copy=False)
    res_id = fields.Many2oneReference(
        string="Source Record", model_field="res_model", readonly=True, copy=False
    )
    is_generated = fields.Boolean(
        readonly=True,
        copy=False,
        help="Proposed from the session's sources; building the agenda again replaces it.",
    )
    is_flagged = fields.Boolean(string="Needs Attention")
    is_done = fields.Boolean(string="Discussed")

    _values_plausible = plausible_values(
        {"section_sequence": _plausible["section_sequence"], "sequence": _plausible["sequence"]}
    )

    def _closed_session_messages(self):
        message = self.env._("The agenda of a closed session cannot change.")
        return message, message

    def _editable_fields(self):
        if self.meeting_id.state not in ("planned", "held"):
            return frozenset()
        return frozenset(self._fields) - {"meeting_id", "company_id"}

    def _frozen_message(self, field_names):
        return self.env._(
            "The agenda of %(session)s can no longer change: the session is closed.",
            session=self.meeting_id.display_name,
        )

    @api.model
    def _agenda_sources(self):
        """Every model inheriting the agenda source mixin, in section order."""
        names = self.env.registry["conseil.agenda.source"]._inherit_children
        sources = [self.env[name] for name in names if not self.env[name]._abstract]
        return sorted(sources, key=lambda source: (source._conseil_agenda_section_sequence, source._name))

    def action_open_source(self):
        self.ensure_one()
        if self.res_model not in self.env or not self.res_id:
            return False
        return self.env[self.res_model].browse(self.res_id).get_formview_action()

    def action_toggle_done(self):
        for item in self:
            item.is_done = not item.is_done
        return True
