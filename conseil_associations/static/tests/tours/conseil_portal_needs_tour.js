import { registry } from "@web/core/registry";

/* The president of the food bank, in French, on the portal: from her portal home, opens her association's
 * needs, records a room wanted in three weeks, submits it to the town hall, then opens a decided need and
 * downloads its decision letter. */
function inDays(days) {
    const day = new Date();
    day.setDate(day.getDate() + days);
    const pad = (number) => String(number).padStart(2, "0");
    return `${day.getFullYear()}-${pad(day.getMonth() + 1)}-${pad(day.getDate())}`;
}

registry.category("web_tour.tours").add("conseil_portal_needs_tour", {
    url: "/my",
    steps: () => [
        {
            content: "Her portal home shows the needs of her association",
            trigger: ".o_portal_index_card:not(.d-none) a[href='/my/needs']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The decided need is listed with its decision",
            trigger: ".o_conseil_need_line:contains('camionnette'):contains('DEC-')",
        },
        {
            content: "Record a need",
            trigger: ".o_conseil_need_new",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The town's lead time for a room is shown",
            trigger: ".o_conseil_lead_times li[data-need-type='room']:contains('15')",
        },
        {
            trigger: "input[name='name']",
            run: "edit La salle des fêtes pour notre assemblée générale",
        },
        {
            trigger: "select[name='need_type']",
            run: "select room",
        },
        {
            trigger: "textarea[name='description']",
            run: "edit Une centaine d'adhérents et de bénévoles.",
        },
        {
            content: "Wanted in three weeks",
            trigger: "input[name='date_from']",
            run() {
                document.querySelector("input[name='date_from']").value = inDays(21);
                document.querySelector("input[name='date_to']").value = inDays(21);
            },
        },
        {
            trigger: "input[name='beneficiaries_affected']",
            run: "edit 120",
        },
        {
            content: "Save the draft",
            trigger: ".o_conseil_need_save",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The draft is saved, in French",
            trigger: ".o_conseil_need_saved",
        },
        {
            trigger: ".o_conseil_need_state_draft:contains('Brouillon')",
        },
        {
            content: "Submit it to the town hall",
            trigger: ".o_conseil_need_submit",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The town hall has it",
            trigger: ".o_conseil_need_submitted",
        },
        {
            trigger: ".o_conseil_need_state_submitted:contains('Soumis')",
        },
        {
            content: "Back to the needs",
            trigger: ".o_portal_submenu a[href='/my/needs']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Open the decided need",
            trigger: ".o_conseil_need_line:contains('camionnette') a",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Its decision, with what is granted",
            trigger: ".o_conseil_decision:contains('DEC-')",
        },
        {
            content: "Download the decision letter",
            trigger: ".o_conseil_decision_letter[href*='/my/decisions/']",
            async run() {
                const link = document.querySelector(".o_conseil_decision_letter");
                const response = await fetch(link.getAttribute("href"));
                const type = response.headers.get("Content-Type");
                if (!response.ok || type !== "application/pdf") {
                    throw new Error(`The decision letter did not download (${response.status}, ${type})`);
                }
            },
        },
    ],
});
