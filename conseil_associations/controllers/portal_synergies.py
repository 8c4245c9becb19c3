from odoo.addons.portal.controllers.portal import pager as portal_pager
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.fields import Domain
from odoo.http import request, route

from ..models.conseil_facts import LIVED_STATES
from .portal import ConseilPortal

OFFERS_PER_PAGE = 20
PARTNERSHIPS_PER_PAGE = 20
OFFER_TEXT_FIELDS = ("name", "offer_type", "description", "capacity_unit", "capacity_period")


class ConseilSynergiesPortal(ConseilPortal):
    """The associations' synergies: what they can offer, and the help the town proposes them to give."""

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        wanted = {"conseil_offer_count", "conseil_partnership_count", "conseil_proposal_count"} & set(
            counters
        )
        if counters and not wanted:
            return values
        associations = self._conseil_my_associations()
        Partnership = request.env["conseil.partnership"]
        if "conseil_offer_count" in wanted:
            values["conseil_offer_count"] = (
                request.env["conseil.offer"].search_count([]) if associations else 0
            )
        if "conseil_partnership_count" in wanted:
            domain = self._conseil_partnership_domain(associations)
            values["conseil_partnership_count"] = Partnership.search_count(domain) if associations else 0
        if "conseil_proposal_count" in wanted:
            domain = [("helper_id", "in", associations.ids), ("state", "=", "proposed")]
            values["conseil_proposal_count"] = Partnership.search_count(domain) if associations else 0
        return values

    # ------------------------------------------------------------
    # OFFERS
    # ------------------------------------------------------------

    def _offer_sortings(self):
        env = request.env
        return {
            "name": {"label": env._("Name"), "order": "name, id"},
            "type": {"label": env._("Type"), "order": "offer_type, name, id"},
            "date": {"label": env._("Newest"), "order": "create_date desc, id desc"},
        }

    def _offer_search_inputs(self):
        env = request.env
        return {
            "name": {"input": "name", "label": env._("Search in Offers")},
            "description": {"input": "description", "label": env._("Search in Descriptions")},
        }

    @route(
        ["/my/offers", "/my/offers/page/<int:page>"], type="http", auth="user", website=True, readonly=True
    )
    def portal_my_offers(self, page=1, sortby="name", search=None, search_in="name", saved=None, **kw):
        associations = self._conseil_my_associations()
        if not associations:
            return request.redirect("/my")
        Offer = request.env["conseil.offer"]
        sortings = self._offer_sortings()
        sortby = sortby if sortby in sortings else "name"
        inputs = self._offer_search_inputs()
        search_in = search_in if search_in in inputs else "name"
        domain = Domain("association_id", "in", associations.ids)
        if search:
            domain &= Domain(search_in, "ilike", search)
        count = Offer.search_count(domain)
        pager = portal_pager(
            url="/my/offers",
            url_args={"sortby": sortby, "search": search, "search_in": search_in},
            total=count,
            page=page,
            step=OFFERS_PER_PAGE,
        )
        offers = Offer.search(
            domain, order=sortings[sortby]["order"], limit=OFFERS_PER_PAGE, offset=pager["offset"]
        )
        values = {
            **self._prepare_portal_layout_values(),
            **self._offer_labels(),
            "page_name": "conseil_offers",
            "offers": offers.sudo(),
            "pager": pager,
            "default_url": "/my/offers",
            "searchbar_sortings": sortings,
            "sortby": sortby,
            "searchbar_inputs": inputs,
            "search_in": search_in,
            "search": search,
            "saved": saved,
        }
        return request.render("conseil_associations.portal_my_offers", values)

    @route(["/my/offers/new"], type="http", auth="user", website=True, methods=["GET", "POST"])
    def portal_offer_new(self, **post):
        associations = self._conseil_my_associations()
        if not associations:
            return request.redirect("/my")
        if request.httprequest.method != "POST":
            return self._render_offer_form(None, associations, {})
        try:
            association = self._offer_association(associations, post.get("association_id"))
            vals = self._offer_values(post)
            with request.env.cr.savepoint():
                request.env["conseil.offer"]._portal_create(association, vals)
        except (UserError, ValidationError, AccessError) as error:
            return self._render_offer_form(None, associations, post, error=error.args[0])
        return request.redirect("/my/offers?saved=1")

    @route(["/my/offers/<int:offer_id>"], type="http", auth="user", website=True, methods=["GET", "POST"])
    def portal_offer(self, offer_id, **post):
        offer = self._conseil_offer(offer_id)
        if offer is None:
            return request.redirect("/my")
        associations = self._conseil_my_associations()
        if request.httprequest.method != "POST":
            return self._render_offer_form(offer, associations, {})
        try:
            vals = self._offer_values(post)
            with request.env.cr.savepoint():
                offer._portal_update(vals)
        except (UserError, ValidationError, AccessError) as error:
            return self._render_offer_form(offer, associations, post, error=error.args[0])
        return request.redirect("/my/offers?saved=1")

    @route(["/my/offers/<int:offer_id>/archive"], type="http", auth="user", website=True, methods=["POST"])
    def portal_offer_archive(self, offer_id, **post):
        offer = self._conseil_offer(offer_id)
        if offer is None:
            return request.redirect("/my")
        try:
            with request.env.cr.savepoint():
                offer._portal_archive()
        except (UserError, ValidationError, AccessError) as error:
            return self._render_offer_form(offer, self._conseil_my_associations(), {}, error=error.args[0])
        return request.redirect("/my/offers?saved=1")

    def _conseil_offer(self, offer_id):
        """The offer, as the user reads it (its record rule), or None."""
        offer = request.env["conseil.offer"].browse(offer_id)
        try:
            self._document_check_access("conseil.offer", offer_id)
        except (AccessError, MissingError):
            return None
        return offer

    def _offer_association(self, associations, association_id):
        """The association the new offer is for: one of the user's, whatever id the form sends."""
        if len(associations) == 1 and not association_id:
            return associations
        try:
            association = associations.filtered(lambda record: record.id == int(association_id or 0))
        except ValueError:
            association = associations.browse()
        if not association:
            raise UserError(request.env._("Choose the association that offers."))
        return association

    def _offer_values(self, post):
        """The posted values, typed; the model checks what they may be."""
        vals = {name: post.get(name, "") for name in OFFER_TEXT_FIELDS}
        vals["offer_type"] = vals["offer_type"] or False
        vals["capacity"] = self._offer_number(post.get("capacity"))
        for name in ("date_from", "date_to"):
            vals[name] = self._parse_date(post.get(name))
        theme_ids = request.httprequest.form.getlist("theme_ids")
        try:
            vals["theme_ids"] = [int(theme_id) for theme_id in theme_ids]
        except ValueError:
            raise ValidationError(request.env._("Choose the themes among those of your commune.")) from None
        return vals

    def _offer_number(self, value):
        value = (value or "").strip().replace(",", ".")
        if not value:
            return 0.0
        try:
            return float(value)
        except ValueError:
            raise ValidationError(
                request.env._("%(value)s is not a number: write the capacity in figures.", value=value[:20])
            ) from None

    def _offer_labels(self):
        env = request.env
        Offer = env["conseil.offer"]
        return {
            "offer_types": Offer._fields["offer_type"]._description_selection(env),
            "offer_units": Offer._fields["capacity_unit"]._description_selection(env),
            "offer_periods": Offer._fields["capacity_period"]._description_selection(env),
        }

    def _render_offer_form(self, offer, associations, form, error=None):
        offer_sudo = offer.sudo() if offer else request.env["conseil.offer"]
        association = offer_sudo.association_id or associations[:1]
        themes = request.env["conseil.offer"]._portal_themes(association.sudo())
        if form:
            chosen = set(request.httprequest.form.getlist("theme_ids"))
        else:
            chosen = {str(theme_id) for theme_id in offer_sudo.theme_ids.ids}
        values = {
            **self._prepare_portal_layout_values(),
            **self._offer_labels(),
            "page_name": "conseil_offer",
            "offer": offer_sudo,
            "associations": associations.sudo(),
            "themes": themes,
            "chosen_themes": chosen,
            "form": form,
            "error": error,
        }
        return request.render("conseil_associations.portal_offer_form", values)

    # ------------------------------------------------------------
    # PARTNERSHIPS AND PROPOSALS
    # ------------------------------------------------------------

    def _conseil_partnership_domain(self, associations):
        """The helper sees the proposals made to it and its answers; the helped, the partnerships that happened."""
        return Domain("helper_id", "in", associations.ids) | (
            Domain("helped_id", "in", associations.ids) & Domain("state", "in", LIVED_STATES)
        )

    def _partnership_filters(self):
        env = request.env
        return {
            "all": {"label": env._("All"), "domain": Domain.TRUE},
            "proposed": {"label": env._("To Answer"), "domain": Domain("state", "=", "proposed")},
            "active": {"label": env._("Active"), "domain": Domain("state", "=", "active")},
        }

    def _partnership_sortings(self):
        env = request.env
        return {
            "date": {"label": env._("Newest"), "order": "date_start desc, id desc"},
            "state": {"label": env._("Status"), "order": "state, date_start desc, id desc"},
        }

    @route(
        ["/my/partnerships", "/my/partnerships/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
        readonly=True,
    )
    def portal_my_partnerships(
        self, page=1, sortby="date", filterby="all", search=None, search_in="name", **kw
    ):
        associations = self._conseil_my_associations()
        if not associations:
            return request.redirect("/my")
        Partnership = request.env["conseil.partnership"]
        sortings = self._partnership_sortings()
        sortby = sortby if sortby in sortings else "date"
        filters = self._partnership_filters()
        filterby = filterby if filterby in filters else "all"
        inputs = {"name": {"input": "name", "label": request.env._("Search in Partnerships")}}
        domain = self._conseil_partnership_domain(associations) & filters[filterby]["domain"]
        if search:
            domain &= Domain("name", "ilike", search)
        count = Partnership.search_count(domain)
        pager = portal_pager(
            url="/my/partnerships",
            url_args={"sortby": sortby, "filterby": filterby, "search": search, "search_in": search_in},
            total=count,
            page=page,
            step=PARTNERSHIPS_PER_PAGE,
        )
        partnerships = Partnership.search(
            domain, order=sortings[sortby]["order"], limit=PARTNERSHIPS_PER_PAGE, offset=pager["offset"]
        )
        values = {
            **self._prepare_portal_layout_values(),
            "page_name": "conseil_partnerships",
            "partnerships": partnerships.sudo(),
            "my_associations": associations,
            "states": dict(Partnership._fields["state"]._description_selection(request.env)),
            "pager": pager,
            "default_url": "/my/partnerships",
            "searchbar_sortings": sortings,
            "sortby": sortby,
            "searchbar_filters": filters,
            "filterby": filterby,
            "searchbar_inputs": inputs,
            "search_in": "name",
            "search": search,
        }
        return request.render("conseil_associations.portal_my_partnerships", values)

    @route(["/my/partnerships/<int:partnership_id>"], type="http", auth="public", website=True, readonly=True)
    def portal_partnership(self, partnership_id, access_token=None, answered=None, **kw):
        try:
            partnership_sudo = self._document_check_access(
                "conseil.partnership", partnership_id, access_token
            )
        except (AccessError, MissingError):
            return request.redirect("/my")
        return self._render_partnership(partnership_sudo, access_token, answered=answered)

    @route(
        ["/my/partnerships/<int:partnership_id>/accept"],
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_partnership_accept(self, partnership_id, **post):
        return self._answer(partnership_id, "accepted", lambda partnership: partnership._portal_accept())

    @route(
        ["/my/partnerships/<int:partnership_id>/decline"],
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_partnership_decline(self, partnership_id, reason="", **post):
        return self._answer(
            partnership_id, "declined", lambda partnership: partnership._portal_decline(reason), reason=reason
        )

    def _answer(self, partnership_id, answered, answer, reason=""):
        """Answer a proposal as the user: the model checks that they answer for the helping association."""
        partnership = request.env["conseil.partnership"].browse(partnership_id)
        try:
            self._document_check_access("conseil.partnership", partnership_id)
        except (AccessError, MissingError):
            return request.redirect("/my")
        try:
            with request.env.cr.savepoint():
                answer(partnership)
        except AccessError:
            return request.redirect("/my")
        except (UserError, ValidationError) as error:
            return self._render_partnership(partnership.sudo(), None, error=error.args[0], reason=reason)
        return request.redirect(f"/my/partnerships/{partnership.id}?answered={answered}")

    def _render_partnership(self, partnership_sudo, access_token, **values):
        """What the user may see of it: the helper sees what is asked, and whom to call once it accepted."""
        partnership = partnership_sudo.sudo(False)
        user_partner = request.env.user.partner_id.commercial_partner_id
        is_helper = partnership_sudo.helper_id.partner_id == user_partner
        is_helped = partnership_sudo.helped_id.partner_id == user_partner
        if is_helped and not is_helper and partnership_sudo.state not in LIVED_STATES:
            return request.redirect("/my")
        lived = partnership_sudo.state in LIVED_STATES
        other = partnership_sudo.helped_id if is_helper else partnership_sudo.helper_id
        contacts = other.partner_id.child_ids.filtered(lambda partner: partner.type == "contact")
        values = {
            **self._prepare_portal_layout_values(),
            **self._get_page_view_values(
                partnership_sudo, access_token, values, "my_partnerships_history", False
            ),
            "page_name": "conseil_partnership",
            "partnership": partnership_sudo,
            "need": partnership_sudo.need_id,
            "is_helper": is_helper,
            "can_answer": is_helper
            and partnership_sudo.state == "proposed"
            and not request.env.user._is_public(),
            "contacts_shared": lived and (is_helper or is_helped),
            "contacts": contacts if lived and (is_helper or is_helped) else contacts.browse(),
            "states": dict(partnership._fields["state"]._description_selection(request.env)),
            "roles": dict(
                request.env["res.partner"]._fields["conseil_role"]._description_selection(request.env)
            ),
            "access_token": access_token,
        }
        return request.render("conseil_associations.portal_partnership_page", values)
