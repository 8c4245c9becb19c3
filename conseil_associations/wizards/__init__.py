from . import (
    conseil_loan_availability_wizard,
    conseil_loan_return_wizard,
    conseil_need_wizards,
    conseil_scdl_export_wizard,
    conseil_season_wizard,
    conseil_statement_wizard,
)
