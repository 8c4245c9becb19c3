from . import (
    calendar_event,
    conseil_agenda,
    conseil_association,
    conseil_meeting,
    conseil_meeting_attendance,
    conseil_progress_report,
    conseil_theme,
)
