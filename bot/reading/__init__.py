"""Files users send, read into data: a Word 推荐表 (:mod:`.word_form`) becomes the fields it holds.

Reading is the shell's job because it parses a file format; the dialog only receives what was read. May import:
dialogs and exporters (the form's own labels). Never storage, the use cases, channels or the CLI.
"""
