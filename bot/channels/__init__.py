"""The channels casebot speaks on, as peers: each is a folder or module here behind :mod:`.base`."""
