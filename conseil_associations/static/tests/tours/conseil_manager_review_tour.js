import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

/* The deputy mayor decides a need at the municipal review, then exports the open-data file. */
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
            trigger: ".o-dropdown-item[data-menu-xmlid='conseil_associations.menu_conseil_meeting']",
            run: "click",
        },
        {
            trigger: ".o_breadcrumb:contains('Sessions')",
        },
        {
            content: "The sessions are listed (the councils only, by default)",
            trigger: ".o_list_renderer",
        },
        {
            content: "Show the municipal reviews too: remove the default filter",
            trigger: ".o_searchview_facet:contains('Councils') .o_facet_remove",
            run: "click",
        },
        {
            content: "The filter is gone",
            trigger: ".o_searchview:not(:has(.o_searchview_facet))",
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
            trigger: ".o_notebook .nav-link:contains('Needs to Decide')",
            run: "click",
        },
        {
            content: "Decide the need",
            trigger: ".o_field_widget[name='review_need_ids'] .o_data_row:contains('Un minibus pour les U13') button[name='action_open_decision_wizard']",
            run: "click",
        },
        {
            content: "Approve it",
            trigger: ".modal-footer button[name='action_confirm']",
            run: "click",
        },
        {
            content: "The decision is numbered",
            trigger: ".o_field_widget[name='review_need_ids'] .o_data_row:contains('DEC-')",
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
