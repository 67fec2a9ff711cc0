"""The Starlette application of kit serve: the event form, the spreadsheet upload and its progress page, in
French and English, the JSON API mirroring both, and the security headers on every answer. Renders are
kit.serve.work's; rows are checked by kit.validate_row and spreadsheets read by kit.read_events (kit pack's
rules and words)."""

from __future__ import annotations

import json
import logging
from contextlib import asynccontextmanager
from pathlib import Path

import anyio
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from starlette.applications import Starlette
from starlette.datastructures import MutableHeaders, UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

import kit

from .options import ServeOptions
from .texts import FIELDS, LANGUAGES, TEXTS, counted
from .work import Busy, Work

log = logging.getLogger("kit.serve")
HERE = Path(__file__).parent
STATIC = {
    "app.css": "text/css; charset=utf-8",
    "app.js": "text/javascript; charset=utf-8",
    "favicon.svg": "image/svg+xml",
}
FORM_BYTES = 256 * 1024  # a form or a JSON row: far more than 12 fields at their longest
MULTIPART_SLACK = 64 * 1024  # the upload's envelope around the file
SECURITY_HEADERS = {
    "content-security-policy": "default-src 'self'; img-src 'self'; style-src 'self'; script-src 'self'; "
    "form-action 'self'; base-uri 'none'; object-src 'none'; frame-ancestors 'none'",
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
    "cross-origin-opener-policy": "same-origin",
}
SHEET_SUFFIXES = (".csv", ".xlsx")


class Refused(Exception):
    """A request kit cannot take as it is: its HTTP status and a message for the person who sent it."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status, self.message = status, message


class SecurityHeaders:
    """Every answer carries the security headers (pages, files, errors, the API)."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def with_headers(message):
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    headers[name] = value
            await send(message)

        await self.app(scope, receive, with_headers)


class App:
    """The routes over one project and its renders."""

    def __init__(self, project, options):
        self.project = project
        self.options = options
        serve = project.config.data.serve
        self.max_bytes = int((options.max_upload_mb or serve.max_upload_mb) * 1_000_000)
        self.max_rows = options.max_rows or serve.max_rows
        self.keep_minutes = options.keep_results_minutes or serve.keep_results_minutes
        self.limit_minutes = options.job_time_limit_minutes or serve.job_time_limit_minutes
        self.workers = options.workers or serve.workers
        self.queue = options.queue if options.queue is not None else serve.queue
        if project.options.track and not project.options.site_base:
            raise kit.OptionError(
                "[build] track is on in kit.toml: each QR code of a pack would carry a placement code, so that the "
                "companion site's web logs tell which places make people scan; without the site's address "
                "([site] base_url in kit.toml) the codes would go to other sites' addresses, whose logs you never "
                'see. Add base_url under [site] in kit.toml (like base_url = "https://sante.example.org/"), '
                "publish the site there (kit site), then start kit serve again; or set track = false."
            )
        self.work: Work | None = None
        self.env = Environment(
            loader=FileSystemLoader(HERE / "templates"),
            autoescape=True,
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        kb = project.kb
        self.venues = list(kb.venues)
        self.content_languages = list(kb.all_languages)
        self.default_lang = kb.languages[0]

    # --- lifecycle -------------------------------------------------------------------------------

    @asynccontextmanager
    async def lifespan(self, _app):
        self.work = Work(
            self.project,
            workers=self.workers,
            queue=self.queue,
            keep_seconds=self.keep_minutes * 60,
            time_limit=self.limit_minutes * 60,
        )
        try:
            yield
        finally:
            await anyio.to_thread.run_sync(self.work.shutdown)

    def guard(self, endpoint):
        """An endpoint whose errors are answered by ``crash`` (never re-raised: the server's log gets no
        traceback, which could quote a field value)."""

        async def guarded(request: Request) -> Response:
            try:
                return await endpoint(request)
            except HTTPException:
                raise
            except Exception as error:
                return await self.crash(request, error)

        return guarded

    def starlette(self) -> Starlette:
        routes = [
            Route("/", self.home),
            Route("/static/{name}", self.static),
            Route("/api/pack", self.api_pack, methods=["POST"]),
            Route("/api/jobs", self.api_jobs, methods=["POST"]),
            Route("/api/jobs/{job}", self.api_job),
            Route("/api/jobs/{job}/result", self.api_result),
            Route("/{lang}/", self.event_page, methods=["GET", "POST"]),
            Route("/{lang}/packs/{token}", self.pack_page),
            Route("/{lang}/packs/{token}/pack.zip", self.pack_zip),
            Route("/{lang}/packs/{token}/{index:int}.png", self.pack_preview),
            Route("/{lang}/packs/{token}/{index:int}.pdf", self.pack_document),
            Route("/{lang}/upload", self.upload_page, methods=["GET", "POST"]),
            Route("/{lang}/jobs/{job}", self.job_page),
            Route("/{lang}/jobs/{job}/packs.zip", self.job_zip),
        ]
        routes = [Route(r.path, self.guard(r.endpoint), methods=r.methods) for r in routes]
        app = Starlette(
            routes=routes,
            lifespan=self.lifespan,
            exception_handlers={HTTPException: self.http_error, Exception: self.crash},
        )
        app.add_middleware(SecurityHeaders)
        return app

    # --- helpers ---------------------------------------------------------------------------------

    def lang_of(self, request: Request) -> str:
        lang = request.path_params.get("lang", "fr")
        if lang not in LANGUAGES:
            raise HTTPException(404)
        return lang

    def page(
        self, request: Request, template: str, status: int = 200, headers=None, **values
    ) -> HTMLResponse:
        lang = values.pop("lang", None) or request.path_params.get("lang")
        lang = lang if lang in LANGUAGES else "fr"
        base = request.scope.get("root_path", "").rstrip("/")
        other = "en" if lang == "fr" else "fr"
        rest = request.url.path[len(request.scope.get("root_path", "")) :].split("/", 2)
        switch = f"{base}/{other}/" + (rest[2] if len(rest) > 2 and request.method == "GET" else "")
        html = self.env.get_template(template).render(
            t=TEXTS[lang],
            count=lambda key, n, **fields: counted(lang, key, n, **fields),
            lang=lang,
            base=base,
            switch=switch,
            other=other,
            **values,
        )
        return HTMLResponse(html, status_code=status, headers=headers)

    def busy_page(self, request: Request, busy: Busy) -> Response:
        headers = {"Retry-After": str(busy.retry_after)}
        if request.url.path.startswith(request.scope.get("root_path", "") + "/api/"):
            return JSONResponse(
                {"error": "busy", "message": TEXTS["en"]["busy"].format(seconds=busy.retry_after)},
                status_code=503,
                headers=headers,
            )
        return self.page(
            request, "message.html", 503, headers, title_key="busy_title", seconds=busy.retry_after
        )

    async def read_body(self, request: Request, limit: int, what: str) -> None:
        """The request's body, kept no further than ``limit`` bytes (for Starlette's parsers). Past it, the rest
        is read and thrown away (up to four times the limit: the sender then gets the answer saying why) and
        the request refused; beyond that the connection is closed."""
        declared = request.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > 4 * limit:
            raise Refused(413, what)
        chunks, size = [], 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > 4 * limit:
                raise Refused(413, what)
            if size <= limit:
                chunks.append(chunk)
        if size > limit:
            raise Refused(413, what)
        request._body = b"".join(chunks)

    def validate(self, cells: dict) -> tuple[object | None, list]:
        """(event, problems) for one row, by kit pack's rules and in its words: a language the companion site
        does not publish is refused as kit pack refuses it (its QR codes would lead to a missing page). An
        invisible format or bidirectional character, which kit pack warns about, is refused here: a browser or
        an API client cannot be asked whether it meant it, and it would change how the printed text reads."""
        checked = kit.validate_row(
            cells, venues=self.venues, languages=self.content_languages, default_lang=self.default_lang
        )
        problems = list(checked.problems) + [w for w in checked.warnings if w.code == "hidden-character"]
        if checked.event is not None:
            unpublished = kit.unpublished_problem(self.project, checked.event)
            if unpublished is not None:
                problems.append(unpublished)
        return (checked.event if not problems else None), problems

    async def make_pack(self, event):
        """One event's pack, if the renders have room (Busy otherwise), within the time limit."""
        work = self.work
        work.admit()

        def run():
            try:
                return work.make_pack(event)
            finally:
                work.release()

        with anyio.fail_after(self.limit_minutes * 60):
            return await anyio.to_thread.run_sync(run, abandon_on_cancel=True)

    def too_big(self) -> str:
        return (
            f"The file is larger than {self.max_bytes / 1_000_000:g} MB, the most kit serve takes. Split the "
            "spreadsheet into smaller ones, or run kit pack on it."
        )

    async def read_sheet(self, request: Request):
        """The uploaded spreadsheet (field ``file``): its bytes and its rows read with kit pack's rules; Refused
        when it is too big, not a spreadsheet, or has too many rows."""
        await self.read_body(request, self.max_bytes + MULTIPART_SLACK, self.too_big())
        try:
            form = await request.form(max_files=1, max_fields=8)
        except Exception as error:  # not a multipart form at all
            raise Refused(
                400, "Send the spreadsheet as a file field named file (multipart/form-data)."
            ) from error
        upload = form.get("file")
        if not isinstance(upload, UploadFile) or not upload.filename:
            raise Refused(400, "No file was sent: choose a CSV or XLSX spreadsheet (field file).")
        suffix = Path(upload.filename.replace("\\", "/")).suffix.lower()
        if suffix not in SHEET_SUFFIXES:
            raise Refused(
                415, "kit reads events spreadsheets as .csv or .xlsx files only; save yours as one of those."
            )
        data = await upload.read(self.max_bytes + 1)
        if len(data) > self.max_bytes:
            raise Refused(413, self.too_big())
        name = f"upload{suffix}"  # the sender's file name is never a path here

        def read():
            return kit.read_events(
                data,
                name=name,
                venues=self.venues,
                languages=self.content_languages,
                default_lang=self.default_lang,
            )

        try:
            sheet = await anyio.to_thread.run_sync(read)
        except kit.SpreadsheetError as error:
            raise Refused(422, str(error)) from None
        kit.unpublished_rows(self.project, sheet)  # as kit pack: those rows fail, named with the fix
        rows = len(sheet.events) + len(sheet.failed_rows)
        if rows > self.max_rows:
            raise Refused(
                413,
                f"The spreadsheet has {rows} events; kit serve takes at most {self.max_rows} at a time. Split it, "
                "or run kit pack on it.",
            )
        return data, sheet

    def start_job(self, data: bytes, sheet):
        self.work.admit()
        return self.work.start_job(data, sheet)

    # --- pages -----------------------------------------------------------------------------------

    async def home(self, request: Request) -> Response:
        accepted = request.headers.get("accept-language", "")
        lang = "en" if accepted[:2].lower() == "en" else "fr"
        return RedirectResponse(f"{request.scope.get('root_path', '').rstrip('/')}/{lang}/", status_code=303)

    async def static(self, request: Request) -> Response:
        name = request.path_params["name"]
        if name not in STATIC:
            raise HTTPException(404)
        return FileResponse(HERE / "static" / name, media_type=STATIC[name])

    def form_page(self, request: Request, lang: str, values: dict, problems: list, status: int = 200):
        errors: dict[str, list[str]] = {}
        for problem in problems:
            text = problem.message + (f" {problem.hint}" if problem.hint else "")
            errors.setdefault(problem.field if problem.field in FIELDS else "venue_type", []).append(text)
        fields = [
            {
                "name": name,
                "label": FIELDS[name][lang][0],
                "hint": FIELDS[name][lang][1],
                "value": values.get(name, ""),
                "errors": errors.get(name, []),
                "required": name in ("venue_type", "venue_name", "date"),
            }
            for name in FIELDS
        ]
        venues = [{"id": v.id, "name": v.name or v.id} for v in self.venues]
        return self.page(
            request, "event.html", status, fields=fields, venues=venues, problem_count=len(problems)
        )

    async def event_page(self, request: Request) -> Response:
        lang = self.lang_of(request)
        if request.method == "GET":
            return self.form_page(request, lang, {}, [])
        await self.read_body(request, FORM_BYTES, "The form is too long.")
        form = await request.form(max_files=0, max_fields=len(FIELDS) + 4, max_part_size=FORM_BYTES)
        values = {name: str(form.get(name, "")) for name in FIELDS}
        event, problems = self.validate(values)
        if problems:
            return self.form_page(request, lang, values, problems, 422)
        pack, failures = await self.make_pack(event)
        if pack is None:
            problems = [_FailureProblem(f) for f in failures]
            return self.form_page(request, lang, values, problems, 422)
        base = request.scope.get("root_path", "").rstrip("/")
        return RedirectResponse(f"{base}/{lang}/packs/{pack.token}", status_code=303)

    def found_pack(self, request: Request):
        pack = self.work.pack(request.path_params["token"])
        if pack is None:
            raise HTTPException(404, "gone")
        return pack

    async def pack_page(self, request: Request) -> Response:
        self.lang_of(request)
        pack = self.found_pack(request)
        documents = [
            {
                "index": index,
                "title": doc.get("title") or Path(doc["path"]).stem,
                "file": Path(doc["path"]).name,
                "lang": doc.get("lang", ""),
                "pages": doc.get("pages", 1),
            }
            for index, doc in enumerate(pack.documents)
        ]
        return self.page(request, "pack.html", pack=pack, documents=documents, no_store=True)

    async def pack_zip(self, request: Request) -> Response:
        self.lang_of(request)
        pack = self.found_pack(request)
        return FileResponse(pack.zip_path, media_type="application/zip", filename=pack.zip_path.name)

    async def pack_preview(self, request: Request) -> Response:
        self.lang_of(request)
        pack = self.found_pack(request)
        png = await anyio.to_thread.run_sync(self.work.preview, pack, request.path_params["index"])
        if png is None:
            raise HTTPException(404)
        return FileResponse(png, media_type="image/png")

    async def pack_document(self, request: Request) -> Response:
        self.lang_of(request)
        pack = self.found_pack(request)
        pdf = pack.document(request.path_params["index"])
        if pdf is None or not pdf.is_file():
            raise HTTPException(404)
        return FileResponse(pdf, media_type="application/pdf", filename=pdf.name)

    async def upload_page(self, request: Request) -> Response:
        lang = self.lang_of(request)
        values = {"mb": f"{self.max_bytes / 1_000_000:g}", "rows": self.max_rows}
        if request.method == "GET":
            return self.page(request, "upload.html", error=None, **values)
        try:
            data, sheet = await self.read_sheet(request)
            job = self.start_job(data, sheet)
        except Refused as refused:
            return self.page(request, "upload.html", refused.status, error=refused.message, **values)
        base = request.scope.get("root_path", "").rstrip("/")
        return RedirectResponse(f"{base}/{lang}/jobs/{job.id}", status_code=303)

    def found_job(self, request: Request):
        job = self.work.job(request.path_params["job"])
        if job is None:
            raise HTTPException(404, "gone")
        return job

    async def job_page(self, request: Request) -> Response:
        self.lang_of(request)
        job = self.found_job(request)
        return self.page(request, "job.html", job=job, minutes=f"{self.limit_minutes:g}")

    async def job_zip(self, request: Request) -> Response:
        self.lang_of(request)
        job = self.found_job(request)
        if job.status != "finished" or not job.result.is_file():
            raise HTTPException(404)
        return FileResponse(job.result, media_type="application/zip", filename="packs.zip")

    # --- the API ---------------------------------------------------------------------------------

    async def api_pack(self, request: Request) -> Response:
        try:
            await self.read_body(request, FORM_BYTES, "The request is too long.")
            row = json.loads(await request.body())
        except Refused as refused:
            return JSONResponse({"error": refused.message}, status_code=refused.status)
        except (ValueError, UnicodeDecodeError, RecursionError):  # RecursionError: JSON nested too deep
            return JSONResponse({"error": "The body is not JSON: send one row as a JSON object."}, 400)
        if not isinstance(row, dict) or not all(isinstance(k, str) for k in row):
            return JSONResponse({"error": "Send one row as a JSON object (keys: the column names)."}, 400)
        if not all(_is_cell(v) for v in row.values()):
            return JSONResponse(
                {"error": "Each value is text, a number, true/false or a list of texts and numbers."}, 400
            )
        event, problems = self.validate(row)
        if problems:
            return JSONResponse({"problems": [p.as_dict() for p in problems]}, status_code=422)
        pack, failures = await self.make_pack(event)
        if pack is None:
            return JSONResponse({"problems": [], "failures": [f.as_dict() for f in failures]}, 422)
        return FileResponse(pack.zip_path, media_type="application/zip", filename=pack.zip_path.name)

    async def api_jobs(self, request: Request) -> Response:
        try:
            data, sheet = await self.read_sheet(request)
            job = self.start_job(data, sheet)
        except Refused as refused:
            return JSONResponse({"error": refused.message}, status_code=refused.status)
        base = request.scope.get("root_path", "").rstrip("/")
        return JSONResponse(
            {"id": job.id}, status_code=202, headers={"Location": f"{base}/api/jobs/{job.id}"}
        )

    async def api_job(self, request: Request) -> Response:
        job = self.work.job(request.path_params["job"])
        if job is None:
            return JSONResponse({"error": "No such job (results are removed after a while)."}, 404)
        return JSONResponse(job.state(), headers={"Cache-Control": "no-store"})

    async def api_result(self, request: Request) -> Response:
        job = self.work.job(request.path_params["job"])
        if job is None:
            return JSONResponse({"error": "No such job (results are removed after a while)."}, 404)
        if job.status != "finished":
            return JSONResponse({"error": "The job is not finished.", **job.state()}, 409)
        if not job.result.is_file():
            return JSONResponse({"error": job.error or "The job made no packs.", **job.state()}, 422)
        return FileResponse(job.result, media_type="application/zip", filename="packs.zip")

    # --- errors ----------------------------------------------------------------------------------

    async def http_error(self, request: Request, error: HTTPException) -> Response:
        if request.url.path.startswith(request.scope.get("root_path", "") + "/api/"):
            return JSONResponse({"error": error.detail}, status_code=error.status_code)
        key = "gone" if error.detail == "gone" else "not_found"
        return self.page(
            request,
            "message.html",
            error.status_code,
            title_key="not_found",
            key=key,
            lang=None,
            minutes=f"{self.keep_minutes:g}",
        )

    async def crash(self, request: Request, error: Exception) -> Response:
        if isinstance(error, Busy):
            return self.busy_page(request, error)
        if isinstance(error, TimeoutError):
            status, message = 503, TEXTS["en"]["too_long"].format(minutes=f"{self.limit_minutes:g}")
        elif isinstance(error, Refused):
            status, message = error.status, error.message
        elif isinstance(error, kit.KitError):
            status, message = kit.http_status_for(error), str(error)
        else:  # a bug: said briefly in the log (its kind, never a field value), the server goes on
            log.error("unexpected error on %s: %s", request.url.path, type(error).__name__)
            status, message = 500, "Unexpected error."
        if request.url.path.startswith(request.scope.get("root_path", "") + "/api/"):
            return JSONResponse({"error": message}, status_code=status)
        return self.page(request, "message.html", status, title_key="refused_title", key=None, text=message)


class _FailureProblem:
    """A document that could not be made, shown like a field problem (beside the venue name: it is what fits)."""

    def __init__(self, failure):
        self.field = "venue_name" if failure.kind == "fit" else None
        self.message = failure.message
        self.hint = ""


def _is_cell(value) -> bool:
    """A value an API row may hold: what a spreadsheet cell holds, or a list of texts and numbers (languages)."""
    if isinstance(value, list):
        return all(isinstance(item, (str, int, float)) and not isinstance(item, bool) for item in value)
    return isinstance(value, (str, int, float, bool, type(None)))


def create_app(project, options=None) -> Starlette:
    """The web app over a loaded project (kit.load_project): see kit.serve."""
    return App(project, options or ServeOptions()).starlette()
