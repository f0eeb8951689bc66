"""Download, verify and unpack the official O*NET 30.2 text release into the data folder.

Only the standard library talks to the network (``urllib``); nothing half-written is ever left.
"""

from __future__ import annotations

import contextlib
import hashlib
import http.client
import logging
import math
import os
import re
import secrets
import shutil
import sys
import tempfile
import urllib.error
import urllib.parse
import urllib.request
import zipfile
import zlib
from pathlib import Path, PurePosixPath

from tqdm.auto import tqdm

from ._atomic import atomic_path, atomic_write
from ._cache import file_sha256
from ._config import DATA_ENV, get_data_home
from ._errors import DownloadError

__all__ = ["ONET_RELEASE", "ONET_URL", "fetch_onet"]

logger = logging.getLogger(__name__)

ONET_RELEASE = "30.2"
ONET_URL = "https://www.onetcenter.org/dl_files/database/db_30_2_text.zip"

_RELEASE_NAME = "db_30_2_text"
_KEY_FILE = "Occupation Data.txt"
_README_FILE = "Read Me.txt"
_KEY_HEADER = "O*NET-SOC Code\tTitle\tDescription"
_CHUNK_SIZE = 1 << 16
# The official release unpacks to roughly 100 MB; anything far larger is not the release.
_MAX_UNCOMPRESSED = 4 << 30
_RELEASE_RE = re.compile(r"O\*NET(?:\u00ae)?\s+(\d+\.\d+)")
_WINDOWS_DRIVE_RE = re.compile(r"^[A-Za-z]:")


def _user_agent() -> str:
    """The User-Agent header sent with every request: passionfinder, its version and Python."""
    try:
        from importlib.metadata import PackageNotFoundError, version

        pkg_version = version("passionfinder")
    except PackageNotFoundError:  # running from a source tree that was never installed
        pkg_version = "unknown"
    py = f"{sys.version_info.major}.{sys.version_info.minor}"
    return f"passionfinder/{pkg_version} (O*NET data fetcher; Python-urllib/{py})"


def _check_arguments(url: object, force: object, show_progress: object, timeout: object) -> None:
    """Raise TypeError or ValueError for an argument of :func:`fetch_onet` that cannot work."""
    msg = "The {!r} parameter of fetch_onet must be {}. Got {!r} instead."
    if not isinstance(url, str):
        raise TypeError(msg.format("url", "a str holding an http:// or https:// URL", url))
    parsed = urllib.parse.urlsplit(url)
    if parsed.scheme.lower() not in ("http", "https") or not parsed.netloc:
        raise ValueError(msg.format("url", "an http:// or https:// URL", url))
    if not isinstance(force, bool):
        raise TypeError(msg.format("force", "a bool", force))
    if show_progress is not None and not isinstance(show_progress, bool):
        raise TypeError(msg.format("show_progress", "a bool or None", show_progress))
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)):
        raise TypeError(msg.format("timeout", "a positive number", timeout))
    if not math.isfinite(timeout) or timeout <= 0:
        raise ValueError(msg.format("timeout", "a positive number", timeout))


def _failure(url: str, zip_path: Path, what: str) -> DownloadError:
    """Build the DownloadError raised for any failed download or verification."""
    return DownloadError(
        f"Could not download the O*NET {ONET_RELEASE} release from {url}: {what}. "
        f"Retry later, or download {url} manually (e.g. with a web browser) and place "
        f"the zip, unchanged, at {zip_path}."
    )


def _ensure_writable(folder: Path, data_home: Path) -> None:
    """Create ``folder`` and prove a file can be written in it, else raise DownloadError."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(prefix=".passionfinder-write-test.", dir=folder)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise DownloadError(
            f"Cannot write the O*NET {ONET_RELEASE} release into the data folder {data_home} "
            f"({reason}: {folder}). Pass a writable folder as data_home, or set the "
            f"{DATA_ENV} environment variable to one."
        ) from exc


def _stream_to_file(
    url: str, dest: Path, *, timeout: float, show_progress: bool, zip_path: Path
) -> str:
    """Stream ``url`` into ``dest`` in chunks and return the sha256 of the body.

    Raises
    ------
    DownloadError
        On an HTTP error status, a network error, or a body shorter or longer than its
        ``Content-Length``.
    """
    request = urllib.request.Request(url, headers={"User-Agent": _user_agent()})
    digest = hashlib.sha256()
    received = 0
    expected: int | None = None
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            length_header = response.headers.get("Content-Length")
            if length_header is not None:
                with contextlib.suppress(ValueError):
                    expected = int(length_header)
            with (
                open(dest, "wb") as out,
                tqdm(
                    total=expected,
                    unit="B",
                    unit_scale=True,
                    unit_divisor=1024,
                    desc=f"O*NET {ONET_RELEASE}",
                    disable=not show_progress,
                ) as bar,
            ):
                while True:
                    chunk = response.read(_CHUNK_SIZE)
                    if not chunk:
                        break
                    out.write(chunk)
                    digest.update(chunk)
                    received += len(chunk)
                    bar.update(len(chunk))
    except urllib.error.HTTPError as exc:
        exc.close()
        raise _failure(url, zip_path, f"the server answered HTTP {exc.code} {exc.reason}") from exc
    except urllib.error.URLError as exc:
        raise _failure(url, zip_path, f"could not connect ({exc.reason})") from exc
    except TimeoutError as exc:
        raise _failure(
            url, zip_path, f"the connection timed out after {timeout:g} s without data"
        ) from exc
    except (OSError, http.client.HTTPException) as exc:
        raise _failure(
            url, zip_path, f"the connection failed after {received} bytes ({exc!r})"
        ) from exc
    if expected is not None and received != expected:
        raise _failure(
            url,
            zip_path,
            f"the download was cut short: received {received} of {expected} bytes "
            "announced by Content-Length",
        )
    return digest.hexdigest()


def _member_parts(name: str) -> tuple[str, ...] | None:
    """Split a zip member name into safe path parts, or return None if it escapes the folder."""
    name = name.replace("\\", "/")
    if name.startswith("/") or _WINDOWS_DRIVE_RE.match(name):
        return None
    parts = tuple(p for p in PurePosixPath(name).parts if p not in ("", "."))
    if ".." in parts:
        return None
    return parts


def _verify_zip(path: Path) -> str:
    """Check that ``path`` is the official O*NET 30.2 text zip; return its top folder name.

    Raises
    ------
    ValueError
        With a short description of what is wrong (the caller turns it into a DownloadError).
    """
    try:
        with zipfile.ZipFile(path) as zf:
            bad = zf.testzip()
            if bad is not None:
                raise ValueError(f"not a valid zip archive (member {bad!r} is corrupt)")
            infos = zf.infolist()
            tops: set[str] = set()
            total = 0
            for info in infos:
                parts = _member_parts(info.filename)
                if parts is None:
                    raise ValueError(
                        f"the zip holds an unsafe member path {info.filename!r} "
                        "(absolute, or going up with '..')"
                    )
                total += info.file_size
                if len(parts) == 2 and parts[1] == _KEY_FILE:
                    tops.add(parts[0])
            if total > _MAX_UNCOMPRESSED:
                raise ValueError(f"the zip would unpack to {total} bytes, far more than expected")
            if not tops:
                raise ValueError(f"the zip holds no '{_KEY_FILE}' inside a top folder")
            if _RELEASE_NAME in tops:
                top = _RELEASE_NAME
            elif len(tops) == 1:
                top = next(iter(tops))
            else:
                raise ValueError(f"the zip holds several top folders with '{_KEY_FILE}'")
            names = {_member_parts(i.filename): i for i in infos}
            readme = names.get((top, _README_FILE))
            if readme is None:
                raise ValueError(f"the zip holds no '{top}/{_README_FILE}'")
            readme_text = zf.read(readme).decode("utf-8", errors="replace")
            releases = _RELEASE_RE.findall(readme_text)
            if ONET_RELEASE not in releases:
                found = f"O*NET {releases[0]}" if releases else "no O*NET release"
                raise ValueError(
                    f"wrong release: '{_README_FILE}' names {found}, not O*NET {ONET_RELEASE}"
                )
            with zf.open(names[(top, _KEY_FILE)]) as fh:
                header = fh.readline().decode("utf-8-sig", errors="replace").rstrip("\r\n")
            if header != _KEY_HEADER:
                raise ValueError(
                    f"'{_KEY_FILE}' has the header {header!r}, expected {_KEY_HEADER!r}"
                )
            return top
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError) as exc:
        raise ValueError(f"not a valid zip archive ({exc})") from exc


def _extract(zip_path: Path, top: str, tmp_dir: Path) -> None:
    """Extract the members under ``top/`` of the verified zip into ``tmp_dir``."""
    root = tmp_dir.resolve()
    with zipfile.ZipFile(zip_path) as zf:
        for info in zf.infolist():
            parts = _member_parts(info.filename)
            if parts is None:  # already refused by _verify_zip; kept as a second guard
                raise DownloadError(f"Unsafe member path {info.filename!r} in {zip_path}.")
            if len(parts) < 2 or parts[0] != top:
                continue
            dest = tmp_dir.joinpath(*parts[1:])
            if not dest.resolve().is_relative_to(root):
                raise DownloadError(f"Unsafe member path {info.filename!r} in {zip_path}.")
            if info.is_dir():
                dest.mkdir(parents=True, exist_ok=True)
                continue
            dest.parent.mkdir(parents=True, exist_ok=True)
            with zf.open(info) as src, open(dest, "wb") as out:
                shutil.copyfileobj(src, out, _CHUNK_SIZE)


def _move_into_place(new: Path, final: Path) -> None:
    """Rename the folder ``new`` to ``final``, safely replacing an existing ``final``.

    The old folder is first renamed aside and removed only once the new one is in place; if
    the swap fails, it is put back.
    """
    backup: Path | None = None
    if final.exists() or final.is_symlink():
        backup = final.with_name(f".{final.name}.old-{os.getpid()}-{secrets.token_hex(4)}")
        os.rename(final, backup)
    try:
        os.rename(new, final)
    except BaseException:
        if backup is not None and not final.exists():
            os.rename(backup, final)
            backup = None
        raise
    finally:
        if backup is not None and backup.exists():
            shutil.rmtree(backup, ignore_errors=True)


def _unpack(zip_path: Path, top: str, final: Path) -> None:
    """Extract the verified zip into a temporary folder next to ``final``, then swap it in."""
    tmp_dir = Path(tempfile.mkdtemp(prefix=f".{final.name}.", suffix=".part", dir=final.parent))
    try:
        _extract(zip_path, top, tmp_dir)
        if not (tmp_dir / _KEY_FILE).is_file():
            raise DownloadError(f"Extracting {zip_path} produced no '{_KEY_FILE}'.")
        if final.exists() and not (final / _KEY_FILE).is_file():
            logger.warning("Replacing the incomplete folder %s.", final)
        _move_into_place(tmp_dir, final)
    except DownloadError:
        raise
    except OSError as exc:
        raise DownloadError(f"Could not extract {zip_path} into {final}: {exc}") from exc
    finally:
        if tmp_dir.exists():
            shutil.rmtree(tmp_dir, ignore_errors=True)


def _write_manifest(manifest: Path, sha256: str, zip_path: Path) -> None:
    """Write ``<sha256>  <zip name>`` (the ``sha256sum`` format) atomically."""
    with atomic_write(manifest, "w") as fh:
        fh.write(f"{sha256}  {zip_path.name}\n")


def fetch_onet(
    data_home: str | os.PathLike[str] | None = None,
    *,
    url: str = ONET_URL,
    force: bool = False,
    show_progress: bool | None = None,
    timeout: float = 60.0,
) -> Path:
    """Download the official O*NET 30.2 text release and return the folder of its .txt files.

    The zip is streamed to a temporary file next to ``<data_home>/onet/db_30_2_text.zip``,
    verified (length, zip integrity, expected files, release number, key file header), moved
    to that name, and unpacked to ``<data_home>/onet/db_30_2_text/`` through a temporary
    folder. The zip is kept, and its sha256 is written to
    ``<data_home>/onet/db_30_2_text.sha256``. After any failure nothing half-written remains.

    Parameters
    ----------
    data_home : str or os.PathLike or None, default None
        The data folder. ``None`` uses ``PASSIONFINDER_DATA``, then
        ``~/.local/share/passionfinder``.
    url : str, default ONET_URL
        Where to download the zip from (``http://`` or ``https://``).
    force : bool, default False
        Download and unpack again even if the release is already present. The existing
        release is replaced only once the new one is verified and unpacked.
    show_progress : bool or None, default None
        Show a progress bar. ``None`` shows it when standard error is a terminal.
    timeout : float, default 60.0
        Seconds to wait for the connection or for each block of data.

    Returns
    -------
    pathlib.Path
        The folder ``<data_home>/onet/db_30_2_text`` holding the release's .txt files.

    Raises
    ------
    ValueError
        If ``url`` is not an http(s) URL, or ``timeout`` is not a positive finite number.
    TypeError
        If an argument has the wrong type (e.g. ``force="yes"`` or ``timeout="60"``).
    DownloadError
        If the data folder is not writable, the download fails, or the file is not the
        official O*NET 30.2 text zip. The message says what to do.

    Notes
    -----
    If the release folder already holds ``Occupation Data.txt`` (and ``force`` is False),
    it is returned without any network access. A zip already placed at
    ``<data_home>/onet/db_30_2_text.zip`` (e.g. downloaded by hand) is verified and unpacked
    without downloading.

    Examples
    --------
    >>> folder = fetch_onet()  # doctest: +SKIP
    >>> sorted(p.name for p in folder.glob("*.txt"))[:2]  # doctest: +SKIP
    ['Abilities to Work Activities.txt', 'Abilities to Work Context.txt']
    """
    _check_arguments(url, force, show_progress, timeout)
    home = get_data_home(data_home)
    onet_dir = home / "onet"
    final_dir = onet_dir / _RELEASE_NAME
    zip_path = onet_dir / f"{_RELEASE_NAME}.zip"
    manifest = onet_dir / f"{_RELEASE_NAME}.sha256"

    if not force and (final_dir / _KEY_FILE).is_file():
        logger.info("O*NET %s is already present in %s; not downloading.", ONET_RELEASE, final_dir)
        return final_dir

    _ensure_writable(onet_dir, home)

    if not force and zip_path.is_file():
        try:
            top = _verify_zip(zip_path)
        except ValueError as exc:
            logger.warning(
                "Ignoring the unusable zip at %s (%s); downloading again.", zip_path, exc
            )
        else:
            logger.info("Unpacking the O*NET %s zip found at %s.", ONET_RELEASE, zip_path)
            _write_manifest(manifest, file_sha256(zip_path), zip_path)
            _unpack(zip_path, top, final_dir)
            return final_dir

    if show_progress is None:
        show_progress = bool(sys.stderr is not None and sys.stderr.isatty())
    logger.info("Downloading O*NET %s from %s to %s.", ONET_RELEASE, url, zip_path)
    with atomic_path(zip_path) as tmp_zip:
        sha256 = _stream_to_file(
            url, tmp_zip, timeout=timeout, show_progress=show_progress, zip_path=zip_path
        )
        try:
            top = _verify_zip(tmp_zip)
        except ValueError as exc:
            raise _failure(url, zip_path, str(exc)) from exc
        # The old checksum no longer describes the zip about to replace it.
        manifest.unlink(missing_ok=True)
    _write_manifest(manifest, sha256, zip_path)
    _unpack(zip_path, top, final_dir)
    logger.info("O*NET %s is ready in %s (zip sha256 %s).", ONET_RELEASE, final_dir, sha256)
    return final_dir
