"""The explorer: its API checked request by request, then the page driven in a real Chromium."""

import csv
import json
import os
import shutil
import socket
import threading
import time

import pytest
from fastapi.testclient import TestClient

from narod.web import runs as web_runs
from narod.web.app import create_app
from narod.web.runs import Limits

SMALL = {"city.scale": 0.002}


@pytest.fixture()
def client():
    return TestClient(create_app(Limits(max_agents=60_000, max_runs=1)))


def wait_done(client, run_id, timeout=120):
    start = time.time()
    while time.time() - start < timeout:
        state = client.get(f"/api/runs/{run_id}").json()
        if state["status"] in ("done", "failed"):
            return state
        time.sleep(0.1)
    raise AssertionError("run did not finish")


def test_the_page_and_its_files_come_from_the_package(client):
    page = client.get("/")
    assert page.status_code == 200 and "narod explorer" in page.text
    assert "http://" not in page.text and "https://" not in page.text
    script = client.get("/static/app.js")
    assert script.status_code == 200 and "http" not in script.text.replace("https?", "")
    assert client.get("/static/../../etc/passwd").status_code == 404
    assert client.get("/static/secret.txt").status_code == 404


def test_scenarios_list_the_city_model_its_variants_and_sliders(client):
    meta = client.get("/api/scenarios").json()
    assert "petrograd-1917" in meta["scenarios"]
    assert "loyal-garrison" in meta["scenarios"]["petrograd-1917"]["variants"]
    assert {"cairo-2011", "petrograd-1917-10", "petersburg-1825", "dublin-1916",
            "munich-1923"} <= set(meta["scenarios"])  # fmt: skip
    feb, cairo = meta["scenarios"]["petrograd-1917"], meta["scenarios"]["cairo-2011"]
    assert "city.scale" in feb["sliders"] and "inputs.walkout.size" in feb["sliders"]
    assert (
        "inputs.day_of_rage.size" in cairo["sliders"]
        and "inputs.walkout.size" not in cairo["sliders"]
    )
    assert feb["defaults"]["inputs.walkout.size"] == 7000 and cairo["defaults"]["city.scale"] == 1.0
    assert cairo["episode"]["days"][0] == "25 Jan" and len(cairo["episode"]["days"]) == 18
    episode = meta["scenarios"]["petrograd-1917"]["episode"]
    assert len(episode["sites"]) == 34 and episode["water"]["features"]
    assert episode["days"] == ["23 Feb", "24 Feb", "25 Feb", "26 Feb", "27 Feb", "28 Feb", "1 Mar"]
    west, south, east, north = episode["box"]
    assert all(west < s["lon"] < east and south < s["lat"] < north for s in episode["sites"])


@pytest.mark.parametrize(
    ("body", "code", "message"),
    [
        ({"scenario": "/etc/passwd"}, 400, "unknown scenario"),
        ({"scenario": "epstein-2"}, 400, "unknown scenario"),
        ({"scenario": "petrograd-1917", "variant": "nope", "params": SMALL}, 400, "variant"),
        ({"scenario": "petrograd-1917", "params": {"jail.max_term": 3}}, 400, "may set"),
        ({"scenario": "petrograd-1917", "params": {"city.scale": 5.0}}, 400, "expected a value"),
        ({"scenario": "petrograd-1917", "params": {"city.scale": 0.5}}, 400, "at most 60,000"),
        ({"scenario": "petrograd-1917", "path": "/tmp/x"}, 422, "Extra inputs"),
        ({"scenario": "petrograd-1917", "seed": -1}, 422, "greater than or equal"),
    ],
)
def test_every_request_is_validated(client, body, code, message):
    response = client.post("/api/runs", json=body)
    assert response.status_code == code
    assert message in json.dumps(response.json())


def test_a_run_streams_frames_and_its_results_download(client):
    started = client.post("/api/runs", json={"scenario": "petrograd-1917", "params": SMALL})
    assert started.status_code == 200
    run_id = started.json()["id"]
    assert wait_done(client, run_id)["status"] == "done"
    lines = [ln for ln in client.get(f"/api/runs/{run_id}/stream").text.splitlines() if ln]
    messages = [json.loads(ln.removeprefix("data: ")) for ln in lines]
    frames = [m for m in messages if m["type"] == "frame"]
    assert len(frames) == 337 and messages[-1]["type"] == "done"
    assert any(f["events"] for f in frames)
    csv = client.get(f"/api/runs/{run_id}/download.csv")
    assert csv.status_code == 200 and csv.text.startswith('"tick"')
    parquet = client.get(f"/api/runs/{run_id}/download.parquet")
    assert parquet.content[:4] == b"PAR1"
    assert client.get(f"/api/runs/{run_id}/download.exe").status_code == 404


def test_runs_beyond_the_limit_are_refused_and_a_failed_run_keeps_the_server_up(
    client, monkeypatch
):
    started, release = threading.Event(), threading.Event()

    def broken(self):
        started.set()
        release.wait(30)  # hold the first run while the second asks
        raise RuntimeError("a kernel broke")

    monkeypatch.setattr(web_runs.CityRun, "step", broken)
    first = client.post("/api/runs", json={"scenario": "petrograd-1917", "params": SMALL})
    assert first.status_code == 200 and started.wait(30)
    second = client.post("/api/runs", json={"scenario": "petrograd-1917", "params": SMALL})
    assert second.status_code == 429 and "at most 1 at once" in second.json()["detail"]
    release.set()
    state = wait_done(client, first.json()["id"])
    assert state["status"] == "failed" and "a kernel broke" in state["error"]
    assert client.get("/api/scenarios").status_code == 200
    again = client.post("/api/runs", json={"scenario": "petrograd-1917", "params": SMALL})
    assert again.status_code == 200  # the failed run freed its place


def test_the_server_listens_on_localhost_by_default():
    """``narod serve`` without --host binds 127.0.0.1 only: never every interface."""
    import subprocess
    import sys
    from pathlib import Path

    import psutil

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    narod_cli = Path(sys.executable).with_name("narod")
    proc = subprocess.Popen([str(narod_cli), "serve", "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    try:
        deadline = time.time() + 60
        listening = []
        while time.time() < deadline and not listening:
            time.sleep(0.2)
            listening = [c.laddr for c in psutil.Process(proc.pid).net_connections("tcp")
                         if c.status == psutil.CONN_LISTEN]  # fmt: skip
        assert listening, "the server never listened"
        assert {a.ip for a in listening} == {"127.0.0.1"} and {a.port for a in listening} == {port}
    finally:
        proc.terminate()
        proc.wait(timeout=30)


CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture()
def server():
    import uvicorn

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    config = uvicorn.Config(create_app(Limits(max_agents=3_000_000, max_runs=2)),
                            host="127.0.0.1", port=port, log_level="warning")  # fmt: skip
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


def need_chromium() -> None:
    """Skip without Chromium, unless NAROD_REQUIRE_BROWSER=1 (CI) makes its absence a failure."""
    if os.path.exists(CHROMIUM):
        return
    if os.environ.get("NAROD_REQUIRE_BROWSER") == "1":
        pytest.fail("NAROD_REQUIRE_BROWSER=1 but Debian's chromium is not installed")
    pytest.skip("no Chromium here (make test installs Debian's chromium where it may)")


def test_the_explorer_in_a_real_browser(server, tmp_path):
    from playwright.sync_api import sync_playwright

    need_chromium()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1300, "height": 1100})
        page.goto(server)
        page.select_option("#scenario", "petrograd-1917")
        set_slider = "(el, v) => { el.value = v; el.dispatchEvent(new Event('input')); }"
        page.locator("input[data-key='city.scale']").evaluate(set_slider, "0.005")
        police = page.locator("input[data-key='strength.police']")
        police.evaluate(set_slider, "2")
        assert police.locator("xpath=..").locator("output").inner_text() == "2"
        panel = page.locator("#panel-a")
        with page.expect_request("**/api/runs") as request:
            panel.locator(".run").click()
        sent = json.loads(request.value.post_data)
        assert sent["scenario"] == "petrograd-1917"
        assert sent["params"]["strength.police"] == 2 and sent["params"]["city.scale"] == 0.005
        panel.locator(".chart-days").filter(has_text="day 7 of 7").wait_for(timeout=120_000)
        panel.locator(".downloads a.csv").wait_for(timeout=60_000)
        assert panel.locator(".log li").count() > 0
        with page.expect_download() as info:
            panel.locator(".downloads a.csv").click()
        rows = list(csv.DictReader(open(info.value.path())))
        assert len(rows) == 337
        assert abs(float(rows[0]["police_active"]) - 2 * 3500) < 400  # the doubled police ran
        page.screenshot(path=str(tmp_path / "explorer.png"), full_page=True)
        browser.close()
