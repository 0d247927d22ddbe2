"""公示, objections, 公布, telling everyone, and 展示推广 (the site and the 汇编).

Each use case runs its rule and its writes in one transaction, records the messages it calls for in
the outbox in that same transaction, and builds its files after the commit (they are rebuilt from
the stored state, so a kill between the two loses nothing: the command is simply run again).
"""


class PublicityRefused(Exception):
    """A step the rules refuse; the message, in Chinese, says why. Nothing was changed."""
