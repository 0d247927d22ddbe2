"""The WeCom (企业微信 / 政务微信) channel: a self-built application in callback mode.

:mod:`.crypto` seals and opens the callback envelopes, :mod:`.messages` reads the decrypted XML,
:mod:`.server` is the callback endpoint and :mod:`.acks` runs it on a thread of its own, :mod:`.api`
talks to the WeCom API (token, send, media), :mod:`.pacing` keeps outgoing messages within a member's
limits and :mod:`.split` cuts long texts below 2 048 bytes. :mod:`.channel` ties them to the service:
the durable inbox (:mod:`bot.storage.inbox`, the rows as :mod:`.payload` writes them), one ordered
lane per member (:mod:`.lanes`), the translation into dialog events (:mod:`.translate`) and sending.
"""
