from . import conseil_statement_report
