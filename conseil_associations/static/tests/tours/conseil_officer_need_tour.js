import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

/* The officer records an association's need for a van, then requests the van. */
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
            content: "The needs are listed",
            trigger: ".o_breadcrumb:contains('Needs')",
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
            trigger: ".o_select_menu_item:contains('Vehicle'), .dropdown-item:contains('Vehicle')",
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
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains('Submitted')",
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
            trigger: ".o_breadcrumb:contains('Loans')",
        },
        {
            content: "Open the loan prepared from the approved need",
            trigger: ".o_data_row:contains('Restos de la Lys') .o_data_cell[name='name']",
            run: "click",
        },
        {
            content: "Look up the free vehicles",
            trigger: ".o_statusbar_buttons button[name='action_open_availability']",
            run: "click",
        },
        {
            content: "The van is free",
            trigger: ".modal .o_field_widget[name='free_vehicle_ids'] .o_data_row:contains('AB-123-CD')",
        },
        {
            content: "Choose it",
            trigger: ".modal .o_field_widget[name='vehicle_id'] input",
            run: "edit AB-123",
        },
        {
            trigger: ".o-autocomplete--dropdown-item a:contains('AB-123-CD')",
            run: "click",
        },
        {
            trigger: ".modal-footer button[name='action_choose']",
            run: "click",
        },
        {
            content: "Request the vehicle",
            trigger: ".o_statusbar_buttons button[name='action_request']",
            run: "click",
        },
        {
            content: "The fleet manager will approve it",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains('Requested')",
        },
    ],
});
