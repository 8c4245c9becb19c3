import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

/* The associative-life officer requests the choir's room every Tuesday evening of the season: the form tells
 * how many evenings and which holiday is skipped before anything is created; one click requests them all. */
registry.category("web_tour.tours").add("conseil_series_officer_tour", {
    url: "/odoo",
    steps: () => [
        ...stepUtils.goToAppSteps("conseil_associations.menu_conseil_root", "Open the Associations app"),
        {
            content: "Open the Loans menu",
            trigger: ".o-dropdown[data-menu-xmlid='conseil_associations.menu_conseil_loans']",
            run: "click",
        },
        {
            content: "Recurring loans",
            trigger: ".o-dropdown-item[data-menu-xmlid='conseil_associations.menu_conseil_loan_series']",
            run: "click",
        },
        {
            content: "A new series",
            trigger: ".o_control_panel_main_buttons .o_list_button_add",
            run: "click",
        },
        {
            content: "For the choir",
            trigger: ".o_field_widget[name='association_id'] input",
            run: "edit Chorale",
        },
        {
            trigger: ".o-autocomplete--dropdown-item a:contains('Chorale du Lys')",
            run: "click",
        },
        {
            content: "The room",
            trigger: ".o_field_widget[name='room_id'] input",
            run: "edit Salle des",
        },
        {
            trigger: ".o-autocomplete--dropdown-item a:contains('Salle des fêtes')",
            run: "click",
        },
        {
            content: "Thirty singers",
            trigger: ".o_field_widget[name='expected_attendance'] input",
            run: "edit 30",
        },
        {
            content: "The season starts",
            trigger: ".o_field_widget[name='date_from'] input",
            run: "edit 03/01/2027",
        },
        {
            content: "The season ends",
            trigger: ".o_field_widget[name='date_to'] input",
            run: "edit 04/30/2027",
        },
        {
            content: "Every Tuesday",
            trigger: ".o_field_widget[name='tuesday'] input",
            run: "click",
        },
        {
            content: "What for",
            trigger: ".o_field_widget[name='purpose'] textarea",
            run: "edit Weekly rehearsal",
        },
        {
            content: "The form tells how many evenings, before anything is created",
            trigger: ".o_field_widget[name='schedule_html']:contains('8 occurrences')",
        },
        {
            content: "The holiday is skipped, and said so",
            trigger: ".o_field_widget[name='schedule_html']:contains('Town festival')",
        },
        {
            content: "Request the series",
            trigger: ".o_statusbar_buttons button[name='action_request']",
            run: "click",
        },
        {
            content: "It is requested",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains('Requested')",
        },
        {
            content: "Its occurrences are listed with their status",
            trigger: ".o_field_widget[name='loan_ids'] .o_data_row:nth-child(8):contains('Requested')",
        },
    ],
});

/* The council manager decides the series: the evening another association already holds the room is shown with
 * the loan that blocks it; the manager approves the others in one click. */
registry.category("web_tour.tours").add("conseil_series_manager_tour", {
    url: "/odoo",
    steps: () => [
        ...stepUtils.goToAppSteps("conseil_associations.menu_conseil_root", "Open the Associations app"),
        {
            content: "Open the Loans menu",
            trigger: ".o-dropdown[data-menu-xmlid='conseil_associations.menu_conseil_loans']",
            run: "click",
        },
        {
            content: "Recurring loans",
            trigger: ".o-dropdown-item[data-menu-xmlid='conseil_associations.menu_conseil_loan_series']",
            run: "click",
        },
        {
            content: "Open the choir's series",
            trigger: ".o_list_view .o_data_row:contains('Chorale du Lys') .o_data_cell[name='association_id']",
            run: "click",
        },
        {
            content: "Decide it",
            trigger: ".o_statusbar_buttons button[name='action_open_approve_wizard']",
            run: "click",
        },
        {
            content: "The evening already lent is shown, with the loan that blocks it",
            trigger: ".modal .o_field_widget[name='line_ids'] .o_data_row:contains('Épicerie solidaire')",
        },
        {
            content: "One conflict",
            trigger: ".modal .o_field_widget[name='conflict_count']:contains('1')",
        },
        {
            content: "Approve the others",
            trigger: ".modal-footer button[name='action_approve_free']",
            run: "click",
        },
        {
            content: "The series is decided",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains('Decided')",
        },
        {
            content: "Its occurrences show approved, the blocked one refused",
            trigger: ".o_field_widget[name='loan_ids'] .o_data_row:contains('Refused')",
        },
    ],
});
