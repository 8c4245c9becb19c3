import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

/* The associative-life officer, in French, plans the season of councils: the
 * preview marks the day that already has a session and skips it; then the
 * officer takes the attendance of the first session in one click per association. */
registry.category("web_tour.tours").add("conseil_officer_season_tour", {
    url: "/odoo",
    steps: () => [
        ...stepUtils.goToAppSteps("conseil_associations.menu_conseil_root", "Open the Associations app"),
        {
            content: "Open the Council menu",
            trigger: ".o-dropdown[data-menu-xmlid='conseil_associations.menu_conseil_council']",
            run: "click",
        },
        {
            content: "Plan a season",
            trigger: ".o-dropdown-item[data-menu-xmlid='conseil_associations.menu_conseil_season']",
            run: "click",
        },
        {
            content: "Sessions twice a month on the 1st and 3rd weekday",
            trigger: ".o_field_widget[name='rule'] input[data-value='first_third']",
            run: "click",
        },
        {
            content: "The rule reads as a French officer says it",
            trigger: ".o_field_widget[name='rule_summary']:contains('1er et 3e jeudi du mois, à 18:00')",
        },
        {
            content: "The dates to be created are shown before anything is created, in French",
            trigger: ".o_conseil_season_preview tr:nth-child(4):contains('jeudi')",
        },
        {
            content: "The day that already has a session is marked and skipped",
            trigger: ".o_conseil_season_preview tr.text-muted:contains('une séance est déjà prévue ce jour-là')",
        },
        {
            content: "Create the sessions",
            trigger: ".modal-footer button[name='action_create_sessions']",
            run: "click",
        },
        {
            content: "The sessions are named with their date written out",
            trigger: ".o_list_view .o_data_row:first-child .o_data_cell[name='name']:contains('Conseil des associations du')",
        },
        {
            content: "Open the first planned session (they are listed in date order)",
            trigger: ".o_list_view .o_data_row:first-child .o_data_cell[name='name']",
            run: "click",
        },
        {
            content: "Go to the attendance",
            trigger: ".o_notebook .nav-link:contains('Présences')",
            run: "click",
        },
        {
            content: "The council members are invited",
            trigger: ".o_field_widget[name='attendance_ids'] .o_data_row:contains('Restos de la Lys')",
        },
        {
            content: "Mark the first association present in one click",
            trigger: ".o_field_widget[name='attendance_ids'] .o_data_row:contains('Restos de la Lys') button[name='action_mark_present']",
            run: "click",
        },
        {
            content: "It shows present",
            trigger: ".o_field_widget[name='attendance_ids'] .o_data_row:contains('Restos de la Lys') .o_field_badge:contains('Présente')",
        },
        {
            content: "The session took place",
            trigger: ".o_statusbar_buttons button[name='action_hold']",
            run: "click",
        },
        {
            content: "It is planned in the future: the officer confirms",
            trigger: ".modal:contains('pas encore commencé') .modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "It is held",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains('Tenue')",
        },
    ],
});
