"""Make the README's pictures: a frame of the city map and the explorer with two runs.

.venv/bin/python docs/screenshots.py      (needs Debian's chromium for the explorer)
"""

from __future__ import annotations

import socket
import tempfile
import threading
import time
from pathlib import Path

import uvicorn
from playwright.sync_api import sync_playwright

import narod
from narod.cli_city import write_run
from narod.viz.citymap import CityMap, read_frames
from narod.web.app import create_app

HERE = Path(__file__).parent


def map_frame(scale: float = 1.0) -> Path:
    with tempfile.TemporaryDirectory() as folder:
        result = narod.simulate(narod.load_scenario("petrograd-1917", **{"city.scale": scale}))
        write_run(result, Path(folder))
        frames = read_frames(Path(folder))
        return CityMap().save(frames[4 * 48 + 31], HERE / "map.png")  # 27 Feb, 15:30


def explorer(scale: str = "0.02") -> Path:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(), host="127.0.0.1", port=port,
                                           log_level="warning"))  # fmt: skip
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1250, "height": 1000})
        page.goto(f"http://127.0.0.1:{port}/")
        page.locator("input[data-key='city.scale']").evaluate(
            "(el, v) => { el.value = v; el.dispatchEvent(new Event('input')); }", scale
        )
        page.locator("#panel-b .variant").select_option("loyal-garrison")
        for slot in ("a", "b"):
            page.locator(f"#panel-{slot} .run").click()
            page.locator(f"#panel-{slot} .downloads a.csv").wait_for(timeout=300_000)
        page.screenshot(path=str(HERE / "explorer.png"))
        browser.close()
    server.should_exit = True
    return HERE / "explorer.png"


if __name__ == "__main__":
    print(map_frame())
    print(explorer())
