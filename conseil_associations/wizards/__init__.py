from . import (
    conseil_loan_availability_wizard,
    conseil_loan_return_wizard,
    conseil_need_wizards,
    conseil_season_wizard,
)
