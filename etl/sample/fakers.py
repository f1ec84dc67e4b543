"""Invented values that look real: people (the personal-data columns), phones, firms,
institutions, brands, random text and listing URLs.

Why a module: every kind draws names from the same tables, and patents and cases share one pool of
firms, the way real applicants are also complainants. Nothing here is a real person or company.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import polars as pl

from etl.sample import columns as cols
from etl.sample.core import K_POOL, ONLINE, choice, stream

# fmt: off
_SURNAMES = list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖"
                 "田董潘袁蔡蒋余于杜叶程魏苏吕丁任卢姚钟")
_SURNAME_W = np.array([7.2, 7.1, 6.8, 5.4, 4.6, 3.1, 2.4, 2.2, 2.0, 1.9, 1.8, 1.5, 1.4, 1.3,
                       1.3, 1.2, 1.2, 1.5, 1.3, 1.0, 1.0, 1.2, 0.9, 0.9, 0.9, 0.9, 0.8, 0.8,
                       0.7, 0.8, 0.8, 0.7, 0.6, 0.6, 0.6, 0.6, 0.6, 0.5, 0.5, 0.5, 0.5, 0.5,
                       0.5, 0.5, 0.5, 0.5, 0.5, 0.4, 0.4, 0.4, 0.4, 0.4, 0.4, 0.4])
_GIVEN = list("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍建国红梅鹏飞辉斌宇浩"
              "凯健俊帆帅旭宁婷雪琳晨欣怡子涵思雨嘉诚志峰海燕丹颖佳琪文博晓东振宏永新春梓轩")
_ENT_PREFIX = ("广州市", "广州", "广州市花都区", "广州市狮岭", "佛山市", "东莞市", "深圳市",
               "汕头市")
_ENT_PREFIX_W = (0.42, 0.16, 0.14, 0.12, 0.05, 0.05, 0.03, 0.03)
_ENT_CHARS = list("金华鑫盛利达源丰泰兴隆恒信诚宝美雅丽嘉顺祥瑞龙凤腾飞宏远创新骏豪皇冠尚品佳"
                  "艺致锦绣欧朗威帝琪蓝卓越星辰荣昌德汇通益邦富联合亿万晟晖焱森淼鼎翔宸睿")
_ENT_TRADE = ("皮具", "皮革", "箱包", "手袋", "皮件", "皮具制品", "五金制品", "服饰", "鞋业",
              "皮业")
_ENT_TRADE_W = (0.36, 0.14, 0.16, 0.1, 0.05, 0.06, 0.05, 0.03, 0.02, 0.03)
_ENT_FORM = ("有限公司", "实业有限公司", "贸易有限公司", "科技有限公司", "股份有限公司")
_ENT_FORM_W = (0.55, 0.18, 0.12, 0.1, 0.05)
INSTITUTIONS = ("花城轻工职业技术学院", "岭南皮革工程研究院", "华南箱包设计研究所",
                "广州市皮具产品质量检测中心", "狮岭皮具产业技术创新中心", "南方纺织服装职业学院",
                "华粤材料科学研究院", "羊城工业设计学院")
BRANDS = {
    "international": ("Maison Lavelle", "Veroni", "Castellan", "Harlow & Finch", "Oriane Paris",
                      "Belmonte", "Kessler Wien", "Aurelio Conti"),
    "domestic": ("雅途", "骏驰", "锦程", "华韵", "悦行", "君铂", "臻品", "远帆"),
    "local": ("岭秀", "狮艺", "皮匠坊", "华都皮艺", "岭南行囊", "狮城之星", "花都匠心"),
}
_PHONE_HEADS = np.array([*range(130, 140), *range(150, 154), *range(155, 160), *range(180, 190)])
# fmt: on

# listing_url per platform (ONLINE order): (prefix, digits of the numeric id or 0 if
# alphanumeric, suffix).
_LISTING_URL = (
    ("https://detail.tmall.com/item.htm?id=", 12, ""),
    ("https://item.taobao.com/item.htm?id=", 12, ""),
    ("https://item.jd.com/", 11, ".html"),
    ("https://mobile.yangkeduo.com/goods.html?goods_id=", 12, ""),
    ("https://haohuo.jinritemai.com/views/product/detail?id=", 19, ""),
    ("https://detail.1688.com/offer/", 12, ".html"),
    ("https://www.amazon.com/dp/B0", 0, ""),
    ("https://app.kwaixiaodian.com/merchant/shop/detail?id=", 13, ""),
    ("https://www.xiaohongshu.com/goods-detail/", 0, ""),
)


def person_names(rng: np.random.Generator, n: int) -> pl.Series:
    """Chinese person names: a weighted surname and one or two given-name characters."""
    sur = cols.labels(_SURNAMES, choice(rng, n, _SURNAME_W))
    g1 = cols.labels(_GIVEN, rng.integers(0, len(_GIVEN), n))
    two = rng.random(n) < 0.7
    g2 = cols.labels(["", *_GIVEN], np.where(two, rng.integers(1, len(_GIVEN) + 1, n), 0))
    return sur + g1 + g2


def phones(rng: np.random.Generator, n: int) -> pl.Series:
    """11-digit mobile numbers in the 13x / 15x / 18x ranges."""
    head = _PHONE_HEADS[rng.integers(0, len(_PHONE_HEADS), n)].astype(np.int64)
    return pl.Series(head * 100_000_000 + rng.integers(0, 100_000_000, n)).cast(pl.String)


@lru_cache(maxsize=4)
def _enterprise_pool(seed: int, scale: float) -> tuple[pl.Series, np.ndarray]:
    """Distinct firm names, each with a skewed activity weight.

    The pool grows with the square root of scale (more data, more firms, but the prolific filers
    stay prolific). Patent applicants and case complainants draw from the same pool, so the two
    kinds share firms the way real data does.
    """
    size = int(min(200_000, max(300, 3000 * np.sqrt(scale))))
    rng = stream(seed, K_POOL)
    m = int(size * 1.6) + 50
    c1 = rng.integers(0, len(_ENT_CHARS), m)
    c2 = (c1 + rng.integers(1, len(_ENT_CHARS), m)) % len(_ENT_CHARS)  # two different characters
    names = (
        cols.labels(_ENT_PREFIX, choice(rng, m, _ENT_PREFIX_W))
        + cols.labels(_ENT_CHARS, c1)
        + cols.labels(_ENT_CHARS, c2)
        + cols.labels(_ENT_TRADE, choice(rng, m, _ENT_TRADE_W))
        + cols.labels(_ENT_FORM, choice(rng, m, _ENT_FORM_W))
    )
    names = names.unique(maintain_order=True).head(size)
    w = 1.0 / (np.arange(len(names)) + 8.0) ** 0.9
    return names, w / w.sum()


def enterprises(rng: np.random.Generator, n: int, seed: int, scale: float) -> pl.Series:
    """n firm names from the shared pool of (seed, scale), prolific firms more often."""
    names, w = _enterprise_pool(seed, scale)
    return names.gather(rng.choice(len(names), size=n, p=w))


def random_text(rng: np.random.Generator, n: int, k: int, alphabet: str) -> pl.Series:
    """n random strings of k characters from an ASCII alphabet, built without a Python loop."""
    chars = np.frombuffer(alphabet.encode("ascii"), dtype=np.uint8)
    codes = np.ascontiguousarray(chars[rng.integers(0, len(alphabet), (n, k))])
    return pl.Series(codes.view(f"S{k}").ravel()).cast(pl.String)


def listing_urls(rng: np.random.Generator, platform: np.ndarray) -> pl.Series:
    """URLs shaped like each platform's item pages (ids random); `platform` indexes ONLINE."""
    parts = []
    for p, (prefix, digits, suffix) in enumerate(_LISTING_URL):
        rows = np.flatnonzero(platform == p)
        m = rows.size
        if m == 0:
            continue
        if ONLINE[p] == "amazon":
            ident = random_text(rng, m, 8, "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")
        elif ONLINE[p] == "xiaohongshu":
            ident = random_text(rng, m, 24, "0123456789abcdef")
        else:
            # Douyin's 19-digit ids start with 3 (and so fit int64); others with any digit 1-9.
            unit = 10 ** (digits - 1)
            lead = np.full(m, 3) if digits == 19 else rng.integers(1, 10, m)
            num = lead.astype(np.int64) * unit + rng.integers(0, unit, m)
            ident = pl.Series(num).cast(pl.String)
        parts.append(pl.DataFrame({"row": rows, "url": prefix + ident + suffix}))
    return pl.concat(parts).sort("row")["url"]
