"""An embedded player's address -> the page a reader can open instead.

A book cannot play a video, so an `<iframe>` becomes a link (sanitize.py). The address in
the iframe is the bare player: Bilibili's `//player.bilibili.com/player.html?bvid=…` opens
a black frame with no title or comments, and has no scheme at all. Where the site has a
page of its own for the same video or song, the link goes there.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

NETEASE_KINDS = {"0": "playlist", "1": "album", "2": "song", "3": "program"}
# A video's own page, for an embed here and for Hugo's and Hexo's youtube/vimeo tags
# (and LoveIt's bilibili).
VIDEO_PAGES = {
    "youtube": ("YouTube", "https://www.youtube.com/watch?v="),
    "vimeo": ("Vimeo", "https://vimeo.com/"),
    "bilibili": ("Bilibili", "https://www.bilibili.com/video/"),
}


def video_link(site: str, vid: str, title: str | None = None) -> str:
    """Markdown for a link to a video's page: `[YouTube: abc](<https://…?v=abc>)`."""
    label, page = VIDEO_PAGES[site]
    return f"[{label}: {title or vid}](<{page}{vid}>)"


def page_url(src: str) -> str:
    """`src` with a scheme (`//host/…` is https), as the site's own page where known."""
    url = "https:" + src if src.startswith("//") else src
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").removeprefix("www.")
    except ValueError:
        return url
    query = {k: v[0] for k, v in parse_qs(parts.query).items() if v and v[0]}
    path = parts.path.rstrip("/")
    found = _known(host, path, query)
    return found or url


def _known(host: str, path: str, query: dict[str, str]) -> str | None:
    last = path.rpartition("/")[2]
    if host in ("youtube.com", "youtube-nocookie.com") and path.startswith("/embed/") and last:
        return VIDEO_PAGES["youtube"][1] + last
    if host == "player.bilibili.com":
        if "bvid" in query:
            return f"https://www.bilibili.com/video/{query['bvid']}"
        if query.get("aid", "").isdigit():
            return f"https://www.bilibili.com/video/av{query['aid']}"
    if host == "player.vimeo.com" and path.startswith("/video/") and last.isdigit():
        return VIDEO_PAGES["vimeo"][1] + last
    if host == "player.youku.com" and path.startswith("/embed/") and last:
        return f"https://v.youku.com/v_show/id_{last}.html"
    if host == "v.qq.com" and "vid" in query:
        return f"https://v.qq.com/x/page/{query['vid']}.html"
    if host == "music.163.com" and "outchain" in path and query.get("id", "").isdigit():
        kind = NETEASE_KINDS.get(query.get("type", "2"), "song")
        return f"https://music.163.com/#/{kind}?id={query['id']}"
    return None
