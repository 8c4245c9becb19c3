import { registry } from "@web/core/registry";

/* The food bank's president, in French, on the portal: keeps her offer up to date,
 * then accepts the help the town hall proposes her association to give. */
registry.category("web_tour.tours").add("conseil_portal_synergies_tour", {
    url: "/my",
    steps: () => [
        {
            content: "Open the card of what the association can offer",
            trigger: ".o_portal_index_card a[href='/my/offers']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Open the emergency parcels",
            trigger: ".o_conseil_offer_line a:contains('Colis alimentaires d')",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Thirty parcels a week from now on",
            trigger: "input[name='capacity']",
            run: "edit 30",
        },
        {
            trigger: "textarea[name='description']",
            run: "edit Des colis préparés le jeudi par nos bénévoles.",
        },
        {
            content: "Save the offer",
            trigger: ".o_conseil_offer_submit",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The offer is up to date",
            trigger: ".o_conseil_offer_saved",
        },
        {
            trigger: ".o_conseil_offer_line:contains('Colis alimentaires d'):contains('30')",
        },
        {
            content: "Back to the portal's home",
            trigger: ".o_portal_submenu a[href='/my/home']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Open the partnerships",
            trigger: ".o_portal_index_card a[href='/my/partnerships']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The town hall's proposal waits for an answer",
            trigger: ".o_conseil_partnership_proposed a:contains('Banque alimentaire')",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "What is asked",
            trigger: ".o_conseil_proposal:contains('Des colis pour les aînés isolés cet été')",
        },
        {
            content: "Accept: the food bank will help",
            trigger: ".o_conseil_accept",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The partnership starts, and whom to call is shown",
            trigger: ".o_conseil_accepted",
        },
        {
            trigger: ".o_conseil_exchange_contacts",
        },
    ],
});
