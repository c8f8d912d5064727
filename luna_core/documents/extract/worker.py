"""Worker processes for ``extract_with_timeout``: a hostile file can hang or crash them, not the app.

A worker is ``python -m luna_core.documents.extract.worker``, started with ``subprocess`` (not
``multiprocessing``, whose spawn would re-import the app's main module, i.e. Streamlit, in the
child). It imports only the extraction modules. Parent and worker exchange length-prefixed frames
over the worker's stdin/stdout: a request is a JSON header and the file's bytes, a reply is JSON
(never pickle, so even a subverted worker cannot make the app run code). Workers start on demand,
are reused, and are killed when a call runs out of time.

Reading scans by OCR takes seconds a page, so the worker sends progress frames (pages read so far,
pages to read) before its reply; the time limit then covers OCR too: it grows by the OCR time
limit of each page to read (``ocr.PAGE_TIMEOUT``), once, when the worker says how many there are.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import logging
import os
import signal
import struct
import subprocess
import sys
import threading
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from luna_core import errors
from luna_core.documents.extract import ocr
from luna_core.documents.extract.reader import (
    DEFAULT_TIMEOUT,
    ExtractedDocument,
    document_from_wire,
    document_to_wire,
    extract,
)
from luna_core.errors import DocumentError, ExtractionTimeoutError

MAX_IDLE_WORKERS = 2
# A worker also kills itself this long after its own deadline, in case the app died and cannot.
_SELF_KILL_GRACE = 5.0
_FRAME_HEADER = struct.Struct(">Q")
_READY = b"ready"
_PROGRESS = b"progress "  # a progress frame: this prefix, then JSON [done, total]; a reply is a JSON object
_PACKAGE_PARENT = Path(__file__).resolve().parents[3]  # the folder that holds luna_core/


def extract_with_timeout(data: bytes, filename: str, timeout: float = DEFAULT_TIMEOUT,
                         progress: Callable[[int, int], None] | None = None) -> ExtractedDocument:
    """``extract`` run in a worker process that is killed after ``timeout`` seconds (plus the OCR
    time limit of each page it has to read by OCR). ``progress(done, total)`` follows OCR pages.

    Raises ``ExtractionTimeoutError`` then, and every ``DocumentError`` of ``extract`` with its class
    and message. Safe to call from several threads at once; workers are reused between calls.
    """
    return document_from_wire(run(data, filename, timeout, progress))


def budget(timeout: float, ocr_pages: int) -> float:
    """The time limit of one file: ``timeout``, plus the OCR limit of each page to read by OCR (at
    most ``ocr.MAX_PAGES`` of them, whatever a worker claims)."""
    return timeout + min(max(ocr_pages, 0), ocr.MAX_PAGES) * ocr.PAGE_TIMEOUT


class _Deadline:
    """Kills the worker when the file's time is up; the limit can be raised once OCR is known."""

    def __init__(self, worker: _Worker, seconds: float) -> None:
        self.worker, self.started, self.seconds = worker, time.monotonic(), seconds
        self._timer: threading.Timer | None = None
        self._arm()

    def _arm(self) -> None:
        if self._timer:
            self._timer.cancel()
        self._timer = threading.Timer(max(0.0, self.started + self.seconds - time.monotonic()), self.worker.kill)
        self._timer.daemon = True
        self._timer.start()

    def extend_to(self, seconds: float) -> None:
        if seconds > self.seconds:
            self.seconds = seconds
            self._arm()

    def cancel(self) -> None:
        if self._timer:
            self._timer.cancel()


def run(data: bytes, filename: str, timeout: float, progress: Callable[[int, int], None] | None = None) -> dict:
    """``document_to_wire(extract(data, filename))`` computed in a worker process.

    Raises ``ExtractionTimeoutError`` when the worker needs more than its time (it is killed), the
    ``DocumentError`` the worker raised (same class, same message), or ``RuntimeError`` when the
    worker failed for any other reason.
    """
    worker = _pool.take()
    deadline = _Deadline(worker, timeout)

    def on_progress(done: int, total: int) -> None:
        deadline.extend_to(budget(timeout, total))
        if progress:
            progress(done, total)

    try:
        reply = worker.ask(json.dumps({"filename": filename, "timeout": timeout}).encode("utf-8"), data, on_progress)
    except BaseException:
        worker.close()
        raise
    finally:
        deadline.cancel()
    if reply is None:
        worker.close()
        if worker.killed:
            raise ExtractionTimeoutError(
                f"Reading this file took longer than {deadline.seconds:g} seconds, so Luna stopped. The file "
                "may be damaged or unusually complex: save or print it to a new PDF, or copy its text "
                "into a .txt file, and upload that."
            )
        raise RuntimeError(f"The text extraction worker stopped unexpectedly (exit code {worker.exit_code}).")
    _pool.give_back(worker)
    return _result(json.loads(reply))


def _result(reply: dict) -> dict:
    if "document" in reply:
        return reply["document"]
    error_class = getattr(errors, reply.get("error", ""), None)
    if isinstance(error_class, type) and issubclass(error_class, DocumentError):
        raise error_class(reply["message"])
    raise RuntimeError(f"Text extraction failed in the worker process:\n{reply.get('crash', reply)}")


class _Worker:
    """One worker process, used by one thread at a time."""

    def __init__(self) -> None:
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(_PACKAGE_PARENT), env.get("PYTHONPATH")]))
        self.killed = False
        self._process = subprocess.Popen(
            [sys.executable, "-m", __name__], stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env
        )
        if _read_frame(self._process.stdout) != _READY:
            self.close()
            raise RuntimeError(f"The text extraction worker did not start (exit code {self.exit_code}).")

    @property
    def usable(self) -> bool:
        """Still running and not condemned by a timer that fired."""
        return not self.killed and self._process.poll() is None

    @property
    def exit_code(self) -> int | None:
        return self._process.poll()

    def ask(self, header: bytes, data: bytes, progress: Callable[[int, int], None]) -> bytes | None:
        """The worker's reply to one request, or None if it died (or was killed) first; its
        progress frames go to ``progress``."""
        try:
            _write_frame(self._process.stdin, header)
            _write_frame(self._process.stdin, data)
        except OSError:  # BrokenPipeError: the worker is gone
            return None
        while (frame := _read_frame(self._process.stdout)) is not None:
            if not frame.startswith(_PROGRESS):
                return frame
            done, total = json.loads(frame[len(_PROGRESS):])
            progress(int(done), int(total))
        return None

    def kill(self) -> None:
        self.killed = True
        self._process.kill()

    def close(self) -> None:
        """End the process (closing its stdin asks it to exit) and reap it."""
        with contextlib.suppress(OSError):
            self._process.stdin.close()
        try:
            self._process.wait(timeout=2)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        self._process.stdout.close()


class _Pool:
    """Idle workers shared by all threads; a busy worker belongs to the thread using it."""

    def __init__(self) -> None:
        self._idle: list[_Worker] = []
        self._lock = threading.Lock()

    def take(self) -> _Worker:
        with self._lock:
            while self._idle:
                worker = self._idle.pop()
                if worker.usable:
                    return worker
                worker.close()
        return _Worker()  # outside the lock: starting takes a few hundred milliseconds

    def give_back(self, worker: _Worker) -> None:
        with self._lock:
            if worker.usable and len(self._idle) < MAX_IDLE_WORKERS:
                self._idle.append(worker)
                return
        worker.close()

    def close_all(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, []
        for worker in idle:
            worker.close()


_pool = _Pool()
atexit.register(_pool.close_all)


def _write_frame(stream: BinaryIO, payload: bytes) -> None:
    stream.write(_FRAME_HEADER.pack(len(payload)))
    stream.write(payload)
    stream.flush()


def _read_frame(stream: BinaryIO) -> bytes | None:
    """The next frame, or None at end of stream (the other side is gone)."""
    header = stream.read(_FRAME_HEADER.size)
    if len(header) < _FRAME_HEADER.size:
        return None
    (size,) = _FRAME_HEADER.unpack(header)
    payload = stream.read(size)
    return payload if len(payload) == size else None


def _watchdog(seconds: float) -> threading.Timer:
    timer = threading.Timer(seconds + _SELF_KILL_GRACE, os._exit, args=(3,))
    timer.daemon = True
    timer.start()
    return timer


def _answer(request: dict, data: bytes, replies: BinaryIO) -> dict:
    """One request's reply; progress frames are written to ``replies`` on the way."""
    watchdog = [_watchdog(request["timeout"])]

    def progress(done: int, total: int) -> None:
        if done == 0:  # the time limit grows by the pages to read, as in the parent
            watchdog[0].cancel()
            watchdog[0] = _watchdog(budget(request["timeout"], total))
        _write_frame(replies, _PROGRESS + json.dumps([done, total]).encode("utf-8"))

    try:
        return {"document": document_to_wire(extract(data, request["filename"], progress))}
    except DocumentError as error:
        return {"error": type(error).__name__, "message": str(error)}
    except Exception:
        return {"crash": traceback.format_exc()}
    finally:
        watchdog[0].cancel()


def serve(requests: BinaryIO, replies: BinaryIO) -> None:
    """The worker's loop: answer requests until the parent closes the stream."""

    _write_frame(replies, _READY)
    while (header := _read_frame(requests)) is not None:
        data = _read_frame(requests)
        if data is None:
            return
        _write_frame(replies, json.dumps(_answer(json.loads(header), data, replies)).encode("utf-8"))


def _main() -> None:
    replies = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    # Anything else written to stdout (a stray print in a library) goes to stderr instead of
    # corrupting the reply stream.
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    # pypdf logs a warning for each repair it makes to a damaged file; the outcome reaches the app
    # as a result or an error, so on the app's console they would only be noise.
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    # Ctrl-C in the app's terminal reaches the whole process group; the worker ends when the app
    # closes its stdin instead of printing a KeyboardInterrupt traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    ocr.warm_up()  # before "ready", so that a file's time limit is not spent on the worker's own start
    serve(sys.stdin.buffer, replies)


if __name__ == "__main__":
    _main()
