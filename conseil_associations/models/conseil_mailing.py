import json
from collections import defaultdict

from odoo import api, fields, models
from odoo.tools import SQL


class ConseilMailingMixin(models.AbstractModel):
    """Mail to an association as Odoo sends it: a ``mail.template`` the town can edit, in the language of the
    association, posted on the record's chatter (which keeps the copy), and each mail sent once.

    A model mixing it in has ``association_id`` (or is the association) and ``mail.thread``.
    """

    _name = "conseil.mailing.mixin"
    _description = "Mail to an Association, Sent Once"
    _inherit = ["conseil.guarded.mixin"]

    conseil_mail_sent = fields.Json(
        string="Mail Sent to the Association",
        readonly=True,
        copy=False,
        help="Which mails went to the association, and for what: the session date a convocation announced, "
        "the validity date of a document.",
    )

    @api.model
    def _user_protected_fields(self):
        """What went out is the server's record."""
        return super()._user_protected_fields() | {"conseil_mail_sent"}

    # ------------------------------------------------------------
    # SENT ONCE
    # ------------------------------------------------------------

    def _conseil_claim_mail(self, key, value=True, pending=None):
        """The records whose mail ``key`` has not gone out for ``value``, marked sent by the same statement.

        Marked before sending, in the transaction that sends: the UPDATE locks the rows, so a second cron or a
        rerun running at the same time waits, then finds them marked (under Odoo's repeatable read, its
        transaction fails and is retried, and the retry finds nothing left to send). A failed sending rolls
        the mark back with it. With ``pending`` (a template's xmlid), the mail is queued for
        :meth:`_cron_send_pending_mails` in the same statement.
        """
        if not self:
            return self
        self.flush_recordset(["conseil_mail_sent"])
        encoded = json.dumps(value)
        queued = SQL(
            ", 'pending', COALESCE(conseil_mail_sent -> 'pending', '[]'::jsonb) || to_jsonb(%s::text)", pending
        ) if pending else SQL()  # fmt: skip
        self.env.cr.execute(
            SQL(
                "UPDATE %(table)s SET conseil_mail_sent = COALESCE(conseil_mail_sent, '{}'::jsonb) "
                "|| jsonb_build_object(%(key)s, %(value)s::jsonb%(queued)s) "
                "WHERE id IN %(ids)s AND (conseil_mail_sent -> %(key)s) IS DISTINCT FROM %(value)s::jsonb "
                "RETURNING id",
                table=SQL.identifier(self._table),
                key=key,
                value=encoded,
                queued=queued,
                ids=tuple(self.ids),
            )
        )
        claimed = {row[0] for row in self.env.cr.fetchall()}
        self.invalidate_recordset(["conseil_mail_sent"])
        return self.filtered(lambda record: record.id in claimed)

    def _conseil_mail_once(self, key, template_xmlid, value=True):
        """Send the template's mail to each record's association, unless it went out already for ``value``."""
        claimed = self._conseil_claim_mail(key, value)
        claimed._conseil_send_mail(template_xmlid)
        return claimed

    def _conseil_mail_once_later(self, key, template_xmlid, cron_xmlid):
        """As :meth:`_conseil_mail_once`, the sending left to a cron triggered now, as Odoo's sale sends its
        order mails asynchronously: a batch action (approving twenty loans) then costs what one costs."""
        claimed = self._conseil_claim_mail(key, pending=template_xmlid)
        if claimed:
            self.env.ref(cron_xmlid)._trigger()
        return claimed

    @api.model
    def _cron_send_pending_mails(self):
        """Send the mails the actions queued, each taken off the queue by the statement that reads it (its rows
        locked: a second cron at the same time finds the queue empty)."""
        self.env.cr.execute(
            SQL(
                "WITH queued AS (SELECT id, conseil_mail_sent -> 'pending' AS pending FROM %(table)s "
                "WHERE conseil_mail_sent ? 'pending' FOR UPDATE) "
                "UPDATE %(table)s SET conseil_mail_sent = %(table)s.conseil_mail_sent - 'pending' FROM queued "
                "WHERE %(table)s.id = queued.id RETURNING queued.id, queued.pending",
                table=SQL.identifier(self._table),
            )
        )
        by_template = defaultdict(list)
        for record_id, templates in self.env.cr.fetchall():
            for template_xmlid in templates:
                by_template[template_xmlid].append(record_id)
        self.invalidate_model(["conseil_mail_sent"])
        for template_xmlid, record_ids in by_template.items():
            self.browse(record_ids)._conseil_send_mail(template_xmlid)
        return self.browse({record_id for ids in by_template.values() for record_id in ids})

    # ------------------------------------------------------------
    # SENDING
    # ------------------------------------------------------------

    def _conseil_send_mail(self, template_xmlid):
        """Post the template on each record, as a message to the association's people (Odoo mails them)."""
        template = self.env.ref(template_xmlid, raise_if_not_found=False)
        if not self or not template:
            return self.env["mail.message"]
        messages = self.env["mail.message"]
        for company, records in self.grouped("company_id").items():
            # the people of the association are not the acting user's to read: the server sends, the user
            # signs; what a cron sends, the commune signs
            author = company.partner_id if self.env.user._is_superuser() else self.env.user.partner_id
            messages |= records.sudo().message_post_with_source(
                template,
                author_id=author.id,
                # a subtype nobody follows: the association's people receive it, the town's followers of the
                # record do not get a copy of a letter that is not theirs (the chatter keeps it)
                subtype_xmlid="conseil_associations.mt_association_mail",
                message_type="comment",
                email_layout_xmlid="mail.mail_notification_light",
            )
        return messages

    def _conseil_mail_association(self):
        self.ensure_one()
        return self.association_id

    def _conseil_mail_partners(self):
        """Who hears from the town: the association's address, and its people who hold a role and an email.

        Never another association's people (only the children of this association's partner), never one
        address twice.
        """
        association = self._conseil_mail_association().sudo()
        partner = association.partner_id
        candidates = partner | partner.child_ids.filtered(
            # a person whose portal access the town revoked is no longer the association's voice
            lambda person: person.conseil_role
            and not (person.with_context(active_test=False).user_ids and not person.user_ids)
        )
        recipients = self.env["res.partner"]
        seen = set()
        for person in candidates:
            address = person.email_normalized
            if address and address not in seen:
                seen.add(address)
                recipients |= person
        return recipients

    def _conseil_mail_partner_to(self):
        """The template's ``partner_to``: the recipients' ids, comma separated."""
        return ",".join(str(partner_id) for partner_id in self._conseil_mail_partners().ids)

    def _conseil_mail_lang(self):
        """The association's language, else the town's."""
        association = self._conseil_mail_association().sudo()
        return association.partner_id.lang or association.company_id._conseil_lang()
