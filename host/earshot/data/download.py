"""Fetching public datasets on machines with internet (never needed by tests)."""
import shutil
import urllib.error
import urllib.request
import zipfile
from pathlib import Path

from earshot.errors import DataError

ESC50_URL = "https://github.com/karoldvl/ESC-50/archive/master.zip"
ESC50_FOLDER = "ESC-50-master"
TIMEOUT_S = 30


def get_esc50(dest, url=None, progress=True):
    """Download and unpack ESC-50 into dest/ESC-50-master; returns that folder (load_esc50 reads it)."""
    url = url or ESC50_URL
    dest = Path(dest)
    target = dest / ESC50_FOLDER
    if (target / "meta" / "esc50.csv").is_file():
        return target
    dest.mkdir(parents=True, exist_ok=True)
    archive = dest / "esc50.zip.part"
    try:
        _fetch(url, archive, progress)
        with zipfile.ZipFile(archive) as zf:
            zf.extractall(dest)
    except (urllib.error.URLError, OSError, TimeoutError) as exc:
        raise DataError(f"cannot download ESC-50 from {url}: {getattr(exc, 'reason', exc)}",
                        hint=f"this machine seems to have no internet access; download {url} "
                             f"elsewhere and unzip it into {dest}") from exc
    except zipfile.BadZipFile as exc:
        raise DataError(f"{url} did not give a zip archive: {exc}", hint="try again later") from exc
    finally:
        archive.unlink(missing_ok=True)
    if not (target / "meta" / "esc50.csv").is_file():
        raise DataError(f"{target}: archive unpacked but meta/esc50.csv is missing")
    return target


def _fetch(url, path, progress):
    with urllib.request.urlopen(url, timeout=TIMEOUT_S) as response, open(path, "wb") as out:
        total = int(response.headers.get("Content-Length") or 0) or None
        if not progress:
            shutil.copyfileobj(response, out)
            return
        from tqdm import tqdm

        with tqdm(total=total, unit="B", unit_scale=True, desc="ESC-50") as bar:
            while chunk := response.read(1 << 16):
                out.write(chunk)
                bar.update(len(chunk))
