def pre_init_hook(env):
    """Exclusion constraints on loans need btree_gist before the tables exist."""
    env.cr.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")


def uninstall_hook(env):
    """The triggers (agent week, equipment stock) go with their tables; their functions go here."""
    env.cr.execute("DROP FUNCTION IF EXISTS conseil_loan_check_agent_week() CASCADE")
    env.cr.execute("DROP FUNCTION IF EXISTS conseil_loan_line_check_stock() CASCADE")
    env.cr.execute("DROP FUNCTION IF EXISTS conseil_equipment_check_quantity() CASCADE")
