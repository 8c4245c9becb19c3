from . import conseil_season_wizard
