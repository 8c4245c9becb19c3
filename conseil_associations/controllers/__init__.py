from . import home, portal, portal_councils, portal_loans, portal_needs, portal_synergies
