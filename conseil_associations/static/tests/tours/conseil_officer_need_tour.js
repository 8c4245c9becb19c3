import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

/* The officer, in French, records an association's need for a van, then requests the van,
 * picked from the free vehicles; a request for a vehicle already lent warns at once. */
registry.category("web_tour.tours").add("conseil_officer_need_tour", {
    url: "/odoo",
    steps: () => [
        ...stepUtils.goToAppSteps("conseil_associations.menu_conseil_root", "Open the Associations app"),
        {
            content: "Open the Needs menu",
            trigger: ".o-dropdown[data-menu-xmlid='conseil_associations.menu_conseil_needs']",
            run: "click",
        },
        {
            content: "Needs",
            trigger: ".o-dropdown-item[data-menu-xmlid='conseil_associations.menu_conseil_need']",
            run: "click",
        },
        {
            content: "The needs are listed, by status in the workflow's order",
            trigger: ".o_breadcrumb:contains('Besoins')",
        },
        {
            trigger: ".o_kanban_group:nth-child(1) .o_column_title:contains('Brouillon')",
        },
        {
            trigger: ".o_kanban_group:nth-child(2) .o_column_title:contains('Soumis')",
        },
        {
            trigger: ".o_kanban_group:nth-child(3) .o_column_title:contains('En examen')",
        },
        {
            content: "Record a new need",
            trigger: ".o_control_panel_main_buttons .o-kanban-button-new, .o_control_panel_main_buttons .o_list_button_add",
            run: "click",
        },
        {
            content: "What is needed",
            trigger: ".o_field_widget[name='name'] input",
            run: "edit Une camionnette pour la collecte de printemps",
        },
        {
            content: "For the food bank",
            trigger: ".o_field_widget[name='association_id'] input",
            run: "edit Restos",
        },
        {
            trigger: ".o-autocomplete--dropdown-item a:contains('Restos de la Lys')",
            run: "click",
        },
        {
            content: "A vehicle",
            trigger: ".o_field_widget[name='need_type'] input",
            run: "click",
        },
        {
            trigger: ".o_select_menu_item:contains('Véhicule'), .dropdown-item:contains('Véhicule')",
            run: "click",
        },
        ...stepUtils.saveForm(),
        {
            content: "Submit it to the municipal team",
            trigger: ".o_statusbar_buttons button[name='action_submit']",
            run: "click",
        },
        {
            content: "It is submitted",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains('Soumis')",
        },
        {
            content: "Go to the loans",
            trigger: ".o-dropdown[data-menu-xmlid='conseil_associations.menu_conseil_loans']",
            run: "click",
        },
        {
            trigger: ".o-dropdown-item[data-menu-xmlid='conseil_associations.menu_conseil_loan']",
            run: "click",
        },
        {
            trigger: ".o_breadcrumb:contains('Mises à disposition')",
        },
        {
            content: "The open loans, by kind: unfold the vehicles",
            trigger: ".o_group_name:contains('Véhicule')",
            run: "click",
        },
        {
            content: "Open the loan prepared for the food bank",
            trigger: ".o_data_row:contains('Restos de la Lys'):contains('Brouillon') .o_data_cell[name='name']",
            run: "click",
        },
        {
            content: "Look up the free vehicles",
            trigger: ".o_statusbar_buttons button[name='action_open_availability']",
            run: "click",
        },
        {
            content: "The van is free: choose it from the list, with its plate",
            trigger: ".modal .o_field_widget[name='line_ids'] .o_data_row:contains('AB-123-CD') button[name='action_choose']",
            run: "click",
        },
        {
            content: "The dialog closes, the van is on the loan",
            trigger: "body:not(:has(.modal)) .o_field_widget[name='vehicle_id']:contains('AB-123-CD'), body:not(:has(.modal)) .o_field_widget[name='vehicle_id'] input",
        },
        {
            content: "Request the vehicle",
            trigger: ".o_statusbar_buttons button[name='action_request']",
            run: "click",
        },
        {
            content: "The fleet manager will approve it",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains('Demandée')",
        },
        {
            content: "Back to the loans",
            trigger: ".o_breadcrumb .o_back_button, .o_breadcrumb li.breadcrumb-item:first-child a",
            run: "click",
        },
        {
            content: "Open the grocery's request for the minibus",
            trigger: ".o_data_row:contains('Épicerie solidaire'):contains('Brouillon') .o_data_cell[name='name']",
            run: "click",
        },
        {
            content: "The officer is told at once that the minibus is already lent over the period",
            trigger: ".alert-warning:contains('déjà en prêt, pour Restos de la Lys')",
        },
    ],
});
