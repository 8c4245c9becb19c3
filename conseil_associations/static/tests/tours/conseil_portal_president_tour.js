import { registry } from "@web/core/registry";

/* The president of an association, in French, on the portal: from her portal home, opens her association,
 * proposes a change for the town hall (more volunteers, her new email), then sends the insurance certificate. */
registry.category("web_tour.tours").add("conseil_portal_president_tour", {
    url: "/my",
    steps: () => [
        {
            content: "Her portal home shows her association",
            trigger: ".o_portal_index_card:not(.d-none) a[href='/my/associations']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The association's record and its people",
            trigger: ".o_conseil_record:contains('W595000123')",
        },
        {
            trigger: ".o_conseil_contacts:contains('Anne Présidente')",
        },
        {
            content: "Propose more volunteers",
            trigger: "input[name='volunteer_count']",
            run: "edit 30",
        },
        {
            content: "Update her own contact: a new email",
            trigger: ".o_conseil_person input[name$='_email']",
            run: "edit anne.presidente@restos.example",
        },
        {
            trigger: "textarea[name='comment']",
            run: "edit Nous avons un nouveau trésorier.",
        },
        {
            content: "Send the proposal",
            trigger: ".o_conseil_propose_submit",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The town hall has it",
            trigger: ".o_conseil_proposed",
        },
        {
            content: "Open the documents",
            trigger: ".o_conseil_documents_link",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The insurance certificate is missing",
            trigger: "tr[data-kind='insurance'] .o_conseil_state_missing",
        },
        {
            trigger: "select[name='kind']",
            run: "select insurance",
        },
        {
            content: "Choose the certificate (a PDF)",
            trigger: "input[name='file']",
            run() {
                const input = document.querySelector("input[name='file']");
                const file = new File(["%PDF-1.4\n%%EOF\n"], "attestation.pdf", { type: "application/pdf" });
                const transfer = new DataTransfer();
                transfer.items.add(file);
                input.files = transfer.files;
            },
        },
        {
            content: "Valid until the end of next year",
            trigger: "input[name='date_expiry']",
            run() {
                const next = new Date().getFullYear() + 1;
                document.querySelector("input[name='date_expiry']").value = `${next}-12-31`;
            },
        },
        {
            content: "Send it",
            trigger: ".o_conseil_upload_submit",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Received and valid",
            trigger: ".o_conseil_uploaded",
        },
        {
            trigger: "tr[data-kind='insurance'] .o_conseil_state_valid",
        },
    ],
});
