import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

/* The associative-life officer plans the season of councils, then takes the
 * attendance of the first session in one click per association. */
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
            content: "The dates to be created are shown before anything is created",
            trigger: ".o_conseil_season_preview tr:nth-child(4)",
        },
        {
            content: "Create the sessions",
            trigger: ".modal-footer button[name='action_create_sessions']",
            run: "click",
        },
        {
            content: "Open the first planned session (they are listed in date order)",
            trigger: ".o_list_view .o_data_row:first-child .o_data_cell[name='name']",
            run: "click",
        },
        {
            content: "Go to the attendance",
            trigger: ".o_notebook .nav-link:contains('Attendance')",
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
            trigger: ".o_field_widget[name='attendance_ids'] .o_data_row:contains('Restos de la Lys') .o_field_badge:contains('Present')",
        },
        {
            content: "The session took place",
            trigger: ".o_statusbar_buttons button[name='action_hold']",
            run: "click",
        },
        {
            content: "It is held",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains('Held')",
        },
    ],
});
