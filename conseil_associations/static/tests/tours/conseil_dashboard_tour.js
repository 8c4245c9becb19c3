import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

/* A French officer opens the dashboard from the addon's Reporting menu: the spreadsheet dashboard
 * shows, every figure and every month evaluates without error, and the key figures are the ones the
 * test built: two needs awaiting a decision, none late, one loan to approve. */

const DATA_CELLS = ["B2", "B3", "B4", "B5", "B6", "B7", "B8", "B9", "B10", "B11"];
const MONTH_COLS = ["A", "B", "C", "D", "E", "F", "G", "H"];

function dashboardModel() {
    const loader = odoo.__WOWL_DEBUG__.root.env.services.spreadsheet_dashboard_loader;
    const dashboard = loader.getActiveDashboard();
    return dashboard && dashboard.model;
}

function evaluated(model, sheetId, xc) {
    const col = xc.charCodeAt(0) - 65;
    const row = Number(xc.slice(1)) - 1;
    return model.getters.getEvaluatedCell({ sheetId, col, row });
}

async function checkFigures() {
    const expected = { B2: 2, B3: 0, B5: 0, B6: 1 };
    const cells = [...DATA_CELLS];
    for (let row = 13; row <= 26; row++) {
        cells.push(...MONTH_COLS.map((col) => `${col}${row}`));
    }
    let problems = [];
    for (let attempt = 0; attempt < 40; attempt++) {
        const model = dashboardModel();
        if (model) {
            const sheetId = model.getters.getSheetIds().find((id) => model.getters.getSheetName(id) === "Data");
            model.dispatch("EVALUATE_CELLS");
            const values = Object.fromEntries(cells.map((xc) => [xc, evaluated(model, sheetId, xc)]));
            const loading = Object.values(values).some((cell) => cell.value === "Loading...");
            if (!loading) {
                problems = Object.entries(values)
                    .filter(([, cell]) => cell.type === "error")
                    .map(([xc, cell]) => `${xc}: ${cell.value} ${cell.message || ""}`);
                for (const [xc, value] of Object.entries(expected)) {
                    if (values[xc].value !== value) {
                        problems.push(`${xc} is ${JSON.stringify(values[xc].value)}, expected ${value}`);
                    }
                }
                if (!problems.length) {
                    return;
                }
            }
        }
        await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error(`The dashboard does not read right: ${problems.join("; ") || "still loading"}`);
}

registry.category("web_tour.tours").add("conseil_dashboard_tour", {
    url: "/odoo",
    steps: () => [
        ...stepUtils.goToAppSteps("conseil_associations.menu_conseil_root", "Open the Associations app"),
        {
            content: "Open the Reporting menu",
            trigger: ".o-dropdown[data-menu-xmlid='conseil_associations.menu_conseil_reporting']",
            run: "click",
        },
        {
            content: "The dashboard has its menu",
            trigger: ".o-dropdown-item[data-menu-xmlid='conseil_associations.menu_conseil_dashboard']",
            run: "click",
        },
        {
            content: "The spreadsheet dashboard is drawn",
            trigger: ".o_spreadsheet_dashboard_action .o-spreadsheet canvas",
        },
        {
            content: "No dashboard failed to load",
            trigger: ".o_spreadsheet_dashboard_action:not(:has(.dashboard-loading-status.error))",
        },
        {
            content: "Every figure evaluates, and to the right number",
            trigger: ".o_spreadsheet_dashboard_action .o-spreadsheet",
            run: checkFigures,
        },
    ],
});
