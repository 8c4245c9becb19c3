from collections import OrderedDict

from odoo import fields
from odoo.addons.portal.controllers.portal import pager as portal_pager
from odoo.exceptions import AccessError, MissingError
from odoo.fields import Domain
from odoo.http import content_disposition, request, route

from ..models.conseil_facts import VALUED_STATES
from ..models.conseil_guarded import DATES
from .portal import ConseilPortal

OPEN_STATES = ("requested", "approved", "in_progress")
STATEMENT_REPORT = "conseil_associations.action_report_in_kind_statement"


class ConseilLoanPortal(ConseilPortal):
    """The associations' loans and aid: read only, their own association's, with the commune's hours."""

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        env = request.env
        if "conseil_loan_count" in counters:
            Loan = env["conseil.loan"]
            values["conseil_loan_count"] = (
                Loan.search_count([("state", "in", OPEN_STATES)]) if Loan.has_access("read") else 0
            )
        if "conseil_aid_count" in counters:
            values["conseil_aid_count"] = self._conseil_aid_count()
        return values

    def _conseil_aid_count(self):
        """Aid received, every year: subsidies and loans already lent, as the user reads them."""
        Loan, Subsidy = request.env["conseil.loan"], request.env["conseil.subsidy"]
        if not (Loan.has_access("read") and Subsidy.has_access("read")):
            return 0
        valued = [("state", "in", VALUED_STATES), ("date_start", "<=", fields.Datetime.now())]
        return Loan.search_count(valued) + Subsidy.search_count([])

    # ------------------------------------------------------------
    # LOANS
    # ------------------------------------------------------------

    def _loan_searchbar_sortings(self):
        return {
            "date": {"label": request.env._("Newest"), "order": "date_start desc, id desc"},
            "state": {"label": request.env._("Status"), "order": "state, date_start desc, id desc"},
        }

    def _loan_searchbar_filters(self):
        now = fields.Datetime.now()
        coming = [("state", "in", ("draft", "requested", "approved")), ("date_start", ">", now)]
        current = [
            "|",
            ("state", "=", "in_progress"),
            "&",
            ("state", "=", "approved"),
            ("date_start", "<=", now),
        ]
        past, refused = [("state", "=", "returned")], [("state", "=", "refused")]
        env = request.env
        return {
            "all": {"label": env._("All"), "domain": []},
            "coming": {"label": env._("To Come"), "domain": coming},
            "current": {"label": env._("In Progress"), "domain": current},
            "past": {"label": env._("Past"), "domain": past},
            "refused": {"label": env._("Refused"), "domain": refused},
        }

    def _loan_searchbar_inputs(self):
        return {
            "all": {
                "input": "all",
                "label": request.env._("Search in Reference and Resource"),
                "sequence": 10,
            },
            "name": {"input": "name", "label": request.env._("Search in Reference"), "sequence": 20},
            "resource": {"input": "resource", "label": request.env._("Search in Resource"), "sequence": 30},
        }

    def _loan_search_domain(self, search_in, search):
        """Resources are searched under sudo among the user's own loans: the user cannot read agents."""
        if not search:
            return []
        by_name = [("name", "ilike", search)]
        if search_in == "name":
            return by_name
        own = request.env["conseil.loan"].search([])  # the record rule: the user's association's loans
        matching = (
            request.env["conseil.loan"]
            .sudo()
            .search(
                [
                    ("id", "in", own.ids),
                    "|",
                    "|",
                    "|",
                    "|",
                    ("room_id.name", "ilike", search),
                    ("vehicle_id.license_plate", "ilike", search),
                    ("vehicle_id.model_id.name", "ilike", search),
                    ("vehicle_id.model_id.brand_id.name", "ilike", search),
                    ("employee_id.name", "ilike", search),
                ]
            )
        )
        by_resource = [("id", "in", matching.ids)]
        return by_resource if search_in == "resource" else Domain.OR([by_name, by_resource])

    @route(["/my/loans", "/my/loans/page/<int:page>"], type="http", auth="user", website=True, readonly=True)
    def portal_my_loans(self, page=1, sortby=None, filterby=None, search=None, search_in="all", **kw):
        Loan = request.env["conseil.loan"]
        sortings = self._loan_searchbar_sortings()
        filters = self._loan_searchbar_filters()
        inputs = self._loan_searchbar_inputs()
        sortby = sortby if sortby in sortings else "date"
        filterby = filterby if filterby in filters else "all"
        search_in = search_in if search_in in inputs else "all"
        search = (search or "").strip()[:64]
        if not Loan.has_access("read"):
            return request.redirect("/my")
        domain = Domain.AND([filters[filterby]["domain"], self._loan_search_domain(search_in, search)])
        pager = portal_pager(
            url="/my/loans",
            url_args={"sortby": sortby, "filterby": filterby, "search_in": search_in, "search": search},
            total=Loan.search_count(domain),
            page=page,
            step=self._items_per_page,
        )
        loans = Loan.search(
            domain, order=sortings[sortby]["order"], limit=self._items_per_page, offset=pager["offset"]
        )
        request.session["my_loans_history"] = loans.ids[:100]
        values = {
            **self._prepare_portal_layout_values(),
            "page_name": "conseil_loans",
            "loans": [self._loan_line(loan) for loan in loans.sudo()],
            "pager": pager,
            "default_url": "/my/loans",
            "searchbar_sortings": sortings,
            "sortby": sortby,
            "searchbar_filters": OrderedDict(filters),
            "filterby": filterby,
            "searchbar_inputs": inputs,
            "search_in": search_in,
            "search": search,
        }
        return request.render("conseil_associations.portal_my_loans", values)

    def _loan_line(self, loan_sudo):
        """What the list shows of a loan: fields of the loan, and of its resource only what _portal_resource
        gives."""
        name, detail = loan_sudo._portal_resource()
        return {
            "loan": loan_sudo,
            "resource": name,
            "resource_detail": detail,
            "start": loan_sudo._portal_when(loan_sudo.date_start),
            "end": loan_sudo._portal_when(loan_sudo.date_end),
        }

    @route(["/my/loans/<int:loan_id>"], type="http", auth="public", website=True, readonly=True)
    def portal_my_loan(self, loan_id, access_token=None, **kw):
        try:
            loan_sudo = self._document_check_access("conseil.loan", loan_id, access_token=access_token)
        except (AccessError, MissingError):
            return request.redirect("/my")
        # the chatter needs a token to post: the association writes to the town hall there
        token = loan_sudo._portal_ensure_token()
        values = {
            **self._loan_line(loan_sudo),
            "page_name": "conseil_loan",
            "steps": loan_sudo._portal_next_steps(),
            "key_handover": loan_sudo._portal_when(loan_sudo.key_handover_time),
            "returned_at": loan_sudo._portal_when(loan_sudo.actual_return_time),
            "need_url": self._readable_url(loan_sudo.need_id, access_token),
            "decision_url": self._readable_url(loan_sudo.decision_id, access_token),
        }
        values = self._get_page_view_values(loan_sudo, access_token, values, "my_loans_history", False, **kw)
        values.setdefault("token", token)
        return request.render("conseil_associations.portal_my_loan", values)

    def _readable_url(self, record_sudo, access_token):
        """The portal page of the need or decision, when the visitor may open it (a token opens the loan only)."""
        if not record_sudo or (
            access_token and not record_sudo.with_user(request.env.user).has_access("read")
        ):
            return ""
        return record_sudo.access_url

    # ------------------------------------------------------------
    # AID
    # ------------------------------------------------------------

    def _conseil_aid_association(self, association_id=None):
        """The association whose aid is shown: the one asked for if the user reads it, else the user's first."""
        Association = request.env["conseil.association"]
        if not Association.has_access("read"):
            return Association
        if association_id:
            try:
                self._document_check_access("conseil.association", int(association_id))
            except (AccessError, MissingError, ValueError):
                return Association
            return Association.browse(int(association_id))
        return Association.search([], limit=1)

    def _aid_years(self, association):
        """The years in which the association received aid, newest first (read as the user)."""
        loans = request.env["conseil.loan"]._read_group(
            [
                ("association_id", "=", association.id),
                ("state", "in", VALUED_STATES),
                ("date_start", "<=", fields.Datetime.now()),
            ],
            ["year_first", "year_last"],
        )
        subsidies = request.env["conseil.subsidy"]._read_group(
            [("association_id", "=", association.id)], ["year"]
        )
        # a loan counts in every year it covers
        years = {year for first, last in loans if first for year in range(first, last + 1)} | {
            year for (year,) in subsidies
        }
        return sorted(years, reverse=True)

    @staticmethod
    def _aid_year(year):
        """The year asked for when it is a plausible one, else the current one."""
        try:
            year = int(year)
        except (TypeError, ValueError):
            return fields.Date.today().year
        return year if DATES[0].year <= year < DATES[1].year else fields.Date.today().year

    @route(["/my/aid"], type="http", auth="user", website=True, readonly=True)
    def portal_my_aid(self, year=None, association_id=None, **kw):
        association = self._conseil_aid_association(association_id)
        if not association:
            return request.redirect("/my")
        year = self._aid_year(year)
        statement = association._statement_lines(year)
        subsidies = request.env["conseil.subsidy"].search(
            [("association_id", "=", association.id), ("year", "=", year)], order="convention_date, id"
        )
        values = {
            **self._prepare_portal_layout_values(),
            "page_name": "conseil_aid",
            "association_sudo": association.sudo(),
            "associations": request.env["conseil.association"].search([]).sudo(),
            "year": year,
            "years": sorted(set(self._aid_years(association)) | {year}, reverse=True),
            "in_kind": [
                {**self._loan_line(line["loan"].sudo()), "year_value": line["value"]}
                for line in statement["lines"]
            ],
            "in_kind_total": statement["total"],
            "subsidies": subsidies.sudo(),
            "subsidy_total": sum(subsidies.mapped("amount")),
            "payment_conditions": dict(
                subsidies._fields["payment_conditions"]._description_selection(request.env)
            ),
            "currency": association.sudo().currency_id,
        }
        return request.render("conseil_associations.portal_my_aid", values)

    @route(
        ["/my/aid/<int:association_id>/statement/<int:year>"],
        type="http",
        auth="user",
        website=True,
        readonly=True,
    )
    def portal_aid_statement(self, association_id, year, **kw):
        """The yearly in-kind statement, as the town hall prints it: only the user's association, that year."""
        association = self._conseil_aid_association(association_id)
        if not association or self._aid_year(year) != year:
            return request.redirect("/my")
        if not association._statement_lines(year)["loans"]:
            return request.redirect(f"/my/aid?year={year}")
        association_sudo = association.sudo()
        report, report_type = (
            request.env["ir.actions.report"]
            .sudo()
            .with_company(association_sudo.company_id)
            ._render_qweb_pdf(
                STATEMENT_REPORT, [association.id], data={"year": year, "association_ids": [association.id]}
            )
        )
        filename = request.env._(
            "In-kind statement %(year)s - %(association)s", year=year, association=association_sudo.name
        )
        headers = [
            ("Content-Type", "application/pdf" if report_type == "pdf" else "text/html"),
            ("Content-Length", len(report)),
        ]
        if report_type == "pdf":
            headers.append(("Content-Disposition", content_disposition(f"{filename.replace('/', '-')}.pdf")))
        return request.make_response(report, headers=headers)
