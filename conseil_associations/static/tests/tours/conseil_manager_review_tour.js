import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

/* The deputy mayor, in French, opens the municipal reviews from the menu, gathers and decides a need
 * (its decision dated on or after its submission), prints the in-kind statement from both of its
 * entry points, then exports the open-data file. */
registry.category("web_tour.tours").add("conseil_manager_review_tour", {
    url: "/odoo",
    steps: () => [
        ...stepUtils.goToAppSteps("conseil_associations.menu_conseil_root", "Open the Associations app"),
        {
            content: "Open the Council menu",
            trigger: ".o-dropdown[data-menu-xmlid='conseil_associations.menu_conseil_council']",
            run: "click",
        },
        {
            content: "The reviews have their menu",
            trigger: ".o-dropdown-item[data-menu-xmlid='conseil_associations.menu_conseil_meeting_review']",
            run: "click",
        },
        {
            trigger: ".o_breadcrumb:contains('Revues municipales')",
        },
        {
            content: "Open the review",
            trigger: ".o_data_row:contains('Revue de mars') .o_data_cell[name='name']",
            run: "click",
        },
        {
            content: "Gather the submitted needs",
            trigger: ".o_statusbar_buttons button[name='action_open_gather_wizard']",
            run: "click",
        },
        {
            trigger: ".modal .o_data_row:contains('Un minibus pour les U13')",
        },
        {
            trigger: ".modal-footer button[name='action_confirm']",
            run: "click",
        },
        {
            content: "The needs to decide",
            trigger: ".o_notebook .nav-link:contains('Besoins à décider')",
            run: "click",
        },
        {
            content: "Decide the need",
            trigger: ".o_field_widget[name='review_need_ids'] .o_data_row:contains('Un minibus pour les U13') button[name='action_open_decision_wizard']",
            run: "click",
        },
        {
            content: "The need came in after the review was held: the decision is dated today, not before the need",
            trigger: `.modal .o_field_widget[name='decision_date'] button[data-tooltip='${luxon.DateTime.now().toFormat("dd/MM/yyyy")}']`,
        },
        {
            content: "Grant it",
            trigger: ".modal-footer button[name='action_confirm']",
            run: "click",
        },
        {
            content: "The decision is numbered, the need granted",
            trigger: ".o_field_widget[name='review_need_ids'] .o_data_row:contains('DEC-'):contains('Accordé')",
        },
        {
            content: "Open the Aid menu",
            trigger: ".o-dropdown[data-menu-xmlid='conseil_associations.menu_conseil_aid']",
            run: "click",
        },
        {
            trigger: ".o-dropdown-item[data-menu-xmlid='conseil_associations.menu_conseil_statement']",
            run: "click",
        },
        {
            content: "The year is written as a year (« 2026 », not « 2 026 »)",
            trigger: ".modal .o_field_widget[name='year'] input",
            run() {
                if (!/^\d{4}$/.test(this.anchor.value)) {
                    throw new Error(`The year reads « ${this.anchor.value} »`);
                }
            },
        },
        {
            content: "Print the statements of the year",
            trigger: ".modal-footer button[name='action_print']",
            run: "click",
        },
        {
            content: "The PDF is downloaded and the dialog closes, without an error",
            trigger: "body:not(:has(.modal)):not(:has(.o_error_dialog))",
        },
        {
            content: "Open the registry",
            trigger: ".o-dropdown[data-menu-xmlid='conseil_associations.menu_conseil_registry']",
            run: "click",
        },
        {
            trigger: ".o-dropdown-item[data-menu-xmlid='conseil_associations.menu_conseil_association']",
            run: "click",
        },
        {
            content: "Open the food bank",
            trigger: ".o_kanban_record:contains('Restos de la Lys'), .o_data_row:contains('Restos de la Lys') .o_data_cell",
            run: "click",
        },
        {
            content: "Its aid",
            trigger: ".o_notebook .nav-link:contains('Aides')",
            run: "click",
        },
        {
            content: "Print its in-kind statement",
            trigger: "button[name='action_print_statement']",
            run: "click",
        },
        {
            content: "No error: the PDF is downloaded",
            trigger: ".o_form_view:not(:has(.o_error_dialog))",
        },
        {
            trigger: "body:not(:has(.o_error_dialog))",
        },
        {
            content: "Open the Aid menu",
            trigger: ".o-dropdown[data-menu-xmlid='conseil_associations.menu_conseil_aid']",
            run: "click",
        },
        {
            trigger: ".o-dropdown-item[data-menu-xmlid='conseil_associations.menu_conseil_scdl']",
            run: "click",
        },
        {
            content: "Export the open-data file",
            trigger: ".modal-footer button[name='action_export']",
            run: "click",
        },
        {
            content: "The file is ready to download",
            trigger: ".modal .o_field_widget[name='csv_file'] a, .modal .o_field_widget[name='csv_file'] button",
        },
    ],
});
