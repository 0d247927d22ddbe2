"""Time the 同一案例不重复申报 check of one case against 5 000 others.

    python bench/similarity.py [N]

Prints the time with fingerprints kept by the storage layer (the intended path), and with plain
forms: cold (nothing memoised, the first check after a start) and warm (``Fingerprint.of`` has
memoised the unchanged cases). The texts are synthetic: names of
about 15 字 and summaries of about 280 字 drawn from the vocabulary of the campaign, so that
unrelated cases share many bigrams ("网络", "文明", "建设") as real ones do.
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from dialogs.campaign import Duplicates  # noqa: E402
from dialogs.models import CaseForm  # noqa: E402
from dialogs.similarity import Fingerprint, _fingerprint, check_duplicate, normalise  # noqa: E402

WORDS = (
    "网络 文明 建设 清朗 行动 青少年 网络素养 教育 平台 社区 校园 企业 活动 传播 正能量 志愿 服务 诚信 公益 "
    "治理 生态 文化 培育 道德 引领 思想 理论 宣传 短视频 直播 网民 互动 品牌 机制 创新 示范 典型 基层 "
    "乡村 振兴 非遗 传统 融媒体 新闻 网站 账号 举报 谣言 未成年人 保护 家庭 家风 好人 榜样 故事 讲述"
).split()
PUNCT = "，。、；“”（）"


def text(rng: random.Random, zi: int) -> str:
    out: list[str] = []
    length = 0
    while length < zi:
        word = rng.choice(WORDS)
        out.append(word)
        length += len(word)
        if rng.random() < 0.15:
            out.append(rng.choice(PUNCT))
    return "".join(out)


def best_of(runs: int, action) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return min(times)


def main(n: int = 5000) -> None:
    rng = random.Random(2024)
    forms = [(i, CaseForm(name=text(rng, 15), summary=text(rng, 280))) for i in range(n)]
    candidate = CaseForm(name=text(rng, 15), summary=text(rng, 280))
    thresholds = Duplicates()
    normalise("预热")  # builds the character table once, as the first real check would

    started = time.perf_counter()
    fingerprints = [(i, Fingerprint.of_form(f)) for i, f in forms]
    build = time.perf_counter() - started

    mine = Fingerprint.of_form(candidate)
    kept = best_of(5, lambda: check_duplicate(mine, fingerprints, thresholds))

    def cold() -> None:
        _fingerprint.cache_clear()
        check_duplicate(candidate, forms, thresholds)

    cold_forms = best_of(3, cold)
    warm_forms = best_of(5, lambda: check_duplicate(candidate, forms, thresholds))
    verdict = check_duplicate(candidate, forms, thresholds)

    print(f"cases: {n}, verdict: {verdict.kind}")
    print(f"fingerprinting {n} cases (once):            {build * 1000:7.1f} ms")
    print(f"one case against {n} kept fingerprints:     {kept * 1000:7.1f} ms")
    print(f"one case against {n} forms, cold:           {cold_forms * 1000:7.1f} ms")
    print(f"one case against {n} forms, memoised:       {warm_forms * 1000:7.1f} ms")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5000)
