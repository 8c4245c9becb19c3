import { registry } from "@web/core/registry";

/* The food bank's president, in French, on the portal: from her home page she opens the loans,
 * reads what to do for the room the town lends her, then the aid of the year and its statement. */
registry.category("web_tour.tours").add("conseil_portal_loans_tour", {
    url: "/my",
    steps: () => [
        {
            content: "The loans card counts the open loans",
            trigger: ".o_portal_index_card:not(.d-none) a[href='/my/loans']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Her loans, in every state",
            trigger: ".o_conseil_loan_line:contains('Salle Jean Moulin') .o_conseil_loan_state:contains('Approuvée')",
        },
        {
            trigger: ".o_conseil_loan_line .o_conseil_loan_state:contains('Refusée')",
        },
        {
            trigger: ".o_conseil_loan_line .o_conseil_loan_state:contains('Restituée')",
        },
        {
            content: "Open the approved room",
            trigger: ".o_conseil_loan_line:contains('Salle Jean Moulin'):has(.o_conseil_loan_state:contains('Approuvée')) a",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "What she must do: collect the keys, bring them back",
            trigger: ".o_conseil_loan_steps li:contains('Salle Jean Moulin')",
        },
        {
            trigger: ".o_conseil_loan_record:contains('Assemblée générale')",
        },
        {
            content: "Read only: nothing to change from the portal",
            trigger: ".o_conseil_loan_page:not(:has(form[action*='/my/loans']))",
        },
        {
            content: "Back home",
            trigger: ".breadcrumb a[href='/my/home'], .breadcrumb a[href='/my']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The aid card",
            trigger: ".o_portal_index_card:not(.d-none) a[href='/my/aid']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The year's aid in kind and subsidies",
            trigger: ".o_conseil_aid_in_kind .o_conseil_aid_loan:contains('Master')",
        },
        {
            trigger: ".o_conseil_aid_subsidies .o_conseil_aid_subsidy:contains('Subvention de fonctionnement')",
        },
        {
            content: "Download the statement of the year",
            trigger: "a.o_conseil_statement_download",
            run() {
                const link = document.querySelector("a.o_conseil_statement_download");
                const year = document.querySelector(".o_conseil_aid_title").textContent.match(/\d{4}/)[0];
                if (!link.getAttribute("href").endsWith(`/statement/${year}`)) {
                    throw new Error(`The statement offered is not the one of ${year}`);
                }
                return fetch(link.href).then((response) => {
                    if (!response.ok || !/pdf|html/.test(response.headers.get("Content-Type"))) {
                        throw new Error("The statement did not download");
                    }
                    document.body.classList.add("o_conseil_statement_downloaded");
                });
            },
        },
        {
            trigger: "body.o_conseil_statement_downloaded",
        },
    ],
});
