"""评审 as use cases: experts, 形式审查, the panel's run, its result and 报批, and the experts' chat.

Each function is one step in one transaction, audited in it; the rules are in :mod:`dialogs.panel`
and the papers in ``exporters.panel_*``. The command line and the admin's ``/panel`` in the chat
call the same functions, so both say the same and check the same.
"""
