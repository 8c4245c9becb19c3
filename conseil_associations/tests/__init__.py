from . import (
    test_equipment_tour,
    test_portal_councils_tour,
    test_portal_loans_tour,
    test_portal_needs_tour,
    test_portal_synergies_tour,
    test_portal_tour,
    test_series_tour,
    test_tours,
)
