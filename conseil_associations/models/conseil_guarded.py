"""What the server keeps, whatever the client sends: server-owned fields, frozen terms, plausible values."""

import math
import re
import uuid
from datetime import date, datetime

from markupsafe import Markup, escape

from odoo import api, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Domain
from odoo.tools import format_date, format_list, formatLang

# Every date of the addon falls in this window: a typo of year 1 or 9999 is refused.
DATES = (date(1900, 1, 1), date(2200, 1, 1))
# Longest text a user may type in a field that declares no limit of its own, by field type.
TEXT_LIMITS = {"char": 256, "text": 10_000, "html": 200_000}
INTEGER_MAX = 2**31 - 1  # a PostgreSQL integer
NUMBER_MAX = 1e12  # no amount, rate or quantity of a town comes near it
# Fields every user who may write a record may still write, in any state: its chatter and its colour.
ALWAYS_EDITABLE_PREFIXES = ("message_", "activity_")
ALWAYS_EDITABLE = frozenset({"color"})
# What PostgreSQL can add up, and what it can order (for the aggregates a client asks of a read_group).
NUMERIC_TYPES = frozenset({"integer", "float", "monetary"})
ORDERED_TYPES = NUMERIC_TYPES | {"char", "text", "selection", "date", "datetime", "many2one"}


def text_to_html(text):
    """Plain text shown as HTML: escaped, its lines kept; never markup, never a live link."""
    return Markup("<p>%s</p>") % Markup("<br/>").join(escape(line) for line in (text or "").splitlines())


def long_date(env, day, pattern="d MMMM y"):
    """A day written out in the reader's language: « jeudi 1er avril 2027 », the French ordinal of the first."""
    text = format_date(env, day, date_format=pattern)
    if day.day == 1 and (env.lang or "").startswith("fr"):
        text = re.sub(r"(?<!\d)1(?=\s)", "1er", text, count=1)
    return text


def format_quantity(env, value):
    """A quantity as the reader writes it, without trailing zeros: « 11 », « 2,5 », « 48 200 »."""
    text = formatLang(env, value, digits=2)
    decimal_point = env["res.lang"]._get_data(code=env.lang or "en_US").decimal_point or "."
    if decimal_point in text:
        text = text.rstrip("0").rstrip(decimal_point)
    return text


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


def holder_message(pattern, name_holder, unknown):
    """The message of a unique or exclusion constraint, naming the record that already holds the value.

    ``pattern`` reads PostgreSQL's detail of the violation; ``name_holder(env, match)`` finds and names the holder
    (with the user's rights: a record they may not read is not named); ``unknown(env)`` is said when the detail
    does not match.
    """

    def message(env, diagnostics):
        match = diagnostics and pattern.search(diagnostics.message_detail or "")
        return name_holder(env, match) if match else unknown(env)

    return message


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
        """Neither a client's context nor a user's own defaults choose what users may not set.

        The server-owned fields (and, for a user, the fields not open at creation)
        get the model's own defaults only: a ``default_*`` key of the context and
        a personal default (``ir.default``) are ignored for them, also when the
        server creates a record under ``sudo()`` for a user.
        """
        protected = self._user_protected_fields()
        if not self.env.su:
            creatable = self._creatable_fields()
            if creatable is not None:
                protected = protected | (self._fields.keys() - creatable)
        defaults = super().default_get(fields_list)
        for name in protected & defaults.keys():
            field = self._fields[name]
            if field.default:
                value = field.convert_to_cache(field.default(self), self, validate=False)
                defaults[name] = field.convert_to_write(value, self)
            else:
                del defaults[name]
        if "access_token" in fields_list and "access_token" in self._fields:
            # a shared link's key from birth: Odoo's portal checks a posted token against it (and fails
            # with a raw error on a record that has none)
            defaults["access_token"] = str(uuid.uuid4())
        return defaults

    @api.model_create_multi
    def create(self, vals_list):
        vals_list = [self._check_plausible(vals) for vals in vals_list]
        if not self.env.su:
            self.browse().check_access("create")  # who may not create at all hears it first
            for vals in vals_list:
                self._check_user_create(vals)
                self._check_company_of_values(vals)
        return super().create(self._add_server_values(vals_list))

    def write(self, vals):
        self._check_ids()
        vals = self._check_plausible(vals)
        if not self.env.su:
            self.browse().check_access("write")  # who may not write at all hears it first
            self._check_user_write(vals)
            self._check_company_of_values(vals)
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
        # the key of a shared link (portal.mixin) is the server's
        shared = {"access_token"} & self._fields.keys()
        return self._server_fields | derived | shared

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

    @api.model
    def _model_label(self):
        """The model's name in the user's language (its description, as the addon's translations give it)."""
        return self.env["ir.model"].sudo()._get(self._name).name or self._description

    def _server_owned_message(self, field_names):
        return self.env._(
            "%(model)s: %(fields)s can be changed only through its buttons, which check who acts, "
            "and never written directly.",
            fields=self._field_labels(field_names),
            model=self._model_label(),
        )

    @api.model
    def _not_at_creation_message(self, field_names):
        return self.env._(
            "%(fields)s cannot be set when a new %(model)s is created.",
            fields=self._field_labels(field_names),
            model=self._model_label(),
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
            if field is None:
                raise ValidationError(
                    self.env._(
                        "%(model)s has no field %(field)s.", model=self._model_label(), field=str(name)[:64]
                    )
                )
            cleaned[name] = self._check_value(field, value)
        return cleaned

    @api.model
    def _check_value(self, field, value):
        """``value`` of ``field`` once checked (a name stripped); a clear message when it cannot be stored."""
        if field.type in ("one2many", "many2many"):
            self._check_x2many(field, value)
        elif field.type in TEXT_LIMITS:
            return self._check_text(field, value)
        elif field.type in ("integer", "float", "monetary"):
            self._check_number(field, value)
        elif field.type in ("date", "datetime"):
            self._check_date(field, value)
        elif field.type == "many2one":
            self._check_many2one(field, value)
        elif field.type == "selection" and value not in (None, False, *field.get_values(self.env)):
            raise ValidationError(
                self.env._(
                    "%(field)s: %(value)s is not one of its choices.",
                    field=field._description_string(self.env),
                    value=str(value)[:50],
                )
            )
        return value

    @api.model
    def _check_values_of(self, records, vals, names, bounds=None):
        """The checks of the guard on some fields of a model that is not the addon's (a setting, a rate).

        ``bounds``: {field name: (low, high)} of its numbers, as their database constraint holds them.
        """
        for name in vals.keys() & set(names):
            field = records._fields[name]
            if bounds and name in bounds:
                self._check_number(field, vals[name], bounds[name])
            else:
                self._check_value(field, vals[name])

    @api.model
    def _check_text(self, field, value):
        if value is None or value is False:
            value = ""
        elif not isinstance(value, str):
            raise ValidationError(self._wrong_type_message(field, value))
        value = value.replace("\x00", "")  # PostgreSQL stores no NUL character; nobody types one
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
    def _check_number(self, field, value, bounds=None):
        if value is None or value is False:
            return
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            try:
                value = float(value)
            except (ValueError, TypeError, OverflowError):
                raise ValidationError(self._wrong_type_message(field, value)) from None
        if field.type == "integer" and math.isfinite(value) and value != int(value):
            raise ValidationError(self._wrong_type_message(field, value))
        low, high = (
            bounds
            or self._plausible.get(field.name)
            or ((-INTEGER_MAX, INTEGER_MAX) if field.type == "integer" else (-NUMBER_MAX, NUMBER_MAX))
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
        if value is None or value is False or value == "":
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
        if value is None or value is False:
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
    def _check_x2many(self, field, value):
        """Commands well formed, on records that exist: a malformed list gets a message, not a raw error."""
        if value is None or value is False:
            return
        valid = isinstance(value, (list, tuple))
        ids = []
        for command in value if valid else ():
            if isinstance(command, int) and not isinstance(command, bool):
                ids.append(command)
                continue
            if not (isinstance(command, (list, tuple)) and command and command[0] in range(7)):
                valid = False
                break
            operation = command[0]
            if operation in (1, 2, 3, 4):
                valid = len(command) >= 2 and isinstance(command[1], int) and not isinstance(command[1], bool)
                ids.append(command[1] if valid else 0)
            elif operation == 6:
                valid = len(command) == 3 and isinstance(command[2], (list, tuple))
                valid = valid and all(
                    isinstance(id_, int) and not isinstance(id_, bool) for id_ in command[2]
                )
                ids.extend(command[2] if valid else ())
            if operation in (0, 1):
                valid = valid and len(command) == 3 and isinstance(command[2], dict)
            if not valid:
                break
        valid = valid and all(0 < id_ <= INTEGER_MAX for id_ in ids)
        if valid and ids and not self.env.su:
            valid = len(self.env[field.comodel_name].sudo().browse(set(ids)).exists()) == len(set(ids))
        if not valid:
            raise ValidationError(
                self.env._(
                    "%(field)s: these changes are not valid (the records must exist, listed by their ids).",
                    field=field._description_string(self.env),
                )
            )

    def _check_internal_users(self, *field_names):
        """The town's people in these fields are its staff: internal users, never portal or public ones."""
        for record in self:
            for name in field_names:
                outsiders = record[name].filtered("share")
                if outsiders:
                    raise ValidationError(
                        self.env._(
                            "%(field)s of %(record)s is a member of the town's staff: %(user)s is not.",
                            field=self._fields[name]._description_string(self.env),
                            record=record.display_name,
                            user=outsiders[0].name,
                        )
                    )

    @api.model
    def _role_holders(self, group_xmlid, company):
        """The town's staff holding a role in a commune: active internal users of the group.

        The administrators hold every role through Settings; they are counted
        only when nobody else holds it, so their inbox is not every officer's.
        """
        users = self.env.ref(group_xmlid).sudo().all_user_ids.filtered(
            lambda user: not user.share and user.active and company in user.company_ids
        ) - self.env.ref("base.user_root")
        return (users - self.env.ref("base.group_system").sudo().all_user_ids) or users

    def _town(self):
        """These records in the language of their town, for what the server writes about them.

        Names, agenda lines, chatter and activity summaries are read by the whole
        town hall: they are written in the commune's language, whoever acts.
        """
        # read on the whole batch, so a loop over records calling this costs one query
        company = self.company_id[:1] if "company_id" in self._fields else self.env["res.company"]
        return self.with_context(lang=(company or self.env.company)._conseil_lang())

    @api.model
    def _wrong_type_message(self, field, value):
        return self.env._(
            "%(field)s: %(value)s is not a valid value.",
            field=field._description_string(self.env),
            value=str(value)[:50],
        )

    # ------------------------------------------------------------
    # READS: a malformed search gets a message, not a raw error
    # ------------------------------------------------------------

    @api.model
    def _search(self, domain, offset=0, limit=None, order=None, **kwargs):
        offset = offset or 0
        if (
            not isinstance(offset, int)
            or offset < 0
            or (limit is not None and (not isinstance(limit, int) or limit < 0))
        ):
            raise UserError(self.env._("A search takes a positive offset and limit."))
        try:
            domain = self._without_nul(domain)
            self._check_searched_numbers(domain)
            return super()._search(domain, offset, limit, order, **kwargs)
        except (ValueError, TypeError) as error:
            raise UserError(self._malformed_message(error)) from None

    @api.model
    def _read_group(self, domain, groupby=(), aggregates=(), having=(), offset=0, limit=None, order=None):
        try:
            self._check_aggregates(aggregates)
            return super()._read_group(domain, groupby, aggregates, having, offset, limit, order)
        except (ValueError, TypeError) as error:
            raise UserError(self._malformed_message(error)) from None

    @api.model
    def read_group(self, domain, fields, groupby, offset=0, limit=None, orderby=False, lazy=True):
        try:
            return super().read_group(domain, fields, groupby, offset, limit, orderby, lazy)
        except (ValueError, TypeError) as error:
            raise UserError(self._malformed_message(error)) from None

    @api.model
    def _check_aggregates(self, aggregates):
        """An aggregate the field's type has none of (a sum of texts) would reach PostgreSQL, which answers
        with a raw error."""
        for spec in aggregates:
            name, __, function = spec.partition(":")
            field = self._fields.get(name.split(".")[0])
            if not field or not function or function in ("count", "count_distinct", "array_agg", "recordset"):
                continue
            numeric = field.type in NUMERIC_TYPES
            allowed = {
                "sum": numeric,
                "avg": numeric,
                "max": field.type in ORDERED_TYPES,
                "min": field.type in ORDERED_TYPES,
                "bool_and": field.type == "boolean",
                "bool_or": field.type == "boolean",
            }
            if not allowed.get(function, True):
                raise ValueError(f"no {function} of {field.name}")

    @api.model
    def _without_nul(self, domain):
        """The domain without the NUL characters PostgreSQL refuses (a search box gives what it is given)."""

        def clean(value):
            if isinstance(value, str):
                return value.replace("\x00", "")
            if isinstance(value, (list, tuple)):
                return type(value)(clean(item) for item in value)
            return value

        return Domain(domain).map_conditions(
            lambda condition: Domain(condition.field_expr, condition.operator, clean(condition.value))
        )

    @api.model
    def _check_searched_numbers(self, domain):
        """A number searched as a word ("nan") would reach PostgreSQL, which answers with a raw error."""
        for condition in Domain(domain).iter_conditions():
            field = self._fields.get(condition.field_expr)
            if field is None or (field.type not in ("integer", "many2one_reference") and field.name != "id"):
                continue
            values = condition.value if isinstance(condition.value, (list, tuple, set)) else [condition.value]
            for value in values:
                if isinstance(value, str) and not re.fullmatch(r"\s*-?\d+\s*", value):
                    raise ValueError(f"{field.name}: {value[:20]!r} is not a number")

    def _check_ids(self):
        """Records named by something else than their number (a client sends what it likes)."""
        if any(isinstance(record_id, (str, bool, float, list, dict)) for record_id in self._ids):
            raise UserError(self._malformed_message(ValueError("record ids are numbers")))

    def read(self, fields=None, load="_classic_read"):
        self._check_ids()
        try:
            return super().read(fields, load)
        except (ValueError, TypeError) as error:
            raise UserError(self._malformed_message(error)) from None

    @api.model
    def _malformed_message(self, error):
        return self.env._(
            "This request on %(model)s cannot be answered: %(reason)s",
            model=self._model_label(),
            reason=str(error)[:200],
        )

    # ------------------------------------------------------------
    # COMPANIES
    # ------------------------------------------------------------

    def _check_company_of_values(self, vals):
        """Refuse another commune's records before they are linked, so no message ever names them.

        On the records written (their communes), or on the empty model for a
        create (the commune of the values, or the user's). The ORM's check still
        runs after the write, for what follows from it.
        """
        if "company_id" not in self._fields:
            return
        linked_by_field = []
        for name, value in vals.items():
            field = self._fields.get(name)
            if field and field.relational and field.check_company and not field.company_dependent:
                linked = self.env[field.comodel_name].sudo().browse(self._linked_ids(field, value)).exists()
                if linked:
                    linked_by_field.append((field, linked))
        if not linked_by_field:
            return
        if vals.get("company_id"):
            companies = self.env["res.company"].browse(vals["company_id"])
        else:
            companies = self.company_id if self else self.env.company
        for company in companies:
            for field, linked in linked_by_field:
                domain = linked._check_company_domain(company)
                if domain and linked != linked.with_context(active_test=False).filtered_domain(domain):
                    raise UserError(
                        self.env._(
                            "%(field)s must belong to %(company)s: a commune's records never link to another "
                            "commune's.",
                            field=field._description_string(self.env),
                            company=company.display_name,
                        )
                    )

    @api.model
    def _linked_ids(self, field, value):
        """The ids a many2one value or x2many commands link to."""
        if field.type == "many2one":
            return [value] if isinstance(value, int) and not isinstance(value, bool) else []
        ids = []
        for command in value or ():
            if isinstance(command, int):
                ids.append(command)
            elif isinstance(command, (list, tuple)) and command and command[0] == 4:
                ids.append(command[1])
            elif isinstance(command, (list, tuple)) and command and command[0] == 6:
                ids.extend(command[2])
        return ids

    def _check_company(self, fnames=None):
        """The ORM's company check, with a message that never names another commune's records.

        One check per commune and field for the whole batch (a review gathering
        three hundred needs checks their review once), then the record that
        breaks it is looked for.
        """
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
        for company, records in self.grouped("company_id").items():
            for name in checked:
                linked = records.sudo()[name]
                domain = linked and linked._check_company_domain(company)
                if not domain:
                    continue
                allowed = linked.with_context(active_test=False).filtered_domain(domain)
                if linked == allowed:
                    continue
                record = next(record for record in records if record.sudo()[name] - allowed)
                raise UserError(
                    self.env._(
                        "%(field)s of %(record)s must belong to %(company)s: a commune's records never "
                        "link to another commune's.",
                        field=self._fields[name]._description_string(self.env),
                        record=record.display_name,
                        company=company.display_name,
                    )
                )
