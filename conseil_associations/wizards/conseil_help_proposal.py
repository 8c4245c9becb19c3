from odoo import fields, models


class ConseilHelpProposal(models.TransientModel):
    _name = "conseil.help.proposal"
    _description = "Who Could Help"
    _inherit = ["conseil.guarded.mixin"]
    _order = "rank"

    # Proposals are the ranking's: a user reads and accepts them, never writes them.
    _server_fields = frozenset({"need_id", "offer_id", "rank", "score", "reasons"})

    need_id = fields.Many2one("conseil.need", required=True, ondelete="cascade")
    offer_id = fields.Many2one("conseil.offer", required=True, ondelete="cascade")
    association_id = fields.Many2one(related="offer_id.association_id")
    offer_type = fields.Selection(related="offer_id.offer_type")
    rank = fields.Integer()
    score = fields.Integer()
    reasons = fields.Text()

    def action_propose(self):
        """Ask the offer's association to take the need on: it accepts or declines the proposal."""
        self.ensure_one()
        return self.need_id._propose_help(self.offer_id).get_formview_action()
