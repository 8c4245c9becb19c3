import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

/* The HR officer, in French, lands on the agents to lend and assigns one to an association. */
registry.category("web_tour.tours").add("conseil_hr_officer_tour", {
    url: "/odoo",
    steps: () => [
        {
            content: "The HR officer's home is the agents to lend",
            trigger: ".o_breadcrumb:contains('Agents mis à disposition des associations')",
        },
        {
            content: "The list shows the agent and the hours, no vehicle or room column",
            trigger: ".o_list_renderer:has(th[data-name='employee_id']):has(th[data-name='weekly_hours']):not(:has(th[data-name='vehicle_id']))",
        },
        {
            content: "Hours a week are a quantity, not a clock",
            trigger: ".o_data_row:contains('Marc Agent') .o_data_cell[name='weekly_hours']:contains('10'):not(:contains(':')):not(:contains(','))",
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
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains('Approuvée')",
        },
    ],
});
