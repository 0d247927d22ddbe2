"""The WeCom (企业微信 / 政务微信) channel: a self-built application in callback mode.

:mod:`.crypto` seals and opens the callback envelopes, :mod:`.messages` reads the decrypted XML,
:mod:`.server` is the callback endpoint, :mod:`.api` talks to the WeCom API (token, send, media) and
:mod:`.pacing` keeps outgoing messages within a member's limits and
:mod:`.split` cuts long texts below 2 048 bytes.
"""
