"""Deterministic benchmark corpus: N Chinese blog posts with ~1 image each.

    python bench/make_corpus.py OUT_DIR N [--no-images]

Writes OUT_DIR/content/posts/*.md, OUT_DIR/content/assets/*, OUT_DIR/bookmaker.toml. The same
N always gives the same bytes, so bookmaker and pandoc are measured on identical input.
Text: ~3,000 characters a post, Chinese prose with Latin words and numbers, headings,
lists, code, a table, footnotes. Images: mixed formats and sizes, one in eight oversized.
"""

from __future__ import annotations

import random
import sys
from datetime import date, timedelta
from pathlib import Path

from PIL import Image, ImageDraw

WORDS = (
    "今天 我们 城市 地铁 早上 咖啡 程序 服务器 部署 周末 读书 朋友 旅行 火车 山里 下雨 "
    "项目 同事 会议 代码 测试 文档 键盘 屏幕 工作 生活 时间 计划 记录 思考 学习 经验 "
    "问题 办法 结果 数据 用户 产品 设计 细节 习惯 季节 秋天 晚饭 散步 公园 书店 音乐"
).split()
LATIN = "Python Linux iPhone GitHub Docker Rust SQLite Kindle Wi-Fi API CPU macOS Vim".split()
PUNCT = "，，，、。"


def sentence(rng: random.Random) -> str:
    parts = []
    for _ in range(rng.randint(4, 9)):
        w = rng.choice(WORDS)
        if rng.random() < 0.12:
            w += rng.choice(LATIN)
        if rng.random() < 0.08:
            w += f"{rng.randint(2, 2025)}"
        parts.append(w)
        parts.append(rng.choice(PUNCT) if rng.random() < 0.3 else "")
    return "".join(parts).rstrip("，、。") + "。"


def paragraph(rng: random.Random) -> str:
    return "".join(sentence(rng) for _ in range(rng.randint(3, 7)))


def body(rng: random.Random, n: int, image: str | None) -> str:
    out = [paragraph(rng), ""]
    if image:
        out += [f"![第 {n} 篇的配图]({image})", ""]
    for section in range(1, 4):
        out += [f"## 第{section}节 {rng.choice(WORDS)}{rng.choice(WORDS)}", ""]
        out += [paragraph(rng) + f"[^{section}]", "", paragraph(rng), ""]
        if section == 1:
            out += [f"- {sentence(rng)}" for _ in range(4)] + [""]
        if section == 2:
            out += ["```python", "def hello(name):", '    return f"你好, {name}"', "```", ""]
            out += ["| 项目 | 数量 | 说明 |", "|---|---|---|"]
            out += [f"| {rng.choice(WORDS)} | {rng.randint(1, 99)} | {sentence(rng)} |"] * 3
            out += [""]
    out += [f"[^{i}]: {sentence(rng)}" for i in range(1, 4)]
    return "\n".join(out) + "\n"


def make_image(rng: random.Random, path: Path, fmt: str, size: tuple[int, int]) -> None:
    w, h = size
    img = Image.effect_noise((w, h), rng.randint(20, 80)).convert("RGB")
    draw = ImageDraw.Draw(img)
    for _ in range(12):
        x, y = rng.randrange(w), rng.randrange(h)
        r = rng.randint(20, w // 4)
        colour = tuple(rng.randrange(256) for _ in range(3))
        draw.ellipse((x - r, y - r, x + r, y + r), fill=colour)
    if fmt == "PNG":
        img = img.reduce(2)
    img.save(path, fmt, quality=85) if fmt in ("JPEG", "WEBP") else img.save(path, fmt)


FORMATS = (("JPEG", "jpg"), ("JPEG", "jpg"), ("JPEG", "jpg"), ("PNG", "png"), ("WEBP", "webp"))


def make(out: Path, n: int, with_images: bool = True) -> None:
    posts, assets = out / "content" / "posts", out / "content" / "assets"
    posts.mkdir(parents=True, exist_ok=True)
    assets.mkdir(parents=True, exist_ok=True)
    start = date(2019, 1, 1)
    step = timedelta(days=2) if n <= 1000 else timedelta(days=2000) / n  # never in the future
    for i in range(n):
        rng = random.Random(i)
        day = start + step * i
        image = None
        if with_images and i % 20 != 19:  # ~1 image a post
            fmt, ext = FORMATS[i % len(FORMATS)]
            size = (4000, 3000) if i % 8 == 0 else (1600, 1200)
            name = f"img-{i:05d}.{ext}"
            if not (assets / name).exists():
                make_image(rng, assets / name, fmt, size)
            image = f"../assets/{name}"
        title = f"{rng.choice(WORDS)}{rng.choice(WORDS)}札记之{i + 1}"
        front = f'---\ntitle: "{title}"\ndate: {day.isoformat()} 09:{i % 60:02d}:00\n'
        front += f"tags: [{rng.choice(WORDS)}, 随笔]\n---\n\n"
        (posts / f"{day.isoformat()}-post-{i:05d}.md").write_text(
            front + body(rng, i, image), encoding="utf-8"
        )
    # Written last: its presence tells bench/run the corpus is complete.
    (out / "bookmaker.toml").write_text(
        f'[book]\ntitle = "基准测试文集 {n}"\nauthor = "bench"\n', encoding="utf-8"
    )


if __name__ == "__main__":
    make(Path(sys.argv[1]), int(sys.argv[2]), "--no-images" not in sys.argv[3:])
