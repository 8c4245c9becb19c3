def pre_init_hook(env):
    """Exclusion constraints on loans need btree_gist before the tables exist."""
    env.cr.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")


def uninstall_hook(env):
    """The agent-week trigger goes with the loans table; its function goes here."""
    env.cr.execute("DROP FUNCTION IF EXISTS conseil_loan_check_agent_week() CASCADE")
