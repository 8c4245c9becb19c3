from odoo import api, fields, models
from odoo.exceptions import UserError

# What links an event to its owner: the owner's, never a user's to set or re-point.
OWNER_LINK_FIELDS = frozenset({"res_model_id", "res_model", "res_id", "conseil_company_id"})


class ConseilCalendarOwnerMixin(models.AbstractModel):
    """A record that owns its calendar event: sessions and loans.

    The owner creates its event, keeps it in step and archives or removes it, always under sudo() (the event is
    the owner's, not the user's). The event points back at its owner (res_model, res_id) and the owner at its
    event (calendar_event_id): an event is the owner's only when both agree, so that linking a record to some
    other event gives it no hold on that event. In the Calendar app, a user changes only what the owner lets
    them change (``_calendar_event_user_fields``), and the owner follows (``_on_calendar_event_moved``);
    deleting or archiving an owned event there is refused: the owner's own action does it and tells people.

    Its owners are workflow models (``conseil.workflow.mixin``): the link to the event is a server-owned field,
    written with ``_server_write``.
    """

    _name = "conseil.calendar.owner.mixin"
    _description = "Owner of a Calendar Event"

    # Fields whose change the event follows.
    _calendar_event_sync_fields = frozenset()
    # What a user may change on the event in the Calendar app, which the owner then follows.
    _calendar_event_user_fields = frozenset()

    calendar_event_id = fields.Many2one(
        "calendar.event",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="set null",
    )

    # ------------------------------------------------------------
    # HOOKS
    # ------------------------------------------------------------

    def _prepare_calendar_event_values(self):
        """The values of this record's event, linked back to it."""
        self.ensure_one()
        return {
            "res_model_id": self.env["ir.model"]._get_id(self._name),
            "res_id": self.id,
            "conseil_company_id": self.company_id.id,
        }

    def _calendar_event_wanted(self):
        """Whether this record shows in the calendar now."""
        self.ensure_one()
        return True

    @api.model
    def _calendar_event_context(self):
        """The context the events are written in (invitations, logging)."""
        return {"skip_contact_description": True}

    def _on_calendar_event_moved(self, event):
        """The event was changed in the Calendar app (within ``_calendar_event_user_fields``): follow it."""

    def _calendar_event_locked_message(self, event):
        return self.env._("%(event)s belongs to %(owner)s: change it there.", event=event.display_name,
                          owner=self.display_name)  # fmt: skip

    def _calendar_event_removal_message(self, event):
        return self.env._("%(event)s belongs to %(owner)s: cancel it there instead.", event=event.display_name,
                          owner=self.display_name)  # fmt: skip

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        records.filtered(lambda record: record._calendar_event_wanted())._create_calendar_events()
        return records

    def write(self, vals):
        result = super().write(vals)
        if self._calendar_event_sync_fields & vals.keys():
            self._sync_calendar_events()
        return result

    def unlink(self):
        events = self._own_calendar_events()
        result = super().unlink()
        events.unlink()
        return result

    # ------------------------------------------------------------
    # THE EVENT
    # ------------------------------------------------------------

    def _calendar_events_sudo(self):
        return self.env["calendar.event"].sudo().with_context(**self._calendar_event_context())

    def _own_calendar_events(self):
        """The events these records created, and no other (under sudo)."""
        events = self.calendar_event_id.sudo().with_context(active_test=False).exists()
        return events.filtered(
            lambda event: event.res_model == self._name and event.res_id in self.ids
            and self.browse(event.res_id).calendar_event_id == event
        )  # fmt: skip

    def _create_calendar_events(self):
        if not self:
            return
        events = self._calendar_events_sudo().create(
            [record._prepare_calendar_event_values() for record in self]
        )
        for record, event in zip(self, events, strict=True):
            record._server_write({"calendar_event_id": event.id})

    def _sync_calendar_events(self):
        """The events follow their records; a record that should show and has no event gets one."""
        owned = self._own_calendar_events()
        for record in self:
            event = owned.filtered(lambda e, record=record: e.res_id == record.id)
            if event:
                event.with_context(**self._calendar_event_context()).write(
                    record._prepare_calendar_event_values()
                )
        self.filtered(
            lambda r: not r.calendar_event_id and r._calendar_event_wanted()
        )._create_calendar_events()

    def _sync_calendar_event_attendees(self):
        for record in self:
            event = record._own_calendar_events()
            if event:
                values = record._prepare_calendar_event_values()
                event.with_context(**self._calendar_event_context()).write(
                    {"partner_ids": values["partner_ids"]}
                )

    def _archive_calendar_events(self, active=False):
        """Hide the events from the calendar (a cancelled session), or show them again."""
        self._own_calendar_events().with_context(**self._calendar_event_context()).write({"active": active})

    def _remove_calendar_events(self):
        """Remove the events for good (a loan no longer approved)."""
        events = self._own_calendar_events()
        self.filtered("calendar_event_id")._server_write({"calendar_event_id": False})
        events.unlink()

    def action_open_calendar_event(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "calendar.event",
            "res_id": self.calendar_event_id.id,
            "view_mode": "form",
        }

    # ------------------------------------------------------------
    # FROM THE CALENDAR APP
    # ------------------------------------------------------------

    def _check_calendar_event_write(self, event, vals):
        """A user changes the event in the Calendar app: only what its owner lets them. Archiving it there is
        refused as deleting it is: the owner's own action (cancel) does it, and tells the people invited."""
        if "active" in vals and not vals["active"]:
            self._check_calendar_event_removal(event)
        if OWNER_LINK_FIELDS & vals.keys() or vals.keys() - self._calendar_event_user_fields:
            raise UserError(self._calendar_event_locked_message(event))

    def _check_calendar_event_removal(self, event):
        raise UserError(self._calendar_event_removal_message(event))
