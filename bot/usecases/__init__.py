"""The use cases: what the bot does for each kind of user, between the channels and the storage."""
