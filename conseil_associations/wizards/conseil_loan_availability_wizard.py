from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

# The dialog lists a page of the free resources, by name; a search by name finds the others. However many
# vans, agents or rooms a city has, opening it reads and writes one page.
FREE_PAGE = 40  # the dialog says « the first 40 » (conseil_loan_availability_wizard_views.xml)


class ConseilLoanAvailabilityWizard(models.TransientModel):
    _name = "conseil.loan.availability.wizard"
    _description = "Resources Available for a Loan"
    _inherit = ["conseil.guarded.mixin"]

    loan_id = fields.Many2one("conseil.loan", required=True, ondelete="cascade")
    loan_type = fields.Selection(related="loan_id.loan_type")
    date_start = fields.Datetime(related="loan_id.date_start")
    date_end = fields.Datetime(related="loan_id.date_end")
    free_vehicle_ids = fields.Many2many(
        "fleet.vehicle", compute="_compute_free_resources", string="Free Vehicles"
    )
    free_employee_ids = fields.Many2many(
        "hr.employee", compute="_compute_free_resources", string="Free Agents"
    )
    free_room_ids = fields.Many2many("conseil.room", compute="_compute_free_resources", string="Free Rooms")
    more_free = fields.Boolean(readonly=True, help="More resources are free than the dialog lists.")
    not_free_note = fields.Char(
        readonly=True, help="The resources of the name searched that exist but are not free over the period."
    )
    search_name = fields.Char(
        string="Search a Name", help="List only the free resources whose name contains this."
    )
    quantity = fields.Integer(
        string="Quantity to Lend",
        default=1,
        help="Equipment: the quantity the loan takes; only the items of which as many are free over the whole "
        "period are listed.",
    )
    vehicle_id = fields.Many2one("fleet.vehicle", domain="[('id', 'in', free_vehicle_ids)]")
    employee_id = fields.Many2one("hr.employee", string="Agent", domain="[('id', 'in', free_employee_ids)]")
    room_id = fields.Many2one("conseil.room", domain="[('id', 'in', free_room_ids)]")
    equipment_id = fields.Many2one("conseil.equipment")
    line_ids = fields.One2many("conseil.loan.availability.line", "wizard_id", string="Free Resources")

    _server_fields = frozenset({"more_free", "not_free_note", "line_ids"})
    _plausible = {"quantity": (1, 100_000), "search_name": 256}
    # what the officer changes in the open dialog; its loan is the one it was opened on
    _choices = frozenset({"search_name", "quantity", "vehicle_id", "employee_id", "room_id", "equipment_id"})

    @api.model_create_multi
    def create(self, vals_list):
        wizards = super().create(vals_list)
        wizards.loan_id.check_access(
            "read"
        )  # the dialog of a loan its user may read, never another commune's
        for wizard in wizards:
            wizard._create_lines()
        return wizards

    def _editable_fields(self):
        return self._choices

    def _create_lines(self):
        """One line per free resource of the page, each with its button: the officer picks by clicking."""
        self.loan_id.check_access("read")  # at each search too: the dialog of a loan its user may read
        if self.loan_type == "equipment":
            self._create_equipment_lines()
        else:
            self._create_resource_lines()
        self.sudo().not_free_note = not self.line_ids and self._not_free_note()

    def _create_resource_lines(self):
        ids, more = self._free_page()
        self.sudo().more_free = more
        field_name = {"vehicle": "vehicle_id", "agent": "employee_id", "room": "room_id"}[self.loan_type]
        resources = self.loan_id._resource_model(self.loan_type).browse(ids)
        # the server's snapshot of what is free: lines are not a user's to forge
        self.env["conseil.loan.availability.line"].sudo().create(
            [
                {
                    "wizard_id": self.id,
                    "sequence": index,
                    field_name: resource.id,
                    **self._line_details(resource),
                }
                for index, resource in enumerate(resources.sudo())
            ]
        )

    def _create_equipment_lines(self):
        """The equipment of which at least the quantity asked is free over the period, with how many are."""
        loan = self.loan_id
        free = self.env["conseil.equipment"]._conseil_free_quantities(
            loan.date_start,
            loan.date_end,
            loan.company_id,
            exclude_loan=loan,
            at_least=max(self.quantity, 1),
            name=self.search_name,
            limit=FREE_PAGE + 1,
        )
        equipment = self.env["conseil.equipment"].sudo().browse(list(free)[:FREE_PAGE])
        self.sudo().more_free = len(free) > FREE_PAGE
        self.env["conseil.loan.availability.line"].sudo().create(
            [
                {
                    "wizard_id": self.id,
                    "sequence": index,
                    "equipment_id": item.id,
                    "name": item.name,
                    "detail": ", ".join(
                        part
                        for part in (
                            self.env._("%(free)s free of %(owned)s", free=free[item.id], owned=item.quantity),
                            item.category_id.name,
                            item.storage_place,
                        )
                        if part
                    ),
                }
                for index, item in enumerate(equipment)
            ]
        )

    def _not_free_note(self):
        """When a name searched lists nothing: the resources of that name that exist but are not free then, so
        that the officer tells a busy resource from a typing error."""
        if not self.search_name:
            return False
        model = (
            self.env["conseil.equipment"]
            if self.loan_type == "equipment"
            else self.loan_id._resource_model(self.loan_type)
        )
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """SELECT r.id FROM %(table)s r
                    WHERE r.active AND (r.company_id = %(company)s OR r.company_id IS NULL) %(named)s
                    ORDER BY r.name, r.id LIMIT 4""",
                table=SQL.identifier(model._table),
                company=self.loan_id.company_id.id,
                named=model._conseil_named_sql(self.search_name),  # matched as the free list matches it
            )
        )
        existing = model.sudo().browse(row[0] for row in self.env.cr.fetchall())
        if not existing:
            return False
        return self.env._(
            "Not free over the period: %(names)s. Choose other dates, or another resource.",
            names=", ".join(existing[:3].mapped("display_name")) + ("…" if len(existing) > 3 else ""),
        )

    def action_search(self):
        """Search again, for the name (and the quantity) now asked: the dialog stays open with its new list."""
        self.ensure_one()
        self.line_ids.sudo().unlink()
        self._create_lines()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Available resources"),
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
        }

    def _add_equipment(self, equipment):
        """Equipment: the loan gets a line of the quantity asked (or its line of that equipment grows to it), if
        as many are free — the quantity may have changed since the list was searched."""
        loan = self.loan_id
        line = loan.line_ids.filtered(lambda line: line.equipment_id == equipment)
        quantity = max(self.quantity, 1)
        free = self.env["conseil.equipment"]._conseil_free_quantities(
            loan.date_start, loan.date_end, loan.company_id, exclude_loan=loan, equipment=equipment
        )
        if free.get(equipment.id, 0) < quantity:
            raise UserError(
                self.env._(
                    "Only %(free)s of %(equipment)s are free over the period, not %(quantity)s: lower the "
                    "quantity to lend and search again.",
                    free=max(free.get(equipment.id, 0), 0),
                    equipment=equipment.name,
                    quantity=quantity,
                )
            )
        if line:
            loan.write({"line_ids": [Command.update(line.id, {"quantity": quantity})]})
        else:
            loan.write({"line_ids": [Command.create({"equipment_id": equipment.id, "quantity": quantity})]})
        return {"type": "ir.actions.act_window_close"}

    def _line_details(self, resource):
        if resource._name == "fleet.vehicle":
            return {
                "name": resource.display_name,
                "detail": ", ".join(
                    part
                    for part in (
                        resource.license_plate,
                        resource.category_id.name,
                        self.env._("%(seats)s seats", seats=resource.seats) if resource.seats else "",
                    )
                    if part
                ),
            }
        if resource._name == "hr.employee":
            return {
                "name": resource.name,
                "detail": ", ".join(part for part in (resource.job_title, resource.parent_id.name) if part),
            }
        return {
            "name": resource.name,
            "detail": ", ".join(
                part
                for part in (
                    self.env._("%(capacity)s people", capacity=resource.capacity),
                    self.env._("accessible") if resource.is_accessible else "",
                )
                if part
            ),
        }

    @api.depends("loan_id", "search_name")
    def _compute_free_resources(self):
        for wizard in self:
            wizard.free_vehicle_ids = wizard.free_employee_ids = wizard.free_room_ids = False
            if not wizard.loan_id or wizard.loan_type == "equipment":
                continue
            ids, __ = wizard._free_page()
            field_name = {
                "vehicle": "free_vehicle_ids",
                "agent": "free_employee_ids",
                "room": "free_room_ids",
            }
            wizard[field_name[wizard.loan_type]] = wizard.loan_id._resource_model(wizard.loan_type).browse(
                ids
            )

    def _free_page(self):
        """(the ids of the first FREE_PAGE resources free for the loan, by name, whether more are free)."""
        loan = self.loan_id
        options = {"exclude_loan": loan, "name": self.search_name or None, "limit": FREE_PAGE + 1}
        if loan.loan_type == "agent":
            options["weekly_hours"] = loan.weekly_hours
        if loan.loan_type == "room":
            options["capacity"] = loan.expected_attendance
        ids = loan._free_resource_ids(
            loan.loan_type, loan.date_start, loan.date_end, loan.company_id, **options
        )
        return ids[:FREE_PAGE], len(ids) > FREE_PAGE

    def action_choose(self):
        self.ensure_one()
        loan = self.loan_id
        if loan.state != "draft":
            raise UserError(self.env._("Only a draft loan can change its resource."))
        field_name = {
            "vehicle": "vehicle_id",
            "agent": "employee_id",
            "room": "room_id",
            "equipment": "equipment_id",
        }[loan.loan_type]
        chosen = self[field_name]
        # one of the resources the dialog listed as free, not any the client names
        if not chosen or chosen not in self.line_ids[field_name]:
            raise UserError(self.env._("Choose one of the free resources listed."))
        if loan.loan_type == "equipment":
            return self._add_equipment(chosen)
        loan.write({field_name: chosen.id})
        return {"type": "ir.actions.act_window_close"}


class ConseilLoanAvailabilityLine(models.TransientModel):
    _name = "conseil.loan.availability.line"
    _description = "Free Resource for a Loan"
    _inherit = ["conseil.guarded.mixin"]
    _order = "sequence, id"

    _server_fields = frozenset(
        {"wizard_id", "vehicle_id", "employee_id", "room_id", "equipment_id", "name", "detail", "sequence"}
    )
    _plausible = {"name": 256, "detail": 512, "sequence": (0, 1_000_000)}

    wizard_id = fields.Many2one("conseil.loan.availability.wizard", required=True, ondelete="cascade")
    sequence = fields.Integer()
    vehicle_id = fields.Many2one("fleet.vehicle")
    employee_id = fields.Many2one("hr.employee", string="Agent")
    room_id = fields.Many2one("conseil.room")
    equipment_id = fields.Many2one("conseil.equipment")
    name = fields.Char(string="Resource")
    detail = fields.Char(string="Details")

    def action_choose(self):
        """Lend this resource: the loan takes it, as from the field of the wizard."""
        self.ensure_one()
        wizard = self.wizard_id
        wizard.write(
            {
                "vehicle_id": self.vehicle_id.id,
                "employee_id": self.employee_id.id,
                "room_id": self.room_id.id,
                "equipment_id": self.equipment_id.id,
            }
        )
        return wizard.action_choose()
