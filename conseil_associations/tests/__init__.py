from . import test_portal_tour, test_tours
