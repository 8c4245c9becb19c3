"""19.0.2.0.0: a session's calendar event is ``calendar_event_id``, as a loan's (conseil.calendar.owner.mixin).

Renamed before the models load, so that the ORM finds the column, its data and its field record in place
(rather than creating an empty column and dropping the old one).
"""

import logging

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    cr.execute(
        """SELECT 1 FROM information_schema.columns
            WHERE table_name = 'conseil_meeting' AND column_name = 'event_id'"""
    )
    if not cr.fetchone():
        return
    cr.execute("ALTER TABLE conseil_meeting RENAME COLUMN event_id TO calendar_event_id")
    cr.execute(
        "ALTER INDEX IF EXISTS conseil_meeting__event_id_index RENAME TO conseil_meeting__calendar_event_id_index"
    )
    cr.execute("SELECT 1 FROM pg_constraint WHERE conname = 'conseil_meeting_event_id_fkey'")
    if cr.fetchone():
        cr.execute(
            "ALTER TABLE conseil_meeting RENAME CONSTRAINT conseil_meeting_event_id_fkey "
            "TO conseil_meeting_calendar_event_id_fkey"
        )
    cr.execute(
        """UPDATE ir_model_fields SET name = 'calendar_event_id'
            WHERE model = 'conseil.meeting' AND name = 'event_id'"""
    )
    cr.execute(
        """UPDATE ir_model_data SET name = 'field_conseil_meeting__calendar_event_id'
            WHERE module = 'conseil_associations' AND model = 'ir.model.fields'
              AND name = 'field_conseil_meeting__event_id'"""
    )
    _logger.info("conseil.meeting: event_id renamed calendar_event_id")
