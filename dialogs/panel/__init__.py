"""评审 (the notice's second step) as pure rules: criteria, 形式审查, scores, the result and the selection.

Nothing here touches a file or the database: the shell gathers the facts (cases, scans, scores)
and these modules say what they mean, so every rule can be tested on its own and reused by the
chat, the command line and the papers alike.
"""
