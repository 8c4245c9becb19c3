"""What the server keeps, whatever the client sends: server-owned fields, frozen terms, plausible values."""

import math
from datetime import date, datetime

from odoo import api, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import format_list, formatLang

# Every date of the addon falls in this window: a typo of year 1 or 9999 is refused.
DATES = (date(1900, 1, 1), date(2200, 1, 1))
# Longest text a user may type in a field that declares no limit of its own, by field type.
TEXT_LIMITS = {"char": 256, "text": 10_000, "html": 200_000}
INTEGER_MAX = 2**31 - 1  # a PostgreSQL integer
NUMBER_MAX = 1e12  # no amount, rate or quantity of a town comes near it
# Fields every user who may write a record may still write, in any state: its chatter and its colour.
ALWAYS_EDITABLE_PREFIXES = ("message_", "activity_")
ALWAYS_EDITABLE = frozenset({"color"})


def plausible_values(bounds):
    """One CHECK constraint of the table holding the declared ``_plausible`` bounds in the database.

    ``bounds`` maps a column to ``(low, high)`` (numbers, inclusive; dates, high
    excluded) or to a maximum length in characters.
    """
    clauses = []
    for name, bound in bounds.items():
        if isinstance(bound, int):
            clauses.append(f"char_length({name}) <= {bound}")
        elif isinstance(bound[0], date):
            clauses.append(f"({name} >= '{bound[0].isoformat()}' AND {name} < '{bound[1].isoformat()}')")
        else:
            clauses.append(f"({name} BETWEEN {bound[0]} AND {bound[1]})")
    return models.Constraint(
        f"CHECK ({' AND '.join(clauses)})",
        lambda env, diagnostics: env._(
            "A value is outside its plausible range: check the figures and dates."
        ),
    )


class ConseilGuardedMixin(models.AbstractModel):
    """A record whose promises hold on every door: forms, buttons, JSON-RPC, imports, any context.

    A model declares the fields only the server sets (``_server_fields``: its
    actions write them under ``sudo()`` after their own checks of who acts),
    which fields may still change on a record (``_editable_fields``, e.g. by
    state) and the plausible range of its values (``_plausible``, also held by
    a CHECK constraint built with :func:`plausible_values`). Create and write
    from users are held to these declarations; fields the server derives
    (computed, related) are its own too. Authority never comes from the
    context: only ``env.su``, which no client can set, lets server-owned
    fields through.
    """

    _name = "conseil.guarded.mixin"
    _description = "Council Record Guarded on Every Door"
    _check_company_auto = True

    _server_fields = frozenset()
    _plausible = {}

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model
    def default_get(self, fields_list):
        """A client's context chooses no default for what users may not set."""
        model = self
        if not self.env.su:
            creatable = self._creatable_fields()
            protected = self._user_protected_fields()
            if creatable is not None:
                protected |= self._fields.keys() - creatable
            context = self.env.context
            if any(f"default_{name}" in context for name in protected):
                cleaned = {
                    key: value
                    for key, value in context.items()
                    if not (key.startswith("default_") and key[8:] in protected)
                }
                model = self.with_env(self.env(context=cleaned))
        return super(ConseilGuardedMixin, model).default_get(fields_list)

    @api.model_create_multi
    def create(self, vals_list):
        vals_list = [self._check_plausible(vals) for vals in vals_list]
        if not self.env.su:
            for vals in vals_list:
                self._check_user_create(vals)
        return super().create(self._add_server_values(vals_list))

    def write(self, vals):
        vals = self._check_plausible(vals)
        if not self.env.su:
            self._check_user_write(vals)
        return super().write(vals)

    # ------------------------------------------------------------
    # DECLARATIONS (overridden by the models)
    # ------------------------------------------------------------

    def _editable_fields(self):
        """Field names a user may still change on this record, or None for every field users may set."""
        self.ensure_one()
        return None

    @api.model
    def _creatable_fields(self, vals=None):
        """Field names a user may give a new record, or None for every field users may set."""
        return None

    @api.model
    def _add_server_values(self, vals_list):
        """The values the server gives a new record (a reference...), once the user's are checked."""
        return vals_list

    def _frozen_message(self, field_names):
        """Why these fields of this record can no longer change, and what to do."""
        self.ensure_one()
        return self.env._(
            "%(record)s can no longer change: %(fields)s.",
            record=self.display_name,
            fields=self._field_labels(field_names),
        )

    # ------------------------------------------------------------
    # THE GUARD
    # ------------------------------------------------------------

    @api.model
    def _user_protected_fields(self):
        """Fields no user sets: the declared server-owned ones, and those the server derives."""
        derived = {
            name
            for name, field in self._fields.items()
            if field.compute and not field.inverse and field.readonly
        }
        return self._server_fields | derived

    @api.model
    def _always_editable(self, name):
        return name in ALWAYS_EDITABLE or name.startswith(ALWAYS_EDITABLE_PREFIXES)

    @api.model
    def _check_user_create(self, vals):
        """A user creates a record in its initial state, without server-owned values."""
        forbidden = {
            name
            for name in vals.keys() & self._user_protected_fields()
            if not self._is_default_value(name, vals[name])
        }
        if forbidden:
            raise AccessError(self._server_owned_message(forbidden))
        creatable = self._creatable_fields(vals)
        if creatable is not None:
            frozen = {
                name
                for name in vals.keys() - creatable
                if not self._always_editable(name) and not self._is_default_value(name, vals[name])
            }
            if frozen:
                raise UserError(self._not_at_creation_message(frozen))

    def _check_user_write(self, vals):
        """A user writes neither server-owned fields nor terms frozen by the record's state."""
        forbidden = {
            name
            for name in vals.keys() & self._user_protected_fields()
            if not self._is_unchanged(name, vals[name])
        }
        if forbidden:
            raise AccessError(self._server_owned_message(forbidden))
        for record in self:
            editable = record._editable_fields()
            if editable is None:
                continue
            frozen = {
                name
                for name in vals.keys() - editable
                if not self._always_editable(name) and not record._is_unchanged(name, vals[name])
            }
            if frozen:
                raise UserError(record._frozen_message(frozen))

    @api.model
    def _is_default_value(self, name, value):
        """Whether ``value`` is what the server would set anyway (a form sends a field's default back)."""
        field = self._fields[name]
        if field.type in ("one2many", "many2many"):
            return not value
        if not value:
            return True
        default = self.default_get([name]).get(name)
        try:
            return field.convert_to_cache(value, self) == field.convert_to_cache(default, self)
        except (ValueError, TypeError):
            return False

    def _is_unchanged(self, name, value):
        """Whether writing ``value`` changes nothing (an exported file imported back, a form sending it back)."""
        field = self._fields[name]
        if field.type in ("one2many", "many2many"):
            return not value
        try:
            cache_value = field.convert_to_cache(value, self)
        except (ValueError, TypeError):
            return False
        return all(field.convert_to_cache(record[name], record) == cache_value for record in self)

    def _server_owned_message(self, field_names):
        return self.env._(
            "%(model)s: %(fields)s can be changed only through its buttons, which check who acts, "
            "and never written directly.",
            fields=self._field_labels(field_names),
            model=self._description,
        )

    @api.model
    def _not_at_creation_message(self, field_names):
        return self.env._(
            "%(fields)s cannot be set when a new %(model)s is created.",
            fields=self._field_labels(field_names),
            model=self._description,
        )

    @api.model
    def _field_labels(self, field_names):
        return format_list(
            self.env, sorted(self._fields[name]._description_string(self.env) for name in field_names)
        )

    # ------------------------------------------------------------
    # PLAUSIBLE VALUES
    # ------------------------------------------------------------

    @api.model
    def _check_plausible(self, vals):
        """``vals`` with names stripped, once checked: types, existence, ranges and lengths.

        What the database cannot store (a number beyond its type, a text longer
        than an index row, a date of year 0) is refused here with a message
        instead of a raw error; the CHECK constraints hold the same bounds.
        """
        cleaned = dict(vals)
        for name, value in vals.items():
            field = self._fields.get(name)
            if field is None or field.type in ("one2many", "many2many"):
                continue
            if field.type in TEXT_LIMITS:
                cleaned[name] = self._check_text(field, value)
            elif field.type in ("integer", "float", "monetary"):
                self._check_number(field, value)
            elif field.type in ("date", "datetime"):
                self._check_date(field, value)
            elif field.type == "many2one":
                self._check_many2one(field, value)
            elif field.type == "selection" and value not in (False, None):
                try:
                    field.convert_to_cache(value, self)
                except (ValueError, TypeError):
                    raise ValidationError(
                        self.env._(
                            "%(field)s: %(value)s is not one of its choices.",
                            field=field._description_string(self.env),
                            value=str(value)[:50],
                        )
                    ) from None
        return cleaned

    @api.model
    def _check_text(self, field, value):
        if value in (False, None):
            value = ""
        elif not isinstance(value, str):
            raise ValidationError(self._wrong_type_message(field, value))
        if field.type == "char":
            value = value.strip()
        limit = self._plausible.get(field.name) or field.size or TEXT_LIMITS[field.type]
        if len(value) > limit:
            raise ValidationError(
                self.env._(
                    "%(field)s is limited to %(limit)s characters (%(length)s given).",
                    field=field._description_string(self.env),
                    limit=limit,
                    length=len(value),
                )
            )
        if (field.required or field.name == self._rec_name) and not value.strip():
            raise ValidationError(
                self.env._("%(field)s cannot be blank.", field=field._description_string(self.env))
            )
        return value or False

    @api.model
    def _check_number(self, field, value):
        if value in (False, None):
            return
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            try:
                value = float(value)
            except (ValueError, TypeError, OverflowError):
                raise ValidationError(self._wrong_type_message(field, value)) from None
        if field.type == "integer" and math.isfinite(value) and value != int(value):
            raise ValidationError(self._wrong_type_message(field, value))
        low, high = self._plausible.get(field.name) or (
            (-INTEGER_MAX, INTEGER_MAX) if field.type == "integer" else (-NUMBER_MAX, NUMBER_MAX)
        )
        if math.isfinite(value) and value < 0 <= low:
            raise ValidationError(
                self.env._(
                    "%(field)s cannot be negative (%(value)s given).",
                    field=field._description_string(self.env),
                    value=self._number_label(value),
                )
            )
        if not math.isfinite(value) or not low <= value <= high:
            raise ValidationError(
                self.env._(
                    "%(field)s must be between %(low)s and %(high)s (%(value)s given).",
                    field=field._description_string(self.env),
                    low=self._number_label(low),
                    high=self._number_label(high),
                    value=self._number_label(value) if math.isfinite(value) else str(value),
                )
            )

    @api.model
    def _number_label(self, number):
        if abs(number) >= 1e15:
            return f"{number:.3g}"
        return formatLang(self.env, number, digits=0 if number == int(number) else 2)

    @api.model
    def _check_date(self, field, value):
        if value in (False, None, ""):
            return
        try:
            day = field.convert_to_cache(value, self)
        except (ValueError, TypeError, OverflowError):
            raise ValidationError(self._wrong_type_message(field, value)) from None
        low, high = self._plausible.get(field.name) or DATES
        if isinstance(day, datetime):
            day = day.date()
        if not low <= day < high:
            raise ValidationError(
                self.env._(
                    "%(field)s must fall between %(low)s and %(high)s (%(value)s given).",
                    field=field._description_string(self.env),
                    low=low.year,
                    high=high.year,
                    value=day.isoformat(),
                )
            )

    @api.model
    def _check_many2one(self, field, value):
        if value in (False, None):
            return
        if isinstance(value, models.BaseModel):
            if value._name == field.comodel_name and len(value) <= 1:
                return
            raise ValidationError(self._wrong_type_message(field, value))
        if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= INTEGER_MAX:
            raise ValidationError(self._wrong_type_message(field, value))
        if not self.env.su and not self.env[field.comodel_name].sudo().browse(value).exists():
            raise ValidationError(
                self.env._(
                    "%(field)s: there is no such record (id %(id)s).",
                    field=field._description_string(self.env),
                    id=value,
                )
            )

    @api.model
    def _wrong_type_message(self, field, value):
        return self.env._(
            "%(field)s: %(value)s is not a valid value.",
            field=field._description_string(self.env),
            value=str(value)[:50],
        )

    # ------------------------------------------------------------
    # COMPANIES
    # ------------------------------------------------------------

    def _check_company(self, fnames=None):
        """The ORM's company check, with a message that never names another commune's records."""
        if "company_id" not in self._fields:
            return
        if fnames is None or "company_id" in fnames:
            fnames = self._fields
        checked = [
            name
            for name in fnames
            if self._fields[name].relational
            and self._fields[name].check_company
            and not self._fields[name].company_dependent
        ]
        for record in self:
            for name in checked:
                linked = record.sudo()[name]
                if not linked:
                    continue
                domain = linked._check_company_domain(record.company_id)
                if domain and linked != linked.with_context(active_test=False).filtered_domain(domain):
                    raise UserError(
                        self.env._(
                            "%(field)s of %(record)s must belong to %(company)s: a commune's records never "
                            "link to another commune's.",
                            field=self._fields[name]._description_string(self.env),
                            record=record.display_name,
                            company=record.company_id.display_name,
                        )
                    )
