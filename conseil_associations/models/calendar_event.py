from odoo import api, fields, models
from odoo.exceptions import UserError

from .conseil_calendar_owner import OWNER_LINK_FIELDS


class CalendarEvent(models.Model):
    """Events owned by the addon's records (conseil.calendar.owner.mixin): the Calendar app's side of it."""

    _inherit = "calendar.event"

    conseil_meeting_id = fields.Many2one(
        "conseil.meeting", string="Council Session", compute="_compute_conseil_meeting_id"
    )
    conseil_company_id = fields.Many2one(
        "res.company",
        string="Commune",
        readonly=True,
        index="btree_not_null",
        help="The commune of the session or loan this event belongs to: only its users see the event.",
    )

    @api.model
    def _conseil_owner_models(self):
        mixin = "conseil.calendar.owner.mixin"
        return tuple(name for name in self.env.registry.descendants([mixin], "_inherit") if name != mixin)

    def _conseil_owner(self):
        """The record that owns this event, under sudo: the one whose event it is, not any the event points to."""
        self.ensure_one()
        if self.res_model not in self._conseil_owner_models() or not self.res_id:
            return None
        owner = self.env[self.res_model].sudo().browse(self.res_id).exists()
        return owner if owner and owner.calendar_event_id == self else None

    def _conseil_owned(self):
        return self.filtered(lambda event: event.res_model in self._conseil_owner_models() and event.res_id)

    @api.depends("res_model", "res_id")
    def _compute_conseil_meeting_id(self):
        for event in self:
            owner = event._conseil_owner() if event.res_model == "conseil.meeting" else None
            event.conseil_meeting_id = owner.sudo(False) if owner else False

    def _get_activity_excluded_models(self):
        """A session or a loan is its own record: no extra 'meeting' activity on it."""
        return [*super()._get_activity_excluded_models(), *self._conseil_owner_models()]

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            owner_model_ids = {self.env["ir.model"]._get_id(name) for name in self._conseil_owner_models()}
            if any(
                vals.get("conseil_company_id") or vals.get("res_model_id") in owner_model_ids
                for vals in vals_list
            ):  # refused before anything is created (its attendees, its reminders...)
                raise UserError(self.env._("The events of council sessions and loans are created by them."))
        events = super().create(vals_list)
        if not self.env.su and (events._conseil_owned() or events.filtered("conseil_company_id")):
            # the same when the link comes from the context (default_res_model, default_conseil_company_id...)
            raise UserError(self.env._("The events of council sessions and loans are created by them."))
        return events

    def write(self, vals):
        if self.env.su:
            return super().write(vals)
        if OWNER_LINK_FIELDS & vals.keys():
            raise UserError(
                self.env._("The events of council sessions and loans belong to them and stay theirs.")
            )
        owned = self._conseil_owned()
        for event in owned:
            (event._conseil_owner() or self.env[event.res_model])._check_calendar_event_write(event, vals)
        result = super(CalendarEvent, self - owned).write(vals)
        if owned:
            # moved in the Calendar app: the event moves as its owner's, then the owner follows as the user who
            # moved it
            try:
                super(CalendarEvent, owned.sudo()).write(vals)
                for event in owned:
                    owner = event._conseil_owner()
                    if owner:
                        owner.sudo(False)._on_calendar_event_moved(event)
            except (OverflowError, ValueError):  # a date out of range, a duration of a million hours
                raise UserError(
                    self.env._("This date or duration is not a possible one for the session.")
                ) from None
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_except_owned(self):
        """The event of a session or a loan goes with its owner, never on its own."""
        if self.env.su:
            return
        for event in self._conseil_owned():
            (event._conseil_owner() or self.env[event.res_model])._check_calendar_event_removal(event)
