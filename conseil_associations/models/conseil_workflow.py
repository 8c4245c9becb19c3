from odoo import api, models
from odoo.exceptions import AccessError, UserError


class ConseilWorkflowMixin(models.AbstractModel):
    """A status that moves along a declared table, each move allowed to some roles.

    ``_transitions`` maps ``(from_state, to_state)`` to the role that may make
    that move; ``_workflow_roles`` says which roles the current user holds on a
    record. ``_get_next_states`` reads the two, and so do its three readers:
    the ``can_<move>`` fields the buttons show, the actions (``_move``, which
    names one of ``_moves``) and the write guard, which refuses the status
    from users and, under ``sudo()``, any move the table does not declare.
    What may still change in each state is a table too (``_editable_by_state``),
    read by the guard and by the ``can_edit_*`` fields of the form
    (``_editable_groups``).
    """

    _name = "conseil.workflow.mixin"
    _inherit = ["conseil.guarded.mixin"]
    _description = "Council Workflow"

    _server_fields = frozenset({"state"})
    # {(from_state, to_state): role}
    _transitions = {}
    # {move: (to_state, the from_states it starts from, or None for any the table allows)};
    # the action of a move calls ``_move(move)``, its button reads the field ``can_<move>``
    _moves = {}
    # {state: fields a user may still change in it}; a state left out freezes every field
    _editable_by_state = {}
    # {can_edit_* field: the fields it stands for}
    _editable_groups = {}
    # states a kanban by status always shows, even empty: the path most records take
    _kanban_states = ()

    # ------------------------------------------------------------
    # THE RULE
    # ------------------------------------------------------------

    def _workflow_roles(self):
        """Roles the current user holds on this record, e.g. ``{"officer", "approver"}``."""
        raise NotImplementedError

    def _get_next_states(self):
        """States the current user may move this record to, from its state."""
        self.ensure_one()
        roles = None if self.env.su else self._workflow_roles()
        return {
            target
            for (source, target), role in self._transitions.items()
            if source == self.state
            and (roles is None or role in roles)
            and not self._transition_obstacle(target)
        }

    @api.model
    def _expand_states(self, states, domain):
        """Columns by status in the workflow's order: the main path always, any other state holding records."""
        shown = set(states) | set(self._kanban_states)
        return [state for state in self._fields["state"].get_values(self.env) if state in shown]

    def _transition_obstacle(self, target):
        """Why this record cannot move to ``target`` now, whoever acts; None when nothing stands in the way."""
        return None

    def _check_transition(self, target, sources=None):
        """Refuse the move to ``target`` for any record this user may not move there, naming it."""
        for record in self:
            if target in record._get_next_states() and (sources is None or record.state in sources):
                continue
            role = self._transitions.get((record.state, target))
            obstacle = role and record._transition_obstacle(target)
            if obstacle:
                raise UserError(obstacle)
            if role is None or (sources is not None and record.state not in sources):
                raise UserError(
                    self.env._(
                        "%(record)s is %(state)s: it cannot become %(target)s.",
                        record=record.display_name,
                        state=record._state_label(record.state),
                        target=record._state_label(target),
                    )
                )
            raise AccessError(
                self.env._(
                    "Only %(who)s can make %(record)s %(target)s.",
                    who=record._role_label(role),
                    record=record.display_name,
                    target=record._state_label(target),
                )
            )

    def _check_move(self, move):
        """Refuse the named ``move`` where this user may not make it (an action's checks come first)."""
        self._check_transition(*self._moves[move])

    def _move(self, move, values=None):
        """Make the named ``move`` of ``_moves``, with the server-owned ``values`` it sets."""
        target, sources = self._moves[move]
        return self._transition(target, values, sources)

    def _transition(self, target, values=None, sources=None):
        """Move to ``target``, with the server-owned ``values`` of the move: the one door to the status.

        Checked against the table for the user who acts, then written as the
        server, since users may not write the status themselves.
        """
        self._check_transition(target, sources)
        self.check_access("write")
        return self.sudo().write({"state": target, **(values or {})})

    def _server_write(self, values):
        """Write server-owned fields, once the calling action has checked who acts."""
        self.check_access("write")
        return self.sudo().write(values)

    # ------------------------------------------------------------
    # READERS OF THE RULE
    # ------------------------------------------------------------

    @api.depends_context("uid")
    @api.depends("state")
    def _compute_workflow_buttons(self):
        buttons = [(f"can_{move}", target, sources) for move, (target, sources) in self._moves.items()]
        buttons = [button for button in buttons if button[0] in self._fields]
        for record in self:
            next_states = record._get_next_states()
            for field_name, target, sources in buttons:
                record[field_name] = target in next_states and (sources is None or record.state in sources)

    @api.depends_context("uid")
    @api.depends("state")
    def _compute_can_edit(self):
        for record in self:
            editable = record._editable_fields()
            for field_name, group in self._editable_groups.items():
                record[field_name] = editable is None or group <= editable

    def write(self, vals):
        if "state" in vals and self.env.su:
            self._check_declared_transition(vals["state"])
        return super().write(vals)

    def _check_declared_transition(self, target):
        """Even the server moves a status only along the table."""
        undeclared = self.filtered(
            lambda record: record.state != target and (record.state, target) not in self._transitions
        )
        if undeclared:
            raise UserError(
                self.env._(
                    "%(record)s is %(state)s: it cannot become %(target)s.",
                    record=undeclared[0].display_name,
                    state=undeclared[0]._state_label(undeclared[0].state),
                    target=self._state_label(target),
                )
            )

    def _editable_fields(self):
        self.ensure_one()
        return frozenset(self._editable_by_state.get(self.state, ()))

    @api.model
    def _creatable_fields(self, vals=None):
        return frozenset(self._editable_by_state.get(self._initial_state(), ()))

    def _frozen_message(self, field_names):
        self.ensure_one()
        return self.env._(
            "%(record)s is %(state)s: %(fields)s can no longer change.",
            record=self.display_name,
            state=self._state_label(self.state),
            fields=self._field_labels(field_names),
        )

    # ------------------------------------------------------------
    # HELPERS
    # ------------------------------------------------------------

    @api.model
    def _initial_state(self):
        return self._fields["state"].default(self)

    @api.model
    def _state_label(self, state):
        return dict(self._fields["state"]._description_selection(self.env)).get(state, state)

    def _role_label(self, role):
        """Who holds ``role`` on this record, in words, for the messages."""
        return role

    def _log_tracking_now(self, body, with_values=True):
        """Log ``body`` on every record with its pending field tracking, in a fixed number of queries.

        The chatter tracks changed fields at commit, one message and one
        tracking insert per record: approving a hundred loans from a list would
        cost two hundred inserts. Here each record still gets its own message
        with its own tracked changes (Status: Requested → Approved...), but
        all messages are one insert and all their tracking values another.
        Without ``with_values``, the body alone tells what changed (a review
        gathering three hundred needs stays fast). Either way the records'
        pending tracking is consumed: later changes in the same transaction are
        tracked from the current values.
        """
        pending = self.env.cr.precommit.data.get(f"mail.tracking.{self._name}", {})
        tracked_fields = with_values and self.fields_get(
            list(self._track_get_fields()), attributes=("string", "type", "selection", "currency_field")
        )
        tracking_values = {}
        for record in self:
            initial_values = pending.get(record.id)
            if initial_values:  # None: created in this transaction, whose changes are not tracked
                del pending[record.id]
                if with_values:
                    __, commands = record._mail_track(tracked_fields, initial_values)
                    tracking_values[record.id] = [values for __, __, values in commands]
        messages = self._message_log_batch(bodies=dict.fromkeys(self.ids, body))
        if tracking_values:
            self.env["mail.tracking.value"].sudo().create(
                [
                    dict(values, mail_message_id=message.id)
                    for message in messages
                    for values in tracking_values.get(message.res_id, [])
                ]
            )
        return messages
