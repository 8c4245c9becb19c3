{
    "name": "Associations Council",
    "summary": "Twice-monthly council with local associations: needs, "
    "municipal decisions, loans of vehicles, agents and rooms",
    "version": "19.0.1.0.0",
    "category": "Services",
    "website": "https://github.com/conseil-associations/conseil_associations",
    "author": "conseil_associations contributors",
    "maintainers": ["conseil-associations"],
    "license": "AGPL-3",
    "development_status": "Alpha",
    "application": True,
    "installable": True,
    "depends": [
        "mail",
        "calendar",
        "fleet",
        "hr",
        "hr_hourly_cost",
    ],
    "external_dependencies": {"python": ["python-stdnum"]},
    "pre_init_hook": "pre_init_hook",
    "data": [
        "security/conseil_security.xml",
        "security/ir.model.access.csv",
        "data/conseil_theme_data.xml",
        "data/calendar_data.xml",
        "report/conseil_meeting_report.xml",
        "views/conseil_theme_views.xml",
        "views/conseil_association_views.xml",
        "views/conseil_meeting_views.xml",
        "views/conseil_progress_report_views.xml",
        "wizards/conseil_season_wizard_views.xml",
        "views/conseil_menus.xml",
    ],
    "demo": [
        "demo/conseil_association_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "conseil_associations/static/tests/tours/*.js",
        ],
    },
}
