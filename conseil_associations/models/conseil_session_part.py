from odoo import api, models


class ConseilSessionPartMixin(models.AbstractModel):
    """A part of a session's record — an attendance line, a progress report, an agenda item: added and removed
    only while the session is open (planned or held), whatever door the change comes through."""

    _name = "conseil.session.part.mixin"
    _description = "Part of a Session's Record"

    def _closed_session_messages(self):
        """What the user reads when the session is closed: (an addition refused, a removal refused)."""
        raise NotImplementedError

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        if not self.env.su:  # the session may come from the values, the context or a default
            records.meeting_id._check_open(records._closed_session_messages()[0])
        return records

    @api.ondelete(at_uninstall=False)
    def _unlink_except_closed_session(self):
        self.meeting_id._check_open(self._closed_session_messages()[1])
