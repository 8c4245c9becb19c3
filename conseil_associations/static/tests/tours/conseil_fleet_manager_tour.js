import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

/* The fleet manager, in French, lands on the loans to approve and approves an association's van request;
 * an overlapping request for the same van is refused, naming the first loan;
 * two requests for the minibus are approved at once from the list. */
registry.category("web_tour.tours").add("conseil_fleet_manager_tour", {
    url: "/odoo",
    steps: () => [
        {
            content: "The fleet manager's home is the vehicle loans to approve",
            trigger: ".o_breadcrumb:contains('Véhicules mis à disposition des associations')",
        },
        {
            content: "The list keeps the vehicle's columns only: no empty Agent or Room column",
            trigger: ".o_list_renderer:has(th[data-name='vehicle_id']):not(:has(th[data-name='employee_id'])):not(:has(th[data-name='room_id']))",
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
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains('Approuvée')",
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
            trigger: ".modal:contains('déjà en prêt, pour Restos de la Lys')",
        },
        {
            content: "Close the message",
            trigger: ".modal .modal-footer button.btn-primary",
            run: "click",
        },
        {
            content: "The request stays requested",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains('Demandée')",
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
            trigger: ".o_selection_container button:contains('Approuver')",
            run: "click",
        },
        {
            content: "Both are approved: they leave the requests to approve, the refused overlap stays",
            trigger: ".o_list_renderer:not(:has(.o_data_row:contains('EF-456-GH'))):has(.o_data_row:contains('AB-123-CD'))",
        },
    ],
});
