"""The audit log's names of the panel's steps (``casebot audit`` prints them in Chinese)."""

from __future__ import annotations

PANEL_ACTION_KEYS = {
    "expert_add": "panel.audit.expert_add",
    "expert_remove": "panel.audit.expert_remove",
    "expert_replace": "panel.audit.expert_replace",
    "expert_join": "panel.audit.expert_join",
    "pledge": "panel.audit.pledge",
    "recuse": "panel.audit.recuse",
    "clear": "panel.audit.clear",
    "score": "panel.audit.score",
    "score_paper": "panel.audit.score_paper",
    "case_import": "panel.audit.case_import",
    "formal_mark": "panel.audit.formal_mark",
    "formal_category": "panel.audit.formal_category",
    "formal_pass": "panel.audit.formal_pass",
    "formal_reject": "panel.audit.formal_reject",
    "formal_amend": "panel.audit.formal_amend",
    "panel_start": "panel.audit.panel_start",
    "panel_close": "panel.audit.panel_close",
    "panel_review": "panel.audit.panel_review",
    "panel_select": "panel.audit.panel_select",
    "panel_approve": "panel.audit.panel_approve",
}
