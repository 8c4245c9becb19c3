def pre_init_hook(env):
    """Exclusion constraints on loans need btree_gist before the tables exist."""
    env.cr.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")


def uninstall_hook(env):
    """The triggers (agent week, equipment stock, aid by year) go with their tables; their functions, and the
    stored yearly rows of aid, go here."""
    env.cr.execute("DROP FUNCTION IF EXISTS conseil_loan_check_agent_week() CASCADE")
    env.cr.execute("DROP FUNCTION IF EXISTS conseil_loan_line_check_stock() CASCADE")
    env.cr.execute("DROP FUNCTION IF EXISTS conseil_equipment_check_quantity() CASCADE")
    env.cr.execute("DROP FUNCTION IF EXISTS conseil_aid_loan_years() CASCADE")
    env.cr.execute("DROP TABLE IF EXISTS conseil_aid_loan_year CASCADE")
