from . import test_tours
