from odoo.addons.portal.controllers.web import Home
from odoo.http import request


class ConseilHome(Home):
    """An association's person lands on the portal in their own language."""

    def _login_redirect(self, uid, redirect=None):
        """Odoo's frontend keeps the language of the login page (the browser's, by its cookie) over the user's:
        the portal's address names the user's language, which Odoo then keeps (in the URL or its cookie)."""
        url = super()._login_redirect(uid, redirect=redirect)
        user = request.env["res.users"].sudo().browse(uid)
        if user._is_internal() or not url.startswith("/my"):
            return url
        lang = request.env["res.lang"]._get_data(code=user.lang)
        return f"/{lang.url_code}{url}" if lang else url
