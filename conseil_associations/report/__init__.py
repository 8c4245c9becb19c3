from . import conseil_aid, conseil_partnership_theme_report, conseil_statement_report
