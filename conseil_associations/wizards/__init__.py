from . import (
    conseil_agent_report_wizard,
    conseil_aid_annex_wizard,
    conseil_decision_wizard,
    conseil_help_proposal,
    conseil_loan_availability_wizard,
    conseil_loan_refuse_wizard,
    conseil_loan_return_wizard,
    conseil_review_gather_wizard,
    conseil_scdl_export_wizard,
    conseil_season_wizard,
    conseil_statement_wizard,
    portal_wizard_user,
)
from . import conseil_series_approve_wizard
