"""The explorer and the map animation at 1:1: time from pressing run to the first frame, updates
per second while the run streams, and the time to render a week of the map as GIF and MP4.
Usage::

    python benchmarks/explorer.py [--scale 1.0]

The explorer is measured as the page sees it: a real server on 127.0.0.1, a POST to start the run,
then the event stream read frame by frame. Mesa's interactive view (Solara) has no comparable
streaming mode, so there is no peer column.
"""

from __future__ import annotations

import argparse
import json
import socket
import tempfile
import threading
import time
from pathlib import Path

import httpx
import uvicorn

import narod
from narod.cli_city import write_run
from narod.viz.citymap import animate
from narod.web.app import create_app
from narod.web.runs import Limits


def explorer(scale: float) -> tuple[float, float, int]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(Limits()), host="127.0.0.1", port=port,
                                           log_level="warning"))  # fmt: skip
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    base = f"http://127.0.0.1:{port}"
    body = {"scenario": "petrograd-1917", "params": {"city.scale": scale}}
    pressed = time.perf_counter()
    run = httpx.post(f"{base}/api/runs", json=body, timeout=30).json()
    first, frames = None, 0
    with httpx.stream("GET", f"{base}/api/runs/{run['id']}/stream", timeout=300) as stream:
        for line in stream.iter_lines():
            if not line.startswith("data: "):
                continue
            message = json.loads(line[6:])
            if message["type"] != "frame":
                break
            frames += 1
            if first is None:
                first = time.perf_counter() - pressed
    total = time.perf_counter() - pressed
    server.should_exit = True
    return first or float("nan"), (frames - 1) / (total - first), frames


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    args = parser.parse_args()
    narod.simulate(narod.load_scenario("petrograd-1917", **{"city.scale": 0.001}))  # compile
    first, rate, frames = explorer(args.scale)
    print(f"explorer, scale {args.scale}: first frame {first:.2f} s after pressing run; "
          f"{rate:.1f} updates/s while running ({frames} frames)")  # fmt: skip
    with tempfile.TemporaryDirectory() as folder:
        result = narod.simulate(narod.load_scenario("petrograd-1917",
                                                    **{"city.scale": args.scale}))  # fmt: skip
        write_run(result, Path(folder))
        for fmt in ("gif", "mp4"):
            start = time.perf_counter()
            path = animate(Path(folder), fmt=fmt)
            took = time.perf_counter() - start
            print(f"animation, {fmt}: {took:.1f} s for 337 frames ({path.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()
