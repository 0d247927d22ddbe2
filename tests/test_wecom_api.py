"""The WeCom API client over real HTTP against the loopback fake: token, texts, files, cards, media."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import httpx
import pytest

from bot.channels.wecom.api import MediaTooLarge, WeComApi, WeComApiError
from bot.channels.wecom.pacing import Pacer
from tests.test_wecom_pacing import FakeClock
from tests.wecom import TEXT_TOO_LONG, WeComFake

DOCX_NAME = "立足“三个聚焦”打造网络文明新高地（合肥市委网信办）.docx"


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
async def api(wecom_fake: WeComFake, clock: FakeClock) -> AsyncIterator[WeComApi]:
    async with WeComApi(wecom_fake.corp_id, wecom_fake.secret, 1000002, wecom_fake.url, clock=clock) as client:
        yield client


async def test_a_text_is_sent_with_one_token_for_many_messages(api: WeComApi, wecom_fake: WeComFake) -> None:
    assert await api.send_text("zhangsan", "请输入推荐单位全称。") == 1
    await api.send_text("lisi", "已收到。")
    assert wecom_fake.texts("zhangsan") == ["请输入推荐单位全称。"]
    assert wecom_fake.sent[0]["agentid"] == 1000002 and wecom_fake.sent[0]["msgtype"] == "text"
    assert len(wecom_fake.tokens_issued) == 1


async def test_the_token_is_fetched_again_shortly_before_it_expires(
    api: WeComApi, wecom_fake: WeComFake, clock: FakeClock
) -> None:
    await api.send_text("zhangsan", "一")
    clock.time += 7200 - 301
    await api.send_text("zhangsan", "二")
    assert len(wecom_fake.tokens_issued) == 1
    clock.time += 2
    await api.send_text("zhangsan", "三")
    assert len(wecom_fake.tokens_issued) == 2
    assert wecom_fake.texts() == ["一", "二", "三"]


async def test_an_expired_token_is_refreshed_and_the_send_retried_once(api: WeComApi, wecom_fake: WeComFake) -> None:
    await api.send_text("zhangsan", "第一条")
    wecom_fake.expire_token_once()
    await api.send_text("zhangsan", "第二条")
    assert wecom_fake.texts() == ["第一条", "第二条"]
    assert len(wecom_fake.tokens_issued) == 2
    assert wecom_fake.refused == [("/cgi-bin/message/send", 42001)]


async def test_an_invalid_token_is_refreshed_too(api: WeComApi, wecom_fake: WeComFake) -> None:
    await api.send_text("zhangsan", "第一条")
    wecom_fake.revoke_tokens()
    await api.send_file("zhangsan", "推荐表.docx", b"PK\x03\x04" + bytes(500))
    assert wecom_fake.refused == [("/cgi-bin/media/upload", 40014)]
    assert [m["msgtype"] for m in wecom_fake.sent] == ["text", "file"]
    assert len(wecom_fake.tokens_issued) == 2


async def test_a_second_refusal_in_a_row_is_raised(api: WeComApi, wecom_fake: WeComFake) -> None:
    wecom_fake.expire_token_once(times=2)
    with pytest.raises(WeComApiError) as raised:
        await api.send_text("zhangsan", "你好")
    assert raised.value.errcode == 42001 and raised.value.errmsg == "access_token expired"
    assert wecom_fake.sent == []


async def test_wrong_credentials_raise_with_the_errcode(wecom_fake: WeComFake) -> None:
    async with WeComApi(wecom_fake.corp_id, "wrong", 1000002, wecom_fake.url) as client:
        with pytest.raises(WeComApiError) as raised:
            await client.send_text("zhangsan", "你好")
    assert raised.value.errcode == 40001 and raised.value.path == "/cgi-bin/gettoken"


async def test_an_unreachable_server_raises_an_api_error() -> None:
    async with WeComApi("ww1", "s", 1, "http://127.0.0.1:9") as client:
        with pytest.raises(WeComApiError) as raised:
            await client.token()
    assert raised.value.errcode == -1


async def test_an_http_error_status_raises_an_api_error(wecom_fake: WeComFake) -> None:
    async with WeComApi(wecom_fake.corp_id, wecom_fake.secret, 1, wecom_fake.url + "/nowhere") as client:
        with pytest.raises(WeComApiError) as raised:
            await client.token()
    assert raised.value.status == 404


async def test_a_long_review_arrives_as_several_messages_in_order(api: WeComApi, wecom_fake: WeComFake) -> None:
    sections = [f"{n}、" + "推进网络文明建设，营造清朗网络空间。" * 30 for n in "一二三四"]
    text = "\n\n".join(sections)
    assert await api.send_text("zhangsan", text) == 4
    assert wecom_fake.texts("zhangsan") == sections
    assert wecom_fake.refused == []


async def test_the_fake_refuses_what_the_client_never_sends(wecom_fake: WeComFake) -> None:
    """The fake's strictness is what makes the split test mean something."""
    async with httpx.AsyncClient() as raw:
        token = (
            await raw.get(
                f"{wecom_fake.url}/cgi-bin/gettoken",
                params={"corpid": wecom_fake.corp_id, "corpsecret": wecom_fake.secret},
            )
        ).json()["access_token"]
        body = {"touser": "zhangsan", "msgtype": "text", "agentid": 1, "text": {"content": "案" * 683}}
        answer = await raw.post(f"{wecom_fake.url}/cgi-bin/message/send", params={"access_token": token}, json=body)
    assert answer.json()["errcode"] == TEXT_TOO_LONG
    assert wecom_fake.sent == []


async def test_a_file_goes_out_under_its_raw_utf8_chinese_name(api: WeComApi, wecom_fake: WeComFake) -> None:
    data = b"PK\x03\x04" + bytes(range(256)) * 40
    await api.send_file("zhangsan", DOCX_NAME, data)
    (upload,) = wecom_fake.uploads
    assert upload.raw_filename == DOCX_NAME.encode("utf-8")
    assert b"%E7" not in upload.raw_filename
    assert upload.data == data
    assert wecom_fake.sent == [
        {"touser": "zhangsan", "msgtype": "file", "agentid": 1000002, "file": {"media_id": upload.media_id}}
    ]


async def test_texts_and_files_to_one_member_keep_their_order(api: WeComApi, wecom_fake: WeComFake) -> None:
    await asyncio.gather(
        api.send_text("zhangsan", "推荐表已生成。"),
        api.send_file("zhangsan", "汇总表.xlsx", b"PK\x03\x04" + bytes(500)),
        api.send_text("zhangsan", "请查收。"),
    )
    assert [m["msgtype"] for m in wecom_fake.sent] == ["text", "file", "text"]


async def test_a_button_card_carries_keys_and_task(api: WeComApi, wecom_fake: WeComFake) -> None:
    await api.send_buttons(
        "zhangsan",
        "请选择案例类别",
        "共 3 类",
        "T42",
        [("cat:1", "网络文明建设"), ("cat:2", "网络文化"), ("cat:3", "网络公益")],
    )
    (card,) = wecom_fake.sent
    assert card["msgtype"] == "template_card"
    assert card["template_card"]["task_id"] == "T42"
    assert [b["key"] for b in card["template_card"]["button_list"]] == ["cat:1", "cat:2", "cat:3"]
    with pytest.raises(ValueError):
        await api.send_buttons("zhangsan", "t", "d", "T43", [(str(n), str(n)) for n in range(7)])


async def test_a_photo_is_downloaded_by_media_id(api: WeComApi, wecom_fake: WeComFake) -> None:
    photo = b"\xff\xd8\xff\xe0" + bytes(300_000) + b"\xff\xd9"
    media_id = wecom_fake.add_media(photo)
    wecom_fake.expire_token_once()
    assert await api.download_media(media_id) == photo


async def test_an_unknown_media_id_and_an_oversized_photo_raise(api: WeComApi, wecom_fake: WeComFake) -> None:
    with pytest.raises(WeComApiError) as raised:
        await api.download_media("NOPE")
    assert raised.value.errcode == 40007
    media_id = wecom_fake.add_media(bytes(100_001))
    with pytest.raises(MediaTooLarge):
        await api.download_media(media_id, max_bytes=100_000)


async def test_sends_past_a_members_minute_limit_wait_and_all_arrive(wecom_fake: WeComFake, clock: FakeClock) -> None:
    pacer = Pacer(clock=clock)
    async with WeComApi(wecom_fake.corp_id, wecom_fake.secret, 1, wecom_fake.url, clock=clock, pacer=pacer) as client:
        for n in range(35):
            await client.send_text("zhangsan", f"第 {n + 1} 条")
    assert len(wecom_fake.texts("zhangsan")) == 35
    assert clock.slept == [60.0]


async def test_a_member_outside_the_apps_range_is_an_error_not_a_silent_loss(
    api: WeComApi, wecom_fake: WeComFake
) -> None:
    wecom_fake.outside.add("wangwu")
    with pytest.raises(WeComApiError) as raised:
        await api.send_text("wangwu", "您的案例已退回修改。")
    assert raised.value.errcode == 81013


@pytest.mark.parametrize("size", [0, 5, 20 * 1024 * 1024 + 1])
async def test_files_wecom_would_refuse_raise(api: WeComApi, wecom_fake: WeComFake, size: int) -> None:
    with pytest.raises(WeComApiError) as raised:
        await api.send_file("zhangsan", "推荐表.docx", bytes(size))
    assert raised.value.errcode == 40006 and wecom_fake.sent == []
