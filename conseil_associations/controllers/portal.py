import base64

from odoo import fields
from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.http import request, route

from ..models.conseil_association import PORTAL_PROPOSABLE
from ..models.conseil_association_document import MAX_FILE_SIZE

INTEGER_FIELDS = ("volunteer_count", "senior_volunteer_count", "beneficiary_count")


class ConseilPortal(CustomerPortal):
    """The associations' side: their record and their documents, for their own people only.

    The pages that only read (lists, records, figures) are ``readonly`` routes: with a read replica configured
    (``db_replica_host``), Odoo serves them from it; every action (a POST) runs on the primary.
    """

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        Association = request.env["conseil.association"]
        if not counters:
            # /my itself: an association's people see its cards even when a count is still 0
            # (their first need, their first offer); other users (customers, the town's staff) never see them
            values["conseil_portal_member"] = bool(self._conseil_my_associations())
        if "conseil_association_count" in counters:
            values["conseil_association_count"] = len(self._conseil_my_associations())
        if "conseil_document_count" in counters:
            # the kinds of documents the town still waits for, missing or expired
            associations = self._conseil_my_associations()
            lacking = associations._documents_lacking(fields.Date.context_today(Association))
            values["conseil_document_count"] = sum(len(kinds) for kinds in lacking.values())
        return values

    # ------------------------------------------------------------
    # ACCESS
    # ------------------------------------------------------------

    def _conseil_my_associations(self):
        """The associations the user is one of the people of (a contact of), as the user reads them."""
        Association = request.env["conseil.association"]
        if not Association.has_access("read"):
            return Association
        partner = request.env.user.partner_id.commercial_partner_id
        return Association.search([("partner_id", "=", partner.id)])

    def _conseil_association(self, association_id):
        """The association, as the user reads it (its record rule), or None: sudo() only for display, after."""
        try:
            self._document_check_access("conseil.association", association_id)
        except (AccessError, MissingError):
            return None
        return request.env["conseil.association"].browse(association_id)

    def _conseil_values(self, association, page_name, **values):
        association_sudo = association.sudo()
        env = request.env
        return {
            **self._prepare_portal_layout_values(),
            "page_name": page_name,
            "association": association,
            "association_sudo": association_sudo,
            "people": association_sudo.partner_id.child_ids.filtered(
                lambda partner: partner.type == "contact"
            ),
            "roles": dict(env["res.partner"]._fields["conseil_role"]._description_selection(env)),
            "labels": {
                name: association._fields[name]._description_string(env) for name in PORTAL_PROPOSABLE
            },
            **values,
        }

    # ------------------------------------------------------------
    # MY ASSOCIATION
    # ------------------------------------------------------------

    @route(["/my/associations"], type="http", auth="user", website=True, readonly=True)
    def portal_my_associations(self, **kw):
        associations = self._conseil_my_associations()
        if len(associations) == 1:
            return request.redirect(f"/my/associations/{associations.id}")
        values = {
            **self._prepare_portal_layout_values(),
            "page_name": "conseil_associations",
            "associations": associations.sudo(),
        }
        return request.render("conseil_associations.portal_my_associations", values)

    @route(["/my/associations/<int:association_id>"], type="http", auth="user", website=True, readonly=True)
    def portal_my_association(self, association_id, proposed=None, **kw):
        association = self._conseil_association(association_id)
        if association is None:
            return request.redirect("/my")
        return request.render(
            "conseil_associations.portal_my_association",
            self._conseil_values(association, "conseil_association", proposed=bool(proposed), form={}),
        )

    @route(
        ["/my/associations/<int:association_id>/propose"],
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_propose_change(self, association_id, **post):
        association = self._conseil_association(association_id)
        if association is None:
            return request.redirect("/my")
        comment = post.pop("comment", "")
        people = self._proposal_people(post)
        try:
            vals = self._proposal_values(association, post)
            with request.env.cr.savepoint():
                association._portal_propose_change(vals, comment, people)
        except (UserError, ValidationError, AccessError) as error:
            return request.render(
                "conseil_associations.portal_my_association",
                self._conseil_values(
                    association, "conseil_association", error=error.args[0], form={**post, "comment": comment}
                ),
            )
        return request.redirect(f"/my/associations/{association.id}?proposed=1")

    def _proposal_people(self, post):
        """{contact id or "new": {field: value}} from the ``person_<id>_<field>`` inputs, taken out of ``post``."""
        people = {}
        for key in [key for key in post if key.startswith("person_")]:
            __, person, name = key.split("_", 2)
            people.setdefault(person, {})[name] = post.pop(key)
        return people

    def _proposal_values(self, association, post):
        """The proposed values, typed; identifiers and unknown fields go to the model, which refuses them."""
        vals = {}
        for name, value in post.items():
            if name == "csrf_token":
                continue
            if name in INTEGER_FIELDS:
                try:
                    vals[name] = int(value.strip() or 0)
                except ValueError:
                    raise ValidationError(
                        request.env._(
                            "%(field)s is a whole number.",
                            field=association._fields[name]._description_string(request.env),
                        )
                    ) from None
            else:
                vals[name] = value
        return vals

    # ------------------------------------------------------------
    # DOCUMENTS
    # ------------------------------------------------------------

    @route(["/my/documents"], type="http", auth="user", website=True, readonly=True)
    def portal_my_documents(self, **kw):
        associations = self._conseil_my_associations()
        if len(associations) == 1:
            return request.redirect(f"/my/associations/{associations.id}/documents")
        return request.redirect("/my/associations")

    @route(
        ["/my/associations/<int:association_id>/documents"],
        type="http",
        auth="user",
        website=True,
        readonly=True,
    )
    def portal_association_documents(self, association_id, uploaded=None, **kw):
        association = self._conseil_association(association_id)
        if association is None:
            return request.redirect("/my")
        return request.render(
            "conseil_associations.portal_association_documents",
            self._document_values(association, uploaded=bool(uploaded)),
        )

    @route(
        ["/my/associations/<int:association_id>/documents/upload"],
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_upload_document(self, association_id, kind=None, file=None, date_expiry=None, **kw):
        association = self._conseil_association(association_id)
        if association is None:
            return request.redirect("/my")
        Document = request.env["conseil.association.document"]
        try:
            content = file.read(MAX_FILE_SIZE + 1) if hasattr(file, "read") else b""
            if not content:
                raise ValidationError(request.env._("Choose the file to send."))
            day = self._parse_date(date_expiry)
            with request.env.cr.savepoint():
                Document._portal_upload(
                    association, kind, base64.b64encode(content), getattr(file, "filename", ""), day
                )
        except (UserError, ValidationError, AccessError) as error:
            return request.render(
                "conseil_associations.portal_association_documents",
                self._document_values(association, error=error.args[0]),
            )
        return request.redirect(f"/my/associations/{association.id}/documents?uploaded=1")

    def _parse_date(self, value):
        if not value:
            return False
        try:
            return fields.Date.to_date(value.strip())
        except ValueError:
            raise ValidationError(
                request.env._("%(value)s is not a date: use the date picker.", value=value[:20])
            ) from None

    def _document_values(self, association, **values):
        """One line per kind: its current version (read as the user), its validity, or missing."""
        Document = request.env["conseil.association.document"]
        documents = Document.search([("association_id", "=", association.id)])
        current = {document.kind: document for document in documents}
        kinds = Document._fields["kind"]._description_selection(request.env)
        states = dict(Document._fields["validity_state"]._description_selection(request.env))
        lines = [
            {
                "kind": kind,
                "label": label,
                "document": current.get(kind),
                "state": current[kind].validity_state if kind in current else "missing",
                "state_label": states[current[kind].validity_state]
                if kind in current
                else request.env._("Missing"),
            }
            for kind, label in kinds
        ]
        return self._conseil_values(association, "conseil_documents", lines=lines, kinds=kinds, **values)
