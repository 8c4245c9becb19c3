import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

/* The fleet manager approves an association's van request from the Fleet app;
 * an overlapping request for the same van is refused, naming the first loan;
 * two requests for the minibus are approved at once from the list. */
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
            trigger: ".o_data_row:contains('AB-123-CD'):contains('Restos de la Lys') .o_data_cell[name='name']",
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
            trigger: ".o_data_row:contains('AB-123-CD'):contains('Épicerie solidaire') .o_data_cell[name='name']",
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
        {
            content: "Back to the requests",
            trigger: ".o_breadcrumb .o_back_button, .o_breadcrumb li.breadcrumb-item:first-child a",
            run: "click",
        },
        {
            content: "Select the minibus request of the food bank",
            trigger: ".o_data_row:contains('EF-456-GH'):contains('Restos de la Lys') .o_list_record_selector input",
            run: "click",
        },
        {
            content: "and the one of the grocery",
            trigger: ".o_data_row:contains('EF-456-GH'):contains('Épicerie solidaire') .o_list_record_selector input",
            run: "click",
        },
        {
            content: "Approve both at once",
            trigger: ".o_selection_container button:contains('Approve')",
            run: "click",
        },
        {
            content: "Both are approved: they leave the requests to approve, the refused overlap stays",
            trigger: ".o_list_renderer:not(:has(.o_data_row:contains('EF-456-GH'))):has(.o_data_row:contains('AB-123-CD'))",
        },
    ],
});
