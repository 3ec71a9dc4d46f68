"""The explorer's web app (FastAPI): pick a scenario and a variant, move sliders, run, watch.

Every request is checked: a body with the wrong shape is refused by its Pydantic model, the
parameters by the scenario schema and the server's limits. No path is ever taken from a request;
the page, its script and its styles are package files, and nothing is loaded from the internet.
"""

from __future__ import annotations

import asyncio
import json
from importlib import resources

from fastapi import FastAPI, HTTPException
from fastapi.responses import HTMLResponse, Response, StreamingResponse
from pydantic import BaseModel, ConfigDict, Field

from narod.errors import NarodError
from narod.web.runs import Limits, Runs, city_specs, episode_map, sliders

STATIC = {"app.js": "text/javascript", "style.css": "text/css"}


class RunRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    scenario: str = Field(max_length=100)
    variant: str | None = Field(None, max_length=100)
    seed: int = Field(0, ge=0, le=2**31 - 1)
    params: dict[str, float] = Field(default_factory=dict, max_length=32)


def _static(name: str) -> str:
    return resources.files("narod.web.static").joinpath(name).read_text("utf-8")


def create_app(limits: Limits | None = None) -> FastAPI:
    """The explorer app with its own run registry."""
    app = FastAPI(title="narod explorer", docs_url=None, redoc_url=None)
    runs = Runs(limits or Limits())
    specs = city_specs()
    maps = {name: episode_map(spec) for name, spec in specs.items()}

    @app.get("/", response_class=HTMLResponse)
    def page() -> str:
        return _static("index.html")

    @app.get("/static/{name}")
    def static(name: str) -> Response:
        if name not in STATIC:  # a fixed list: never a path from the request
            raise HTTPException(404, "no such file")
        return Response(_static(name), media_type=STATIC[name])

    @app.get("/api/scenarios")
    def scenarios() -> dict:
        return {
            "scenarios": {
                name: {
                    "description": spec.scenario.description,
                    "variants": list(spec.variants),
                    "defaults": {k: _get(spec, k) for k in sliders(spec)},
                    "sliders": sliders(spec),
                    "episode": maps[name],
                }
                for name, spec in specs.items()
            },
            "limits": vars(runs.limits),
        }

    @app.post("/api/runs")
    def start(request: RunRequest) -> dict:
        try:
            spec = runs.spec_for(request.scenario, request.variant, request.params)
            run = runs.start(spec, request.seed)
        except NarodError as exc:
            raise HTTPException(400 if "at once" not in str(exc) else 429, str(exc)) from None
        return {"id": run.id, "name": spec.scenario.name, "ticks": spec.scenario.ticks}

    def _run(run_id: str):
        try:
            return runs.get(run_id)
        except KeyError:
            raise HTTPException(404, "no such run") from None

    @app.get("/api/runs/{run_id}")
    def status(run_id: str) -> dict:
        run = _run(run_id)
        return {"id": run.id, "status": run.status, "error": run.error, "frames": len(run.frames)}

    @app.get("/api/runs/{run_id}/stream")
    async def stream(run_id: str) -> StreamingResponse:
        run = _run(run_id)

        async def frames():
            sent = 0
            while True:
                with run.changed:
                    new = run.frames[sent:]
                    state, error = run.status, run.error
                for frame in new:
                    yield f"data: {json.dumps({'type': 'frame', **frame})}\n\n"
                sent += len(new)
                if state in ("done", "failed") and sent == len(run.frames):
                    yield f"data: {json.dumps({'type': state, 'error': error})}\n\n"
                    return
                await asyncio.sleep(0.05)

        return StreamingResponse(frames(), media_type="text/event-stream")

    @app.get("/api/runs/{run_id}/download.{fmt}")
    def download(run_id: str, fmt: str) -> Response:
        if fmt not in ("csv", "parquet"):
            raise HTTPException(404, "expected download.csv or download.parquet")
        run = _run(run_id)
        try:
            body = runs.download(run, fmt)
        except NarodError as exc:
            raise HTTPException(409, str(exc)) from None
        media = "text/csv" if fmt == "csv" else "application/vnd.apache.parquet"
        name = f"{run.spec.scenario.name.replace(':', '-')}-seed{run.seed}.{fmt}"
        headers = {"Content-Disposition": f'attachment; filename="{name}"'}
        return Response(body, media_type=media, headers=headers)

    return app


def _get(spec, dotted: str) -> float:
    """A value of a spec by dotted key (``inputs.walkout.size``)."""
    node = spec.model_dump()
    for part in dotted.split("."):
        node = node[part]
    return node
