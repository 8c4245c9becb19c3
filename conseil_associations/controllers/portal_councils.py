from odoo import fields
from odoo.addons.portal.controllers.portal import pager as portal_pager
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.http import request, route
from odoo.tools import format_datetime

from ..models.conseil_guarded import long_date
from ..models.conseil_meeting_attendance import PORTAL_REPORT_FIELDS
from .portal import ConseilPortal

# The commune's clock when it has none of its own: the addon serves French towns.
TOWN_TZ = "Europe/Paris"


class ConseilCouncilsPortal(ConseilPortal):
    """The councils an association is invited to: answer the invitation, send the progress report."""

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "conseil_council_count" in counters:
            Attendance = request.env["conseil.meeting.attendance"]
            values["conseil_council_count"] = (
                Attendance.search_count(self._council_upcoming_domain())
                if Attendance.has_access("read")
                else 0
            )
        return values

    # ------------------------------------------------------------
    # LIST
    # ------------------------------------------------------------

    def _council_upcoming_domain(self):
        return [("meeting_state", "=", "planned"), ("meeting_date", ">", fields.Datetime.now())]

    def _council_past_domain(self):
        return ["|", ("meeting_date", "<=", fields.Datetime.now()), ("meeting_state", "!=", "planned")]

    def _council_searchbar_filters(self):
        env = request.env
        return {
            "upcoming": {"label": env._("Upcoming"), "domain": self._council_upcoming_domain()},
            "past": {"label": env._("Past"), "domain": self._council_past_domain()},
            "all": {"label": env._("All"), "domain": []},
        }

    def _council_searchbar_sortings(self):
        env = request.env
        return {
            "soonest": {"label": env._("Soonest first"), "order": "meeting_date asc, id"},
            "latest": {"label": env._("Latest first"), "order": "meeting_date desc, id desc"},
            "state": {"label": env._("Answer"), "order": "state, meeting_date asc, id"},
        }

    def _council_searchbar_inputs(self):
        env = request.env
        return {
            "session": {"input": "session", "label": env._("Search in Sessions"), "sequence": 1},
            "place": {"input": "place", "label": env._("Search in Places"), "sequence": 2},
        }

    @route(
        ["/my/councils", "/my/councils/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
        readonly=True,
    )
    def portal_my_councils(self, page=1, sortby=None, filterby=None, search=None, search_in="session", **kw):
        Attendance = request.env["conseil.meeting.attendance"]
        filters = self._council_searchbar_filters()
        sortings = self._council_searchbar_sortings()
        inputs = self._council_searchbar_inputs()
        filterby = filterby if filterby in filters else "upcoming"
        sortby = sortby if sortby in sortings else ("soonest" if filterby == "upcoming" else "latest")
        search_in = search_in if search_in in inputs else "session"
        domain = list(filters[filterby]["domain"])
        if search:
            field = "meeting_id.location" if search_in == "place" else "meeting_id.name"
            domain.append((field, "ilike", search))
        readable = Attendance.has_access("read")
        count = Attendance.search_count(domain) if readable else 0
        pager = portal_pager(
            url="/my/councils",
            url_args={"sortby": sortby, "filterby": filterby, "search": search, "search_in": search_in},
            total=count,
            page=page,
            step=self._items_per_page,
        )
        lines = (
            Attendance.search(domain, order=sortings[sortby]["order"], limit=self._items_per_page,
                              offset=pager["offset"])
            if readable
            else Attendance
        )  # fmt: skip
        request.session["my_councils_history"] = lines.ids[:100]
        reported = {
            (report.meeting_id.id, report.association_id.id)
            for report in request.env["conseil.progress.report"]
            .sudo()
            .search(
                [
                    ("meeting_id", "in", lines.meeting_id.ids),
                    ("association_id", "in", lines.association_id.ids),
                ]
            )
        }
        values = {
            **self._prepare_portal_layout_values(),
            "page_name": "conseil_councils",
            "lines": lines.sudo(),
            "reported": reported,
            "when": {line.id: self._council_when(line.sudo().meeting_id) for line in lines},
            "states": self._council_states(),
            "pager": pager,
            "default_url": "/my/councils",
            "searchbar_filters": filters,
            "filterby": filterby,
            "searchbar_sortings": sortings,
            "sortby": sortby,
            "searchbar_inputs": inputs,
            "search_in": search_in,
            "search": search,
        }
        return request.render("conseil_associations.portal_my_councils", values)

    # ------------------------------------------------------------
    # ONE COUNCIL
    # ------------------------------------------------------------

    def _council_line(self, attendance_id, access_token=None):
        """The attendance line (sudo, for display), once the user may read it or holds its link's key; else None."""
        try:
            return self._document_check_access("conseil.meeting.attendance", attendance_id, access_token)
        except (AccessError, MissingError):
            return None

    @route(["/my/councils/<int:attendance_id>"], type="http", auth="public", website=True, readonly=True)
    def portal_my_council(self, attendance_id, access_token=None, answered=None, reported=None, **kw):
        line_sudo = self._council_line(attendance_id, access_token)
        if line_sudo is None:
            return request.redirect("/my")
        return request.render(
            "conseil_associations.portal_my_council",
            self._council_values(line_sudo, access_token, answered=answered, reported=bool(reported)),
        )

    @route(
        ["/my/councils/<int:attendance_id>/answer"],
        type="http",
        auth="public",
        website=True,
        methods=["POST"],
    )
    def portal_council_answer(self, attendance_id, access_token=None, answer=None, note="", **kw):
        line_sudo = self._council_line(attendance_id, access_token)
        if line_sudo is None:
            return request.redirect("/my")
        line = request.env["conseil.meeting.attendance"].browse(attendance_id)
        try:
            if answer not in ("accept", "decline"):
                raise UserError(request.env._("Choose whether the association comes or not."))
            with request.env.cr.savepoint():
                line._portal_answer(answer == "accept", note, access_token=access_token)
        except (UserError, ValidationError, AccessError) as error:
            return request.render(
                "conseil_associations.portal_my_council",
                self._council_values(line_sudo, access_token, answer_error=error.args[0], note=note),
            )
        return request.redirect(self._council_url(line_sudo, access_token, answered=answer))

    @route(
        ["/my/councils/<int:attendance_id>/report"],
        type="http",
        auth="public",
        website=True,
        methods=["POST"],
    )
    def portal_council_report(self, attendance_id, access_token=None, **post):
        line_sudo = self._council_line(attendance_id, access_token)
        if line_sudo is None:
            return request.redirect("/my")
        form = {name: post.get(name, "") for name in PORTAL_REPORT_FIELDS}
        line = request.env["conseil.meeting.attendance"].browse(attendance_id)
        try:
            vals = self._council_report_values(form)
            with request.env.cr.savepoint():
                line._portal_submit_progress_report(vals, access_token=access_token)
        except (UserError, ValidationError, AccessError) as error:
            return request.render(
                "conseil_associations.portal_my_council",
                self._council_values(line_sudo, access_token, report_error=error.args[0], report_form=form),
            )
        return request.redirect(self._council_url(line_sudo, access_token, reported=1))

    def _council_report_values(self, form):
        """The form's values, typed: the number of beneficiaries is a whole number."""
        vals = dict(form)
        served = (form["beneficiaries_served"] or "").strip()
        try:
            vals["beneficiaries_served"] = int(served or 0)
        except ValueError:
            raise ValidationError(
                request.env._(
                    "%(field)s is a whole number.",
                    field=request.env["conseil.progress.report"]
                    ._fields["beneficiaries_served"]
                    ._description_string(request.env),
                )
            ) from None
        return vals

    def _council_url(self, line_sudo, access_token, **params):
        if access_token:
            params["access_token"] = access_token
        query = "&".join(f"{key}={value}" for key, value in params.items())
        return f"/my/councils/{line_sudo.id}" + (f"?{query}" if query else "")

    def _council_values(self, line_sudo, access_token, **values):
        """The session, its agenda as the convocation gives it to every invited association (the items' labels;
        their descriptions, which hold what an association told the town, stay the town hall's), the answer and
        the report."""
        meeting = line_sudo.meeting_id
        sections = {}
        for item in meeting.agenda_item_ids:
            sections.setdefault(item.section, []).append(item.name)
        report = line_sudo._portal_progress_report()
        closed = line_sudo._portal_closed_message()
        page_values = {
            **self._prepare_portal_layout_values(),
            "page_name": "conseil_council",
            "line": line_sudo,
            "meeting": meeting,
            "when": self._council_when(meeting),
            "agenda": list(sections.items()),
            "states": self._council_states(),
            "report": report,
            "report_form": line_sudo._portal_progress_report_form(),
            "closed": closed,
            "access_token": access_token,
            "token_query": f"?access_token={access_token}" if access_token else "",
            "note": "",
            **values,
        }
        return self._get_page_view_values(line_sudo, access_token, page_values, "my_councils_history", False)

    def _council_when(self, meeting):
        """The session's start on the commune's clock, written out: « jeudi 3 décembre 2026, 18:00 »."""
        tz = meeting.company_id.partner_id.tz or TOWN_TZ
        local = fields.Datetime.context_timestamp(meeting.with_context(tz=tz), meeting.date_start)
        env = request.env
        return f"{long_date(env, local.date(), 'EEEE d MMMM y')}, {format_datetime(env, meeting.date_start, tz=tz, dt_format='HH:mm')}"

    def _council_states(self):
        Attendance = request.env["conseil.meeting.attendance"]
        return dict(Attendance._fields["state"]._description_selection(request.env))
