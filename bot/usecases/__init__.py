"""The use cases: what the service, the chat and the command line do, one concern per module."""
