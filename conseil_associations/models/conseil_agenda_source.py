from odoo import api, models


class ConseilAgendaSource(models.AbstractModel):
    """What a model implements to put a section on the council agenda.

    A model inherits this mixin, sets ``_conseil_agenda_section_sequence`` and
    implements the two methods below; the session finds it by itself, so a new
    source never touches the meeting code.
    """

    _name = "conseil.agenda.source"
    _description = "Council Agenda Source"

    _conseil_agenda_section_sequence = 100

    @api.model
    def _conseil_agenda_section_label(self):
        raise NotImplementedError

    @api.model
    def _conseil_agenda_items(self, meeting):
        """Agenda items of this source for ``meeting``: a list of value dicts
        (``name``, optional ``description``, ``res_model``, ``res_id``, ``is_flagged``)."""
        raise NotImplementedError
