# Mixins first: the models below inherit them.
from . import conseil_guarded

# isort: split
from . import conseil_agenda, conseil_workflow

# isort: split
from . import (
    calendar_event,
    conseil_association,
    conseil_challenge,
    conseil_decision,
    conseil_demo,
    conseil_loan,
    conseil_meeting,
    conseil_meeting_attendance,
    conseil_need,
    conseil_need_help,
    conseil_offer,
    conseil_partnership,
    conseil_progress_report,
    conseil_room,
    conseil_subsidy,
    conseil_theme,
    fleet_vehicle,
    fleet_vehicle_odometer,
    hr_employee,
    hr_version,
    ir_actions_report,
    ir_sequence,
    res_company,
    res_config_settings,
    res_partner,
    resource_calendar,
)

# isort: split
# SQL views last: Odoo creates tables in import order, and the views read the tables above.
from . import conseil_aid
