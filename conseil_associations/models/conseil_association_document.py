import base64
import binascii
from datetime import date, timedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import format_date
from odoo.tools.mimetypes import guess_mimetype

from .conseil_guarded import DATES, plausible_values, text_to_html

# The documents the town asks of every association, each in its latest version.
KINDS = [
    ("statutes", "Statutes"),
    ("insurance", "Insurance Certificate"),
    ("bank_details", "Bank Details (RIB)"),
    ("assembly_minutes", "Last General Assembly Minutes"),
]
# What a document may be: a PDF or a scan, never anything a browser would run.
ALLOWED_MIMETYPES = frozenset({"application/pdf", "image/png", "image/jpeg"})
MAX_FILE_SIZE = 10 * 1024 * 1024  # 10 MB: a scanned certificate, not an archive
# A validity date is plausible until this many years ahead.
MAX_VALIDITY_YEARS = 20


class ConseilAssociationDocument(models.Model):
    _name = "conseil.association.document"
    _description = "Association Document"
    # the mailing mixin only records which validity date the association was told of
    _inherit = ["conseil.mailing.mixin", "conseil.guarded.mixin"]
    _order = "association_id, kind, id desc"
    _rec_name = "kind"

    # A new version archives the previous one of its kind; the reminder is the cron's.
    _server_fields = frozenset({"active", "reminder_expiry_date"})
    _plausible = {"file_name": 256, "date_expiry": DATES, "reminder_expiry_date": DATES}

    association_id = fields.Many2one(
        "conseil.association",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
    )
    company_id = fields.Many2one(related="association_id.company_id", store=True, index=True, precompute=True)
    kind = fields.Selection(KINDS, required=True, index=True)
    file = fields.Binary(attachment=True, required=True)
    file_name = fields.Char()
    date_expiry = fields.Date(
        string="Valid Until",
        index=True,
        help="The day the document stops being valid (an insurance certificate's end of cover). "
        "Empty for a document that does not expire.",
    )
    active = fields.Boolean(
        default=True,
        copy=False,
        help="Only the latest version of each kind is active; the previous ones are kept, archived.",
    )
    validity_state = fields.Selection(
        [("valid", "Valid"), ("expiring", "Expiring Soon"), ("expired", "Expired")],
        string="Validity",
        compute="_compute_validity_state",
    )
    reminder_expiry_date = fields.Date(
        string="Reminded for Expiry",
        readonly=True,
        copy=False,
        help="The validity date for which the referent officer was reminded: never twice for the same one.",
    )

    _values_plausible = plausible_values(_plausible)

    # ------------------------------------------------------------
    # COMPUTES
    # ------------------------------------------------------------

    @api.depends("date_expiry", "company_id")
    def _compute_validity_state(self):
        today = fields.Date.context_today(self)
        for document in self:
            document.validity_state = document._validity_on(today)

    # ------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------

    @api.constrains("file", "date_expiry")
    def _check_file_and_validity(self):
        """A PDF or an image of reasonable size, valid until a plausible date: from the portal as from the office."""
        for document in self:
            document._check_file_content(document.with_context(bin_size=False).file)
            if document.date_expiry and document.date_expiry > date.today() + timedelta(
                days=366 * MAX_VALIDITY_YEARS
            ):
                raise ValidationError(
                    self.env._(
                        "The validity date of %(document)s is too far away (%(date)s): check the year.",
                        document=document.display_name,
                        date=document.date_expiry.isoformat(),
                    )
                )

    @api.model
    def _check_file_content(self, data):
        """``data`` (base64) is a PDF or a PNG or JPEG image of at most 10 MB."""
        if not data:
            raise ValidationError(self.env._("A document needs its file."))
        try:
            content = base64.b64decode(data, validate=False)
        except (binascii.Error, ValueError):
            raise ValidationError(self.env._("The file could not be read: send it again.")) from None
        if len(content) > MAX_FILE_SIZE:
            raise ValidationError(
                self.env._(
                    "The file is too large (%(size)s MB): at most %(max)s MB.",
                    size=round(len(content) / 1024 / 1024, 1),
                    max=MAX_FILE_SIZE // 1024 // 1024,
                )
            )
        if guess_mimetype(content) not in ALLOWED_MIMETYPES:
            raise ValidationError(
                self.env._("A document is a PDF file or an image (PNG or JPEG): this file is neither.")
            )

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        if not all(vals.get("file") for vals in vals_list):
            # the constraint below only sees the file it is given: a version without one is no version
            raise ValidationError(self.env._("A document needs its file."))
        if not self.env.su:  # the town's history (demo, imports under the server) may hold expired versions
            self._check_new_versions(vals_list)
        documents = super().create(vals_list)
        documents._archive_previous_versions()
        return documents

    @api.model
    def _check_new_versions(self, vals_list):
        """A new version is the current one: valid today, and an insurance certificate says until when."""
        today = fields.Date.context_today(self)
        for vals in vals_list:
            try:
                date_expiry = fields.Date.to_date(vals.get("date_expiry") or None)
            except (TypeError, ValueError):
                continue  # not a date: the guard answers it with its own message
            if vals.get("kind") == "insurance" and not date_expiry:
                raise ValidationError(self.env._("An insurance certificate is valid until a date: give it."))
            if date_expiry and date_expiry < today:
                raise ValidationError(
                    self.env._(
                        "This document is no longer valid (%(date)s): send the current one.", date=date_expiry
                    )
                )

    def _archive_previous_versions(self):
        """The new version of a kind replaces the previous one, which is kept archived."""
        for document in self:
            previous = self.sudo().search(
                [
                    ("association_id", "=", document.association_id.id),
                    ("kind", "=", document.kind),
                    ("id", "not in", self.ids),
                ]
            )
            previous.write({"active": False})
            document._close_expiry_reminders()

    def _expiry_summary(self, town):
        """The summary of the referent officer's reminder for this kind, as the cron writes it."""
        kind = dict(self._fields["kind"]._description_selection(town.env))[self.kind]
        return town.env._("%(document)s expires", document=kind)

    def _close_expiry_reminders(self):
        """The new version arrived: the officer's reminder about the old one is done."""
        association = self.association_id.sudo()
        activity_type = self.env.ref("conseil_associations.mail_activity_type_document_expiry")
        summary = self._expiry_summary(association._town())
        reminders = association.activity_ids.filtered(
            lambda activity: activity.activity_type_id == activity_type and activity.summary == summary
        )
        if reminders:
            reminders.action_feedback(
                feedback=association._town().env._(
                    "A new version was received, valid until %(date)s.",
                    date=format_date(association._town().env, self.date_expiry),
                )
                if self.date_expiry
                else association._town().env._("A new version was received.")
            )

    @api.model
    def _portal_upload(self, association, kind, data, file_name, date_expiry):
        """A person of the association gives a new version of one of its documents.

        Called as the portal user: the association must be theirs (its record
        rule), the values pass the same checks as in the back office, and a
        document cannot be given already expired. The previous version is
        archived; the chatter of the association tells the town hall.
        """
        association.check_access("read")
        kinds = dict(self._fields["kind"]._description_selection(self.env))
        if kind not in kinds:
            raise ValidationError(self.env._("Choose which document you are sending."))
        self._check_file_content(data)
        document = self.create(
            {
                "association_id": association.id,
                "kind": kind,
                "file": data,
                "file_name": (file_name or "").strip()[:200] or kinds[kind],
                "date_expiry": date_expiry or False,
            }
        )
        town = association.sudo()._town()  # the commune's language, read by the server
        label = dict(self._fields["kind"]._description_selection(town.env))[kind]
        association.sudo().message_post(
            body=text_to_html(
                town.env._(
                    "%(person)s sent a new version of the %(document)s from the portal.",
                    person=self.env.user.partner_id.name,
                    document=label,
                )
            ),
            author_id=self.env.user.partner_id.id,
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
        return document

    # ------------------------------------------------------------
    # CRON
    # ------------------------------------------------------------

    @api.model
    def _cron_remind_expiring(self):
        """Each document about to expire gets one activity for its association's referent officer.

        Once per validity date: a rerun reminds nobody twice, a new version (a new
        date) is reminded again when its turn comes.
        """
        today = fields.Date.context_today(self)
        documents = (
            self.sudo()
            .search([("date_expiry", "!=", False), ("association_id.referent_user_id", "!=", False)])
            .filtered(
                lambda document: document.reminder_expiry_date != document.date_expiry
                and document._validity_on(today) != "valid"
            )
        )
        activity_type = self.env.ref("conseil_associations.mail_activity_type_document_expiry")
        for document in documents:
            association = document.association_id
            town = association._town()
            kind = dict(document._fields["kind"]._description_selection(town.env))[document.kind]
            association.activity_schedule(
                activity_type_id=activity_type.id,
                user_id=association.referent_user_id.id,
                date_deadline=min(document.date_expiry, today + timedelta(days=1)),
                summary=document._expiry_summary(town),
                note=text_to_html(
                    town.env._(
                        "The %(document)s of %(association)s is valid until %(date)s: ask the association "
                        "for the new one.",
                        document=kind,
                        association=association.name,
                        date=format_date(town.env, document.date_expiry),
                    )
                ),
            )
            document.write({"reminder_expiry_date": document.date_expiry})
        self._mail_associations(today)
        return documents

    @api.model
    def _mail_associations(self, today):
        """The associations hear of their documents: once per document and validity date, once a year if
        one is missing.

        A document expiring (within the commune's reminder delay) or expired is told once for its validity
        date, so a new version is told again when its turn comes. An association that never gave one of the
        documents the town asks for is nudged once a calendar year: often enough to be heard, rarely enough
        not to be ignored. One mail per association lists all it has to send.
        """
        expiring = (
            self.sudo()
            .search([("date_expiry", "!=", False), ("date_expiry", "<=", today + timedelta(days=365))])
            .filtered(lambda document: document._validity_on(today) != "valid")
        )
        told = self.browse()
        for date_expiry, documents in expiring.grouped("date_expiry").items():
            told |= documents._conseil_claim_mail("expiry", fields.Date.to_string(date_expiry))
        complete = [
            association.id
            for association, count in self.sudo()._read_group([], ["association_id"], ["kind:count_distinct"])
            if count == len(KINDS)
        ]
        never_given = self.env["conseil.association"].sudo().search([("id", "not in", complete)])
        nudged = never_given._conseil_claim_mail("documents_missing", today.year)
        (told.association_id | nudged)._conseil_send_mail(
            "conseil_associations.mail_template_document_reminder"
        )

    # ------------------------------------------------------------
    # HELPERS
    # ------------------------------------------------------------

    def _validity_on(self, day):
        """Valid, expiring (within the commune's reminder delay) or expired, on ``day``."""
        self.ensure_one()
        if not self.date_expiry:
            return "valid"
        if self.date_expiry < day:
            return "expired"
        delay = (self.company_id or self.env.company).conseil_document_reminder_days
        if self.date_expiry <= day + timedelta(days=delay):
            return "expiring"
        return "valid"
