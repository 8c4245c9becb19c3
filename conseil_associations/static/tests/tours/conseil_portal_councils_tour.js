import { registry } from "@web/core/registry";

/* The president of the food bank, in French, on the portal: from her home, opens the next council,
 * reads its agenda, accepts the invitation, then sends her progress report before the session. */
registry.category("web_tour.tours").add("conseil_portal_councils_tour", {
    url: "/my",
    steps: () => [
        {
            content: "The councils card counts the invitations to come",
            trigger: "a[href='/my/councils']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Open the next council",
            trigger: ".o_conseil_council_line:first a:contains('Conseil des associations')",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Its agenda, then the invitation still to answer",
            trigger: ".o_conseil_agenda li",
        },
        {
            trigger: ".o_conseil_attendance_invited:contains('Invitée')",
        },
        {
            trigger: "input[name='note']",
            run: "edit Martine et un bénévole",
        },
        {
            content: "We will come",
            trigger: ".o_conseil_accept",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The town hall expects the association",
            trigger: ".o_conseil_answered",
        },
        {
            trigger: ".o_conseil_attendance_confirmed:contains('Confirmée')",
        },
        {
            content: "The progress report",
            trigger: "textarea[name='actions']",
            run: "edit Trois distributions et une collecte au supermarché",
        },
        {
            trigger: "input[name='beneficiaries_served']",
            run: "edit 85",
        },
        {
            trigger: "textarea[name='difficulties']",
            run: "edit Il nous manque un chauffeur le samedi",
        },
        {
            trigger: "textarea[name='good_practice']",
            run: "edit Collecte mutualisée avec l'épicerie solidaire",
        },
        {
            content: "Send it",
            trigger: ".o_conseil_report_submit",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Received, and still open to completion until the session",
            trigger: ".o_conseil_report_sent",
        },
        {
            trigger: "input[name='beneficiaries_served'][value='85']",
        },
    ],
});
