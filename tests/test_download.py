"""Tests of fetch_onet: real downloads from a local HTTP server on 127.0.0.1."""

from __future__ import annotations

import contextlib
import hashlib
import http.server
import io
import logging
import os
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from tqdm.auto import tqdm

from passionfinder import _download
from passionfinder._download import ONET_RELEASE, ONET_URL, fetch_onet
from passionfinder._errors import DownloadError

pytestmark = pytest.mark.data

REPO_ROOT = Path(__file__).resolve().parents[1]
# A subset of the release keeps the test zip small; the first two are the ones verified.
SUBSET = [
    "Occupation Data.txt",
    "Read Me.txt",
    "Job Zones.txt",
    "Job Zone Reference.txt",
    "Scales Reference.txt",
]
TOP = "db_30_2_text"
FINAL_NAMES = {"db_30_2_text", "db_30_2_text.zip", "db_30_2_text.sha256"}


# ---------------------------------------------------------------------------------------------
# Fixtures: the real release files, zips built from them, and a local HTTP server
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def source_dir() -> Path:
    """The real O*NET 30.2 text folder (PASSIONFINDER_DATA, else <repo>/../shared/data)."""
    candidates = []
    if os.environ.get("PASSIONFINDER_DATA"):
        candidates.append(Path(os.environ["PASSIONFINDER_DATA"]).expanduser())
    candidates.append(REPO_ROOT.parent / "shared" / "data")
    for base in candidates:
        folder = base / "onet" / "db_30_2_text"
        if all((folder / name).is_file() for name in SUBSET):
            return folder
    pytest.skip(
        "the real O*NET 30.2 text release was not found in PASSIONFINDER_DATA or "
        f"{REPO_ROOT.parent / 'shared' / 'data'}"
    )


@pytest.fixture(scope="session")
def source_files(source_dir: Path) -> dict[str, bytes]:
    return {name: (source_dir / name).read_bytes() for name in SUBSET}


def make_zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


@pytest.fixture(scope="session")
def payloads(source_files: dict[str, bytes]) -> dict[str, bytes]:
    """The bodies the server can serve, by path."""
    good = {f"{TOP}/{name}": data for name, data in source_files.items()}
    good_zip = make_zip(good)
    readme = source_files["Read Me.txt"]
    assert b"O*NET 30.2" in readme
    wrong = dict(good, **{f"{TOP}/Read Me.txt": readme.replace(b"30.2", b"29.0")})
    slip = dict(good, **{f"{TOP}/../../evil.txt": b"gotcha"})
    no_key = {k: v for k, v in good.items() if not k.endswith("Occupation Data.txt")}
    bad_header = dict(good)
    occ = source_files["Occupation Data.txt"]
    bad_header[f"{TOP}/Occupation Data.txt"] = b"Code\tName\tText" + occ[occ.index(b"\r\n") :]
    return {
        "/good.zip": good_zip,
        "/corrupt.zip": bytes(range(256)) * (len(good_zip) // 256 + 1),
        "/wrong.zip": make_zip(wrong),
        "/slip.zip": make_zip(slip),
        "/nokey.zip": make_zip(no_key),
        "/badheader.zip": make_zip(bad_header),
    }


class Server:
    """A local HTTP server that serves ``payloads`` and counts the requests it gets."""

    def __init__(self, payloads: dict[str, bytes]) -> None:
        self.payloads = payloads
        self.requests: list[str] = []
        self.user_agents: list[str] = []
        self.release = threading.Event()
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: object) -> None:  # keep test output quiet
                pass

            def do_GET(self) -> None:
                server.requests.append(self.path)
                server.user_agents.append(self.headers.get("User-Agent", ""))
                # The client may give up early, as some tests make it do.
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self._answer()

            def _answer(self) -> None:
                if self.path == "/error500":
                    self.send_error(500, "Internal Server Error")
                    return
                if self.path == "/truncated.zip":
                    body = server.payloads["/good.zip"]
                    self.send_response(200)
                    self.send_header("Content-Type", "application/zip")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body[: len(body) // 2])
                    self.wfile.flush()
                    self.close_connection = True
                    return
                if self.path == "/stall.zip":
                    self.send_response(200)
                    self.send_header("Content-Length", "1000")
                    self.end_headers()
                    self.wfile.write(b"PK")
                    self.wfile.flush()
                    server.release.wait(10)
                    return
                payload = server.payloads.get(self.path)
                if payload is None:
                    self.send_error(404, "Not Found")
                    return
                self.send_response(200)
                self.send_header("Content-Type", "application/zip")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = False  # server_close() then joins every handler thread
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.release.set()
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(10)


@pytest.fixture
def server(payloads: dict[str, bytes]) -> Iterator[Server]:
    srv = Server(payloads)
    srv.start()
    try:
        yield srv
    finally:
        srv.stop()


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "data"


def assert_nothing_left(home: Path) -> None:
    """After a failure: no release, no zip, no manifest and no temporary file or folder."""
    onet = home / "onet"
    leftovers = sorted(p.name for p in onet.iterdir()) if onet.exists() else []
    assert leftovers == []


def assert_release_ok(home: Path, folder: Path, source_files: dict[str, bytes]) -> None:
    onet = home / "onet"
    assert folder == onet / "db_30_2_text"
    assert sorted(p.name for p in folder.iterdir()) == sorted(source_files)
    for name, data in source_files.items():
        assert (folder / name).read_bytes() == data, name
    # Only the final names: no .part file or folder, no backup, no write probe.
    assert {p.name for p in onet.iterdir()} == FINAL_NAMES
    zip_bytes = (onet / "db_30_2_text.zip").read_bytes()
    manifest = (onet / "db_30_2_text.sha256").read_text()
    assert manifest == f"{hashlib.sha256(zip_bytes).hexdigest()}  db_30_2_text.zip\n"


# ---------------------------------------------------------------------------------------------
# Tests
# ---------------------------------------------------------------------------------------------


def test_constants() -> None:
    assert ONET_RELEASE == "30.2"
    assert ONET_URL.endswith("/db_30_2_text.zip")


def test_successful_download(
    server: Server, home: Path, source_files: dict[str, bytes], payloads: dict[str, bytes]
) -> None:
    folder = fetch_onet(home, url=server.url("/good.zip"), show_progress=False)
    assert_release_ok(home, folder, source_files)
    assert (home / "onet" / "db_30_2_text.zip").read_bytes() == payloads["/good.zip"]
    assert server.requests == ["/good.zip"]
    assert server.user_agents[0].startswith("passionfinder/")


def test_progress_bar_goes_to_stderr(
    server: Server, home: Path, source_files: dict[str, bytes], capsys: pytest.CaptureFixture
) -> None:
    folder = fetch_onet(home, url=server.url("/good.zip"), show_progress=True)
    assert_release_ok(home, folder, source_files)
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "O*NET 30.2" in captured.err


def test_second_call_does_no_network_access(
    server: Server, home: Path, caplog: pytest.LogCaptureFixture
) -> None:
    first = fetch_onet(home, url=server.url("/good.zip"), show_progress=False)
    assert len(server.requests) == 1
    with caplog.at_level(logging.INFO, logger="passionfinder._download"):
        second = fetch_onet(home, url=server.url("/good.zip"), show_progress=False)
    assert second == first
    assert len(server.requests) == 1
    assert "already present" in caplog.text
    # Not even a dead URL is touched once the release is present.
    assert fetch_onet(home, url="http://127.0.0.1:9/nothing.zip") == first


def test_data_home_from_environment(
    server: Server, tmp_path: Path, source_files: dict[str, bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "from-env"
    monkeypatch.setenv("PASSIONFINDER_DATA", str(home))
    folder = fetch_onet(url=server.url("/good.zip"), show_progress=False)
    assert_release_ok(home, folder, source_files)


def test_http_500(server: Server, home: Path) -> None:
    url = server.url("/error500")
    with pytest.raises(DownloadError, match="HTTP 500") as info:
        fetch_onet(home, url=url, show_progress=False)
    message = str(info.value)
    assert url in message
    assert str(home / "onet" / "db_30_2_text.zip") in message  # where to put a manual download
    assert "manually" in message
    assert isinstance(info.value, OSError)
    assert_nothing_left(home)


def test_http_404(server: Server, home: Path) -> None:
    with pytest.raises(DownloadError, match="HTTP 404"):
        fetch_onet(home, url=server.url("/missing.zip"), show_progress=False)
    assert_nothing_left(home)


def test_connection_refused(home: Path) -> None:
    # Port 9 (discard) on the loopback is practically never served.
    with pytest.raises(DownloadError, match="could not connect"):
        fetch_onet(home, url="http://127.0.0.1:9/db.zip", show_progress=False, timeout=5)
    assert_nothing_left(home)


def test_interrupted_download_then_retry(
    server: Server, home: Path, source_files: dict[str, bytes]
) -> None:
    url = server.url("/truncated.zip")
    with pytest.raises(DownloadError, match="cut short") as info:
        fetch_onet(home, url=url, show_progress=False)
    assert url in str(info.value)
    assert_nothing_left(home)
    folder = fetch_onet(home, url=server.url("/good.zip"), show_progress=False)
    assert_release_ok(home, folder, source_files)


def test_stalled_download_times_out(server: Server, home: Path) -> None:
    with pytest.raises(DownloadError, match="timed out"):
        fetch_onet(home, url=server.url("/stall.zip"), show_progress=False, timeout=0.5)
    assert_nothing_left(home)


def test_keyboard_interrupt_leaves_nothing(
    server: Server, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupting_bar(**kwargs: object) -> tqdm:
        """A silent progress bar whose first update is a Ctrl-C."""
        bar = tqdm(disable=True)

        def update(n: int = 1) -> None:
            raise KeyboardInterrupt

        bar.update = update
        return bar

    monkeypatch.setattr(_download, "tqdm", interrupting_bar)
    monkeypatch.setattr(_download, "_CHUNK_SIZE", 1024)
    with pytest.raises(KeyboardInterrupt):
        fetch_onet(home, url=server.url("/good.zip"), show_progress=False)
    assert_nothing_left(home)


def test_corrupt_zip(server: Server, home: Path) -> None:
    url = server.url("/corrupt.zip")
    with pytest.raises(DownloadError, match="not a valid zip") as info:
        fetch_onet(home, url=url, show_progress=False)
    assert url in str(info.value)
    assert_nothing_left(home)


def test_wrong_release(server: Server, home: Path) -> None:
    with pytest.raises(DownloadError, match=r"O\*NET 29\.0") as info:
        fetch_onet(home, url=server.url("/wrong.zip"), show_progress=False)
    assert "30.2" in str(info.value)
    assert_nothing_left(home)


def test_zip_slip(server: Server, home: Path, tmp_path: Path) -> None:
    with pytest.raises(DownloadError, match="unsafe member path"):
        fetch_onet(home, url=server.url("/slip.zip"), show_progress=False)
    assert_nothing_left(home)
    assert not list(tmp_path.rglob("evil.txt"))


@pytest.mark.parametrize(
    ("path", "match"),
    [
        ("/nokey.zip", "no 'Occupation Data.txt'"),
        ("/badheader.zip", "has the header"),
    ],
)
def test_not_the_release_layout(server: Server, home: Path, path: str, match: str) -> None:
    with pytest.raises(DownloadError, match=match):
        fetch_onet(home, url=server.url(path), show_progress=False)
    assert_nothing_left(home)


def test_force_replaces_existing_release(
    server: Server, home: Path, source_files: dict[str, bytes]
) -> None:
    folder = fetch_onet(home, url=server.url("/good.zip"), show_progress=False)
    (folder / "stale.txt").write_text("from an older release")
    (folder / "Occupation Data.txt").write_bytes(b"edited by hand")
    again = fetch_onet(home, url=server.url("/good.zip"), show_progress=False, force=True)
    assert again == folder
    assert server.requests == ["/good.zip", "/good.zip"]
    assert_release_ok(home, again, source_files)


def test_incomplete_folder_is_replaced(
    server: Server, home: Path, source_files: dict[str, bytes], caplog: pytest.LogCaptureFixture
) -> None:
    stale = home / "onet" / "db_30_2_text"
    stale.mkdir(parents=True)
    (stale / "Job Zones.txt").write_text("half of an old copy")
    with caplog.at_level(logging.WARNING, logger="passionfinder._download"):
        folder = fetch_onet(home, url=server.url("/good.zip"), show_progress=False)
    assert "incomplete folder" in caplog.text
    assert server.requests == ["/good.zip"]
    assert_release_ok(home, folder, source_files)


def test_failed_forced_download_keeps_existing_release(
    server: Server, home: Path, source_files: dict[str, bytes]
) -> None:
    folder = fetch_onet(home, url=server.url("/good.zip"), show_progress=False)
    for path in ("/error500", "/truncated.zip", "/corrupt.zip", "/wrong.zip", "/slip.zip"):
        with pytest.raises(DownloadError):
            fetch_onet(home, url=server.url(path), show_progress=False, force=True)
        assert_release_ok(home, folder, source_files)


def test_zip_placed_by_hand_is_unpacked_without_network(
    server: Server, home: Path, source_files: dict[str, bytes], payloads: dict[str, bytes]
) -> None:
    onet = home / "onet"
    onet.mkdir(parents=True)
    (onet / "db_30_2_text.zip").write_bytes(payloads["/good.zip"])
    folder = fetch_onet(home, url=server.url("/good.zip"), show_progress=False)
    assert server.requests == []
    assert_release_ok(home, folder, source_files)


def test_bad_zip_placed_by_hand_is_downloaded_again(
    server: Server, home: Path, source_files: dict[str, bytes], payloads: dict[str, bytes]
) -> None:
    onet = home / "onet"
    onet.mkdir(parents=True)
    (onet / "db_30_2_text.zip").write_bytes(payloads["/good.zip"][:1000])
    folder = fetch_onet(home, url=server.url("/good.zip"), show_progress=False)
    assert server.requests == ["/good.zip"]
    assert_release_ok(home, folder, source_files)


def test_data_home_not_writable(tmp_path: Path) -> None:
    not_a_folder = tmp_path / "a-file"
    not_a_folder.write_text("not a folder")
    with pytest.raises(DownloadError, match="PASSIONFINDER_DATA") as info:
        fetch_onet(not_a_folder, url="http://127.0.0.1:9/never-requested.zip")
    assert str(not_a_folder) in str(info.value)


TIMEOUT_MESSAGE = (
    r"The 'timeout' parameter of fetch_onet must be a positive number\. Got 0 instead\."
)
URL_MESSAGE = (
    r"The 'url' parameter of fetch_onet must be an http:// or https:// URL\. "
    r"Got 'ftp://example\.org/db\.zip' instead\."
)
FORCE_MESSAGE = r"The 'force' parameter of fetch_onet must be a bool\. Got 'yes' instead\."


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        (
            {"timeout": 0},
            ValueError,
            TIMEOUT_MESSAGE,
        ),
        ({"timeout": -1.5}, ValueError, r"'timeout' .* Got -1\.5 instead\."),
        ({"timeout": float("nan")}, ValueError, r"'timeout' .* Got nan instead\."),
        ({"timeout": "60"}, TypeError, r"'timeout' .* Got '60' instead\."),
        ({"timeout": True}, TypeError, r"'timeout' .* Got True instead\."),
        (
            {"url": "ftp://example.org/db.zip"},
            ValueError,
            URL_MESSAGE,
        ),
        ({"url": "file:///tmp/db.zip"}, ValueError, r"'url' .* Got 'file:///tmp/db\.zip'"),
        ({"url": "db_30_2_text.zip"}, ValueError, r"'url' .* Got 'db_30_2_text\.zip'"),
        ({"url": None}, TypeError, r"'url' .* Got None instead\."),
        (
            {"force": "yes"},
            TypeError,
            FORCE_MESSAGE,
        ),
        ({"show_progress": 1}, TypeError, r"'show_progress' .* a bool or None\. Got 1 instead\."),
    ],
)
def test_argument_errors(home: Path, kwargs: dict, error: type, match: str) -> None:
    with pytest.raises(error, match=match):
        fetch_onet(home, **kwargs)
    assert not home.exists()  # checked before touching the disk
