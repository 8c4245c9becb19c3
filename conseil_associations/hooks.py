def pre_init_hook(env):
    """Exclusion constraints on loans need btree_gist before the tables exist."""
    env.cr.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
