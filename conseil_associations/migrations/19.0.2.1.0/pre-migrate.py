"""19.0.2.1.0: a room loan is held until its buffered end, which the room exclusion constraint compares.

The column is filled before the models load, in one statement (the rooms had no buffer: it is the end), so that
the ORM does not compute it loan by loan. The rooms' buffer is created the same way, 0 minutes: its default reads
the commune's setting, whose column ``res.company`` (extended after ``conseil.room``) has not created yet.

A database of 19.0.1.0.0 that has loans also gets the commune's wording of an agent's evaluation before the
models load: the loans' new column of that name takes its default from it, and ``res.company`` is extended after
``conseil.loan``.
"""

import logging

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    cr.execute("ALTER TABLE res_company ADD COLUMN IF NOT EXISTS conseil_agent_evaluation text")
    cr.execute("ALTER TABLE conseil_room ADD COLUMN IF NOT EXISTS buffer_minutes integer")
    cr.execute("UPDATE conseil_room SET buffer_minutes = 0 WHERE buffer_minutes IS NULL")
    cr.execute("ALTER TABLE conseil_loan ADD COLUMN IF NOT EXISTS buffered_end timestamp without time zone")
    cr.execute("UPDATE conseil_loan SET buffered_end = date_end WHERE buffered_end IS NULL")
    _logger.info("conseil.loan: buffered_end filled for %s loans", cr.rowcount)
