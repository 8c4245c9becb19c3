import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

/* The fleet manager approves an association's van request from the Fleet app;
 * an overlapping request for the same van is refused, naming the first loan. */
registry.category("web_tour.tours").add("conseil_fleet_manager_tour", {
    url: "/odoo",
    steps: () => [
        ...stepUtils.goToAppSteps("fleet.menu_root", "Open the Fleet app"),
        {
            content: "Open the Fleet menu",
            trigger: ".o-dropdown[data-menu-xmlid='fleet.fleet_vehicles']",
            run: "click",
        },
        {
            content: "Loans to associations",
            trigger: ".o-dropdown-item[data-menu-xmlid='conseil_associations.menu_fleet_conseil_loans']",
            run: "click",
        },
        {
            content: "Open the food bank's request",
            trigger: ".o_data_row:contains('Restos de la Lys') .o_data_cell[name='name']",
            run: "click",
        },
        {
            content: "Approve it",
            trigger: ".o_statusbar_buttons button[name='action_approve']",
            run: "click",
        },
        {
            content: "It is approved",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains('Approved')",
        },
        {
            content: "Back to the requests",
            trigger: ".o_breadcrumb .o_back_button, .o_breadcrumb li.breadcrumb-item:first-child a",
            run: "click",
        },
        {
            content: "Open the grocery's overlapping request",
            trigger: ".o_data_row:contains('Épicerie solidaire') .o_data_cell[name='name']",
            run: "click",
        },
        {
            content: "Try to approve it",
            trigger: ".o_statusbar_buttons button[name='action_approve']",
            run: "click",
        },
        {
            content: "The van is already lent: the blocking loan is named",
            trigger: ".modal:contains('already lent to Restos de la Lys')",
        },
        {
            content: "Close the message",
            trigger: ".modal .modal-footer button.btn-primary",
            run: "click",
        },
        {
            content: "The request stays requested",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains('Requested')",
        },
    ],
});
