import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

/* The HR officer assigns a communal agent to an association from the Employees app. */
registry.category("web_tour.tours").add("conseil_hr_officer_tour", {
    url: "/odoo",
    steps: () => [
        ...stepUtils.goToAppSteps("hr.menu_hr_root", "Open the Employees app"),
        {
            content: "Loans to associations",
            trigger: ".o_menu_sections [data-menu-xmlid='conseil_associations.menu_hr_conseil_loans']",
            run: "click",
        },
        {
            content: "Open the request for an agent",
            trigger: ".o_data_row:contains('Marc Agent') .o_data_cell[name='name']",
            run: "click",
        },
        {
            content: "The legal conditions are on the Agent tab",
            trigger: ".o_notebook .nav-link:contains('Agent')",
            run: "click",
        },
        {
            content: "The convention is recorded",
            trigger: ".o_field_widget[name='convention_ref']:contains('CONV-2027-01'), .o_field_widget[name='convention_ref'] input",
        },
        {
            content: "Assign the agent",
            trigger: ".o_statusbar_buttons button[name='action_approve']",
            run: "click",
        },
        {
            content: "The loan is approved",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains('Approved')",
        },
    ],
});
