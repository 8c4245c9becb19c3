from . import conseil_association, conseil_theme
