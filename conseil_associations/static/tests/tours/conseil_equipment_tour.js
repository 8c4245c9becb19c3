import { registry } from "@web/core/registry";

/* The officer writes the Comité des fêtes' request for its summer festival: one loan of equipment with its
 * lines. She is told at once that only 20 chairs are free, asks for 20, and requests the loan. */
registry.category("web_tour.tours").add("conseil_equipment_tour", {
    url: "/odoo/action-conseil_associations.conseil_loan_action/new",
    steps: () => [
        {
            content: "A loan of equipment",
            trigger: ".o_field_widget[name='loan_type'] input[data-value='equipment']",
            run: "click",
        },
        {
            content: "For the Comité des fêtes",
            trigger: ".o_field_widget[name='association_id'] input",
            run: "edit Comité",
        },
        {
            trigger: ".o-autocomplete--dropdown-item:contains('Comité des fêtes')",
            run: "click",
        },
        {
            content: "What for",
            trigger: ".o_field_widget[name='purpose'] textarea",
            run: "edit Fête d'été du village",
        },
        {
            content: "From",
            trigger: ".o_field_widget[name='date_start'] input",
            run: "edit 06/20/2027 08:00:00",
        },
        {
            content: "To",
            trigger: ".o_field_widget[name='date_end'] input",
            run: "edit 06/21/2027 20:00:00",
        },
        {
            content: "The equipment tab",
            trigger: ".o_notebook a[name='equipment']",
            run: "click",
        },
        {
            content: "Add chairs",
            trigger: ".o_field_widget[name='line_ids'] .o_field_x2many_list_row_add a",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name='line_ids'] .o_data_row.o_selected_row:nth-child(1) .o_field_widget[name='equipment_id'] input",
            run: "edit Chairs",
        },
        {
            trigger: ".o-autocomplete--dropdown-item:contains('Chairs')",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name='line_ids'] .o_data_row.o_selected_row:nth-child(1) .o_field_widget[name='quantity'] input",
            run: "edit 30",
        },
        {
            content: "Add tables",
            trigger: ".o_field_widget[name='line_ids'] .o_field_x2many_list_row_add a",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name='line_ids'] .o_data_row.o_selected_row:nth-child(2) .o_field_widget[name='equipment_id'] input",
            run: "edit Tables",
        },
        {
            trigger: ".o-autocomplete--dropdown-item:contains('Tables')",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name='line_ids'] .o_data_row.o_selected_row:nth-child(2) .o_field_widget[name='quantity'] input",
            run: "edit 6",
        },
        {
            content: "Save",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "Saved: the loan has its reference",
            trigger: ".o_breadcrumb:contains('MAD/')",
        },
        {
            content: "Only 20 chairs are free over the festival: the form says so",
            trigger: ".alert-warning:contains('30 asked, 20 free')",
        },
        {
            content: "Ask for 20 chairs",
            trigger: ".o_field_widget[name='line_ids'] .o_data_row:contains('Chairs') .o_data_cell[name='quantity']",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name='line_ids'] .o_data_row.o_selected_row:nth-child(1) .o_field_widget[name='quantity'] input",
            run: "edit 20",
        },
        {
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "Nothing stands in the way any more",
            trigger: ".o_form_view:not(:has(.alert-warning)) .o_statusbar_buttons button[name='action_request']",
        },
        {
            content: "Request the loan",
            trigger: ".o_statusbar_buttons button[name='action_request']",
            run: "click",
        },
        {
            content: "The council manager will approve it",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains('Requested')",
        },
    ],
});

/* The council manager opens the request, sees its lines, and approves it: one approval for the whole event. */
registry.category("web_tour.tours").add("conseil_equipment_approve_tour", {
    steps: () => [
        {
            content: "The request lends 20 chairs and 6 tables",
            trigger: ".o_field_widget[name='line_ids'] .o_data_row:contains('Chairs'):contains('20')",
        },
        {
            trigger: ".o_field_widget[name='line_ids'] .o_data_row:contains('Tables'):contains('6')",
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
            content: "Its lines are frozen with its terms",
            trigger: ".o_field_widget[name='line_ids']:not(:has(.o_field_x2many_list_row_add))",
        },
    ],
});
