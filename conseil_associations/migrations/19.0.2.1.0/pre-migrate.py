"""19.0.2.1.0: a room loan is held until its buffered end, which the room exclusion constraint compares.

The column is filled before the models load, in one statement (the rooms had no buffer: it is the end), so that
the ORM does not compute it loan by loan and the new constraint finds every row filled.
"""

import logging

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    cr.execute("ALTER TABLE conseil_loan ADD COLUMN IF NOT EXISTS buffered_end timestamp without time zone")
    cr.execute("UPDATE conseil_loan SET buffered_end = date_end WHERE buffered_end IS NULL")
    _logger.info("conseil.loan: buffered_end filled for %s loans", cr.rowcount)
