"""The real `casebot` process with its WeCom channel pointed at the loopback fake, and a member to play.

Why here and not in a test module: the end-to-end tests and bench/wecom.py both drive the process
this way. Start-up is awaited by the URL verification WeCom itself performs (a GET of ``/wecom``
answered with the decrypted echostr), so "ready" means the endpoint answers as WeCom will see it.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import resource
import socket
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import aiohttp

from .callbacks import AES_KEY, AGENT_ID, CORP_ID, TOKEN, CallbackSigner, event_xml, image_xml, text_xml
from .fake import DEFAULT_SECRET, WeComFake


def live_descendants(pid: int) -> set[int]:
    """Every process under ``pid`` that has not ended (Linux /proc), its children's children too."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = entry.read_text().rpartition(")")[2].split()
        except OSError:
            continue
        if fields[0] != "Z":
            parents[int(entry.parent.name)] = int(fields[1])
    tree, grown = {pid}, True
    while grown:
        below = {child for child, parent in parents.items() if parent in tree} - tree
        tree |= below
        grown = bool(below)
    return tree - {pid}


def command_line(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
    except OSError:
        return ""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wecom_env(fake: WeComFake, port: int) -> dict[str, str]:
    """The settings of the test application: the fake's CorpID and Secret, the documented token and key."""
    return {
        "CASEBOT_WECOM_CORP_ID": CORP_ID,
        "CASEBOT_WECOM_AGENT_ID": str(AGENT_ID),
        "CASEBOT_WECOM_SECRET": DEFAULT_SECRET,
        "CASEBOT_WECOM_TOKEN": TOKEN,
        "CASEBOT_WECOM_AES_KEY": AES_KEY,
        "CASEBOT_WECOM_API_URL": fake.url,
        "CASEBOT_WECOM_LISTEN": "127.0.0.1",
        "CASEBOT_WECOM_PORT": str(port),
        "CASEBOT_WECOM_PER_MINUTE": "0",  # the fake does not count; pacing is tested on a fake clock
    }


class WeComBot:
    """`casebot run` in ``folder`` (its database and output), reachable at ``url``."""

    def __init__(
        self,
        fake: WeComFake,
        folder: Path,
        extra_env: Mapping[str, str] | None = None,
        *,
        nofile: int | None = None,
        log: Path | None = None,
    ) -> None:
        self.fake = fake
        self.folder = folder
        self.nofile = nofile  # the file limit (RLIMIT_NOFILE) casebot runs under, as LimitNOFILE= sets it
        self.log = log  # where its stderr goes (the log), instead of the test's own
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/wecom"
        self.signer = CallbackSigner()
        self.env = {
            "CASEBOT_CAMPAIGN": "demo",
            "CASEBOT_DB": str(folder / "bot.sqlite3"),
            "CASEBOT_OUT": str(folder / "out"),
            "CASEBOT_ADMIN_IDS": "wecom:ShengAdmin",
            "PYTHONUNBUFFERED": "1",
            **wecom_env(fake, self.port),
            **(extra_env or {}),
        }
        self.codes: dict[tuple[str, str], str] = {}  # (unit, role) → invitation code, for a test to fill in
        self.proc: asyncio.subprocess.Process | None = None
        self.http: aiohttp.ClientSession | None = None

    def full_env(self, extra: Mapping[str, str] | None = None) -> dict[str, str]:
        return {**os.environ, **self.env, **(extra or {})}

    async def invite_codes(self) -> dict[tuple[str, str], str]:
        """(unit name, role name) → code, from `casebot invites` run with the same settings."""
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "invites", env=self.full_env(), cwd=self.folder, stdout=asyncio.subprocess.PIPE
        )
        out, _ = await proc.communicate()
        assert proc.returncode == 0
        text = out.decode("utf-8")
        assert "企业微信" in text  # the usage lines name the WeCom channel when it is configured
        codes = {}
        for line in text.splitlines()[1:]:
            cells = line.split("\t")
            if len(cells) == 3:
                codes[(cells[0], cells[1])] = cells[2]
        return codes

    async def start(self, extra_env: Mapping[str, str] | None = None, ready_timeout: float = 30.0) -> None:
        nofile = self.nofile
        limit = None if nofile is None else lambda: resource.setrlimit(resource.RLIMIT_NOFILE, (nofile, nofile))
        with contextlib.ExitStack() as files:
            stderr = None if self.log is None else files.enter_context(self.log.open("ab"))
            self.proc = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "bot",
                "run",
                env=self.full_env(extra_env),
                cwd=self.folder,
                start_new_session=True,  # a group of its own, as a service manager runs it
                preexec_fn=limit,
                stderr=stderr,
            )
        if self.http is None:
            self.http = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30))
        loop = asyncio.get_running_loop()
        until = loop.time() + ready_timeout
        while True:
            if self.proc.returncode is not None:
                raise RuntimeError(f"casebot exited with {self.proc.returncode} before listening")
            try:
                async with asyncio.timeout(2):
                    if await self.verify("ready") == (200, "ready"):
                        return
            except (aiohttp.ClientError, TimeoutError):
                pass
            if loop.time() > until:
                raise TimeoutError("casebot did not answer the URL verification")
            await asyncio.sleep(0.1)

    async def stop(self, crash: bool = False) -> int | None:
        """SIGTERM (or SIGKILL for a crash) and the exit code; 0 means it stopped cleanly."""
        proc, self.proc = self.proc, None
        if proc is None:
            return None
        if proc.returncode is None:
            if crash:
                proc.kill()
            else:
                proc.terminate()
        try:
            return await asyncio.wait_for(proc.wait(), 20)
        except TimeoutError:
            proc.kill()
            return await proc.wait()

    async def close(self) -> int | None:
        code = await self.stop()
        if self.http is not None:
            await self.http.close()
            self.http = None
        return code

    # -- what WeCom's servers do --------------------------------------------------------------------

    async def verify(self, echo: str) -> tuple[int, str]:
        assert self.http is not None
        async with self.http.get(self.url, params=self.signer.verify(echo)) as response:
            return response.status, await response.text()

    async def post(self, xml: str, *, tamper: bool = False) -> int:
        """POST one callback as WeCom does; ``tamper`` spoils the signature. Returns the HTTP status."""
        assert self.http is not None
        query, body = self.signer.post(xml)
        if tamper:
            query["msg_signature"] = "0" * 40
        async with self.http.post(self.url, params=query, data=body) as response:
            await response.read()
            return response.status


class Member:
    """A WeCom member talking to the application: sends callbacks, reads what the fake received for them."""

    def __init__(self, bot: WeComBot, userid: str) -> None:
        self.bot = bot
        self.userid = userid
        self.member = userid.lower()  # casebot addresses members by the lower-cased UserID
        self.seen = 0  # messages already matched by wait_for

    @property
    def messages(self) -> list[dict[str, Any]]:
        return [m for m in self.bot.fake.sent if m.get("touser") == self.member]

    def texts(self) -> list[str]:
        return [m["text"]["content"] for m in self.messages if m["msgtype"] == "text"]

    async def send(self, content: str, *, msg_id: str | None = None) -> int:
        status = await self.bot.post(text_xml(self.userid, content, msg_id=msg_id))
        assert status == 200
        return status

    async def send_picture(self, data: bytes, content_type: str = "image/jpeg") -> None:
        media_id = self.bot.fake.add_media(data, content_type)
        assert await self.bot.post(image_xml(self.userid, media_id)) == 200

    async def event(self, event: str, key: str = "") -> None:
        assert await self.bot.post(event_xml(self.userid, event, key=key)) == 200

    async def card(self, timeout: float = 30.0) -> dict[str, Any]:
        """The next button card, after the messages already matched."""
        return await self.wait_for(lambda m: m["msgtype"] == "template_card", timeout)

    async def press(self, card: dict[str, Any], text: str) -> None:
        """Press the button reading ``text`` on ``card``, as the WeCom client reports it."""
        body = card["template_card"]
        key = next(b["key"] for b in body["button_list"] if b["text"] == text)
        assert (
            await self.bot.post(event_xml(self.userid, "template_card_event", key=key, task_id=body["task_id"])) == 200
        )

    async def wait_for(self, expect: str | Callable[[dict[str, Any]], bool], timeout: float = 30.0) -> dict[str, Any]:
        """The first message after those already matched that contains ``expect`` (or satisfies it)."""
        match = (
            (lambda m: m["msgtype"] == "text" and expect in m["text"]["content"]) if isinstance(expect, str) else expect
        )
        found: list[dict[str, Any]] = []

        def arrived() -> bool:  # re-checked whenever the fake takes a message
            messages = self.messages
            for index in range(self.seen, len(messages)):
                if match(messages[index]):
                    self.seen = index + 1
                    found.append(messages[index])
                    return True
            return False

        if not await self.bot.fake.wait_until(arrived, timeout):
            shown = "\n---\n".join(m.get("text", {}).get("content", m["msgtype"]) for m in self.messages[-5:])
            raise AssertionError(f"{self.userid} got no {expect!r}; last messages:\n{shown}")
        return found[0]

    async def say(self, content: str, expect: str, timeout: float = 30.0) -> str:
        await self.send(content)
        return str((await self.wait_for(expect, timeout))["text"]["content"])
