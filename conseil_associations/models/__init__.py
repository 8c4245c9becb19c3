# Mixins first: the models below are made of them.
from . import conseil_guarded

# isort: split
from . import (
    conseil_act,
    conseil_agenda_source,
    conseil_calendar_owner,
    conseil_lendable,
    conseil_loan_terms,
    conseil_mailing,
    conseil_session_part,
    conseil_workflow,
)

# isort: split
# The addon's models.
from . import (
    conseil_agenda_item,
    conseil_association,
    conseil_association_document,
    conseil_challenge,
    conseil_decision,
    conseil_demo,
    conseil_loan,
    conseil_meeting,
    conseil_meeting_attendance,
    conseil_need,
    conseil_need_help,
    conseil_objectives_convention,
    conseil_offer,
    conseil_partnership,
    conseil_progress_report,
    conseil_room,
    conseil_subsidy,
    conseil_theme,
)

# isort: split
# Odoo's models, extended.
from . import (
    calendar_attendee,
    calendar_event,
    fleet_vehicle,
    fleet_vehicle_odometer,
    hr_employee,
    hr_version,
    ir_actions_report,
    ir_attachment,
    ir_sequence,
    mail_thread,
    res_company,
    res_config_settings,
    res_partner,
    resource_calendar,
)

# isort: split
# Everything the town lends (issue 18): equipment loans and their lines; recurring loans and the room's part of a
# loan (closing days, buffer); availability from the town's records, engineering help and networking.
from . import (
    conseil_equipment,
    conseil_equipment_category,
    conseil_introduction,
    conseil_loan_equipment,
    conseil_loan_line,
    conseil_loan_records,
    conseil_loan_room,
    conseil_loan_series,
    resource_calendar_leaves,
)
