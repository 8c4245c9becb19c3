"""Facts the addon states once, and reads from here: its roles, who approves which kind of loan, which field of a
loan holds its resource, which states hold a resource or count as aid. Queries take them as parameters; the DDL
that cannot (constraints, indexes, triggers, views) spells them with ``sql_list``."""

OFFICER = "conseil_associations.group_conseil_officer"
MANAGER = "conseil_associations.group_conseil_manager"
# The technical services approve equipment loans in the towns that say so in the settings.
TECHNICAL = "conseil_associations.group_conseil_technical"
# Who approves, refuses or resets a loan, by kind (DESIGN.md, invariant 2).
APPROVER_GROUPS = {
    "vehicle": "fleet.fleet_group_manager",
    "agent": "hr.group_hr_user",
    "room": MANAGER,
    "equipment": MANAGER,  # or TECHNICAL, a setting of the town (conseil.loan._approver_group)
}
# The loan's field that names its resource, by kind.
RESOURCE_FIELDS = {"vehicle": "vehicle_id", "agent": "employee_id", "room": "room_id"}
# A loan in these states holds its resource: no other loan may overlap it.
BLOCKING_STATES = ("approved", "in_progress")
# A loan in these states is aid to its association (a request or a refusal gives nothing).
VALUED_STATES = ("approved", "in_progress", "returned")
# A partnership in these states happened: a proposal, declined or called off, is none.
LIVED_STATES = ("active", "ended")


def sql_list(values):
    """``('approved', 'in_progress')``: constant values for DDL, which takes no query parameters."""
    return "(" + ", ".join("'{}'".format(value.replace("'", "''")) for value in values) + ")"
