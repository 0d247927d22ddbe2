"""公示 and 公布: the working-day calendar the 公示期 is counted on, and the rules of objections.

Pure, like the rest of dialogs/: the storage keeps the state, the shell applies these rules to it.
"""
