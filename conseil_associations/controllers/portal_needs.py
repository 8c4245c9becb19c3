from odoo import fields
from odoo.addons.portal.controllers.portal import pager as portal_pager
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.fields import Domain
from odoo.http import request, route
from odoo.tools import html2plaintext

from ..models.conseil_need import DECIDED_STATES, LEAD_DAYS_SETTINGS, OPEN_STATES, PORTAL_TERMS
from .portal import ConseilPortal

NUMBER_FIELDS = {"quantity": float, "beneficiaries_affected": int}
DATE_FIELDS = ("date_from", "date_to")
LETTER = "conseil_associations.action_report_decision_letter"


class ConseilNeedsPortal(ConseilPortal):
    """The needs of an association on the portal: recorded, submitted with the town's lead time, followed."""

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "conseil_need_count" in counters:
            Need = request.env["conseil.need"]
            values["conseil_need_count"] = (
                Need.search_count(self._conseil_needs_domain()) if Need.has_access("read") else 0
            )
        return values

    def _conseil_needs_domain(self):
        """The needs of the associations the user is a person of, whoever the user is (an officer has none)."""
        partner = request.env.user.partner_id.commercial_partner_id
        return Domain("association_id.partner_id", "=", partner.id)

    # ------------------------------------------------------------
    # LIST
    # ------------------------------------------------------------

    def _conseil_need_sortings(self):
        env = request.env
        return {
            "date": {"label": env._("Newest"), "order": "raised_on desc, id desc"},
            "wanted": {"label": env._("Wanted From"), "order": "date_from desc, id desc"},
            "state": {"label": env._("Status"), "order": "state, raised_on desc"},
            "name": {"label": env._("Name"), "order": "name, id"},
        }

    def _conseil_need_filters(self):
        env = request.env
        return {
            "all": {"label": env._("All"), "domain": Domain.TRUE},
            "open": {
                "label": env._("Awaiting a Decision"),
                "domain": Domain("state", "in", ("draft", *OPEN_STATES)),
            },
            "decided": {
                "label": env._("Decided"),
                "domain": Domain("state", "in", (*DECIDED_STATES, "fulfilled", "closed")),
            },
        }

    def _conseil_need_search_inputs(self):
        env = request.env
        return {
            "name": {"input": "name", "label": env._("Search in Name")},
            "decision": {"input": "decision", "label": env._("Search in Decision Reference")},
        }

    def _conseil_need_search_domain(self, search_in, search):
        if search_in == "decision":
            return Domain("decision_id.reference", "ilike", search)
        return Domain("name", "ilike", search)

    @route(["/my/needs", "/my/needs/page/<int:page>"], type="http", auth="user", website=True, readonly=True)
    def portal_my_needs(self, page=1, sortby=None, filterby=None, search=None, search_in="name", **kw):
        Need = request.env["conseil.need"]
        sortings = self._conseil_need_sortings()
        filters = self._conseil_need_filters()
        inputs = self._conseil_need_search_inputs()
        sortby = sortby if sortby in sortings else "date"
        filterby = filterby if filterby in filters else "all"
        search_in = search_in if search_in in inputs else "name"
        domain = self._conseil_needs_domain() & filters[filterby]["domain"]
        if search:
            domain &= self._conseil_need_search_domain(search_in, search)
        readable = Need.has_access("read")
        count = Need.search_count(domain) if readable else 0
        pager = portal_pager(
            url="/my/needs",
            url_args={"sortby": sortby, "filterby": filterby, "search_in": search_in, "search": search},
            total=count,
            page=page,
            step=self._items_per_page,
        )
        needs = (
            Need.search(
                domain, order=sortings[sortby]["order"], limit=self._items_per_page, offset=pager["offset"]
            )
            if readable
            else Need
        )
        request.session["my_needs_history"] = needs.ids[:100]
        values = {
            **self._prepare_portal_layout_values(),
            "page_name": "conseil_needs",
            "needs": needs,
            "pager": pager,
            "default_url": "/my/needs",
            "searchbar_sortings": sortings,
            "sortby": sortby,
            "searchbar_filters": filters,
            "filterby": filterby,
            "searchbar_inputs": inputs,
            "search_in": search_in,
            "search": search,
            "associations": self._conseil_my_associations(),
            "states": self._conseil_selection("state"),
            "kinds": self._conseil_selection("need_type"),
        }
        return request.render("conseil_associations.portal_my_needs", values)

    # ------------------------------------------------------------
    # NEW NEED
    # ------------------------------------------------------------

    @route(["/my/needs/new"], type="http", auth="user", website=True, methods=["GET", "POST"])
    def portal_new_need(self, association_id=None, **post):
        associations = self._conseil_my_associations()
        if not associations:
            return request.redirect("/my")
        if request.httprequest.method != "POST":
            return self._render_need_form(associations, form={"association_id": associations[:1].id})
        association = self._conseil_posted_association(associations, association_id)
        if association is None:
            return request.redirect("/my")
        try:
            vals = self._need_values(post)
            with request.env.cr.savepoint():
                need = request.env["conseil.need"]._portal_create(association, vals)
        except (UserError, ValidationError, AccessError) as error:
            return self._render_need_form(
                associations, form={**post, "association_id": association.id}, error=error.args[0]
            )
        return request.redirect(f"/my/needs/{need.id}?saved=1")

    def _conseil_posted_association(self, associations, association_id):
        """The association chosen on the form, among the user's own (read with their rights), else None."""
        try:
            wanted = int(association_id) if association_id else associations[:1].id
        except ValueError:
            return None
        association = associations.filtered(lambda a: a.id == wanted)
        return association or None

    def _render_need_form(self, associations, need=None, form=None, error=None):
        values = {
            **self._prepare_portal_layout_values(),
            "page_name": "conseil_need_new" if need is None else "conseil_need",
            "need": need,
            "associations": associations,
            "form": form or {},
            "error": error,
            **self._conseil_need_choices(),
        }
        return request.render("conseil_associations.portal_need_form", values)

    def _conseil_need_choices(self):
        Need = request.env["conseil.need"]
        company = self._conseil_my_associations()[:1].sudo().company_id or request.env.company
        lead_times = []
        for kind, label in self._conseil_selection("need_type").items():
            if kind in LEAD_DAYS_SETTINGS:
                sentence = Need.new({"need_type": kind, "company_id": company.id})._lead_time_sentence()
                if sentence:
                    lead_times.append((kind, label, sentence))
        return {
            "kinds": self._conseil_selection("need_type"),
            "units": self._conseil_selection("unit"),
            "priorities": self._conseil_selection("priority"),
            "lead_times": lead_times,
        }

    def _conseil_selection(self, name):
        Need = request.env["conseil.need"]
        return dict(Need._fields[name]._description_selection(request.env))

    def _need_values(self, post):
        """The terms as typed on the form, typed for the model, which checks them as the back office does."""
        env = request.env
        Need = env["conseil.need"]
        vals = {}
        for name in PORTAL_TERMS:
            value = (post.get(name) or "").strip()
            if name == "is_urgent":
                vals[name] = bool(value)
            elif name in NUMBER_FIELDS:
                try:
                    vals[name] = NUMBER_FIELDS[name](value.replace(",", ".")) if value else 0
                except ValueError:
                    raise ValidationError(
                        env._("%(field)s is a number.", field=Need._fields[name]._description_string(env))
                    ) from None
            elif name in DATE_FIELDS:
                vals[name] = self._parse_need_date(Need, name, value)
            else:
                vals[name] = value or False
        if not vals["is_urgent"]:
            vals["urgent_reason"] = False
        return vals

    def _parse_need_date(self, Need, name, value):
        if not value:
            return False
        try:
            return fields.Date.to_date(value)
        except ValueError:
            raise ValidationError(
                request.env._(
                    "%(field)s: %(value)s is not a date, use the date picker.",
                    field=Need._fields[name]._description_string(request.env),
                    value=value[:20],
                )
            ) from None

    # ------------------------------------------------------------
    # ONE NEED
    # ------------------------------------------------------------

    def _conseil_need(self, need_id, access_token=None):
        """The need as the user may see it (theirs, or a shared link), sudo for display; None otherwise."""
        try:
            return self._document_check_access("conseil.need", need_id, access_token=access_token)
        except (AccessError, MissingError):
            return None

    def _conseil_own_need(self, need_id):
        """The need, read as the user (its record rule): the portal's actions never go by a link's token."""
        need = request.env["conseil.need"].browse(need_id)
        try:
            need.check_access("read")
        except (AccessError, MissingError):
            return None
        return need if need.exists() else None

    @route(["/my/needs/<int:need_id>"], type="http", auth="public", website=True, readonly=True)
    def portal_my_need(self, need_id, access_token=None, saved=None, submitted=None, **kw):
        need_sudo = self._conseil_need(need_id, access_token)
        if need_sudo is None:
            return request.redirect("/my")
        own = self._conseil_own_need(need_id)
        if own is not None and need_sudo.state == "draft" and kw.get("edit"):
            return self._render_need_form(
                self._conseil_my_associations(), need=own, form=self._need_form(own)
            )
        return request.render(
            "conseil_associations.portal_my_need",
            self._need_page_values(need_sudo, own, access_token, saved=saved, submitted=submitted),
        )

    def _need_page_values(self, need_sudo, own, access_token, error=None, **kw):
        values = {
            **self._prepare_portal_layout_values(),
            "page_name": "conseil_need",
            "need": need_sudo,
            "can_change": own is not None and need_sudo.state == "draft",
            "decision": need_sudo.decision_id.filtered(lambda d: d.state == "done"),
            "states": self._conseil_selection("state"),
            "kinds": self._conseil_selection("need_type"),
            "units": self._conseil_selection("unit"),
            "priorities": self._conseil_selection("priority"),
            "outcomes": dict(
                request.env["conseil.decision"]._fields["outcome"]._description_selection(request.env)
            ),
            "description_text": html2plaintext(need_sudo.description or ""),
            "saved": bool(kw.get("saved")),
            "submitted": bool(kw.get("submitted")),
            "error": error,
        }
        # the shared link's key lets the chatter post for the association's people, as Odoo's portal pages do
        token = access_token or (own is not None and need_sudo._portal_ensure_token())
        return self._get_page_view_values(need_sudo, token, values, "my_needs_history", False)

    def _need_form(self, need):
        need_sudo = need.sudo()
        form = {name: need_sudo[name] for name in PORTAL_TERMS}
        form["description"] = html2plaintext(need_sudo.description or "")
        form["association_id"] = need_sudo.association_id.id
        return form

    @route(["/my/needs/<int:need_id>/edit"], type="http", auth="user", website=True, methods=["POST"])
    def portal_edit_need(self, need_id, **post):
        need = self._conseil_own_need(need_id)
        if need is None:
            return request.redirect("/my")
        post.pop("association_id", None)  # a need stays with its association
        try:
            vals = self._need_values(post)
            with request.env.cr.savepoint():
                need._portal_update(vals)
        except (UserError, ValidationError, AccessError) as error:
            form = {**post, "association_id": need.sudo().association_id.id}
            return self._render_need_form(
                self._conseil_my_associations(), need=need, form=form, error=error.args[0]
            )
        return request.redirect(f"/my/needs/{need.id}?saved=1")

    @route(["/my/needs/<int:need_id>/submit"], type="http", auth="user", website=True, methods=["POST"])
    def portal_submit_need(self, need_id, **post):
        return self._need_action(need_id, "_portal_submit", "submitted=1")

    @route(["/my/needs/<int:need_id>/cancel"], type="http", auth="user", website=True, methods=["POST"])
    def portal_cancel_need(self, need_id, **post):
        return self._need_action(need_id, "_portal_cancel", "saved=1")

    def _need_action(self, need_id, method, flag):
        need = self._conseil_own_need(need_id)
        if need is None:
            return request.redirect("/my")
        try:
            with request.env.cr.savepoint():
                getattr(need, method)()
        except (UserError, ValidationError, AccessError) as error:
            return request.render(
                "conseil_associations.portal_my_need",
                self._need_page_values(need.sudo(), need, None, error=error.args[0]),
            )
        return request.redirect(f"/my/needs/{need.id}?{flag}")

    # ------------------------------------------------------------
    # DECISION LETTER
    # ------------------------------------------------------------

    @route(["/my/decisions/<int:decision_id>"], type="http", auth="public", website=True)
    def portal_my_decision(self, decision_id, access_token=None, report_type=None, download=False, **kw):
        """The letter of a recorded decision: for its association's people, or whoever holds its link."""
        try:
            decision_sudo = self._document_check_access("conseil.decision", decision_id, access_token)
        except (AccessError, MissingError):
            return request.redirect("/my")
        if decision_sudo.state != "done":
            return request.redirect("/my")
        if (
            report_type not in ("html", "pdf")
            and self._conseil_own_need(decision_sudo.need_id.id) is not None
        ):
            return request.redirect(f"/my/needs/{decision_sudo.need_id.id}#conseil_decision")
        return self._show_report(
            decision_sudo, report_type if report_type in ("html", "pdf") else "pdf", LETTER, download=download
        )
