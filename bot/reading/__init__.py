"""Files users send, read into data: a Word 推荐表 (:mod:`.word_form`) becomes the fields it holds, a picture
(:mod:`.pictures`) a clean re-encoded copy; each read runs in a process of its own (:mod:`.sandbox`, through
:mod:`.reader`), with a time and a memory limit, so a hostile file stalls no one else.

Reading is the shell's job because it parses a file format; the dialog only receives what was read. May import:
dialogs, exporters (the form's own labels) and bot.disk.forkserver (the one fork server children come from).
Never storage, the use cases, channels or the CLI.
"""
