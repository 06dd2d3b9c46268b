"""Media in an S3-compatible bucket (WILLAY_MEDIA_URL=s3://bucket/prefix), through boto3.

Keys mirror the local layout, <prefix>/ab/cd/<sha256>, so a bucket and a media folder can be
compared or copied with ordinary tools. An upload is spooled to a temporary file (the first
megabyte in memory) while its size and hash are checked, and only a verified file is sent,
in one PUT carrying its MD5: S3 stores a PUT whole or not at all and refuses bytes that do
not match the MD5, so no key ever holds a partial or wrong file, whatever happens to this
server or the connection half way."""

from __future__ import annotations

import base64
import hashlib
import io
import logging
import re
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any, BinaryIO

from ..patterns import SHA256_RE
from .storage import CHUNK, FileStat, HashMismatch, MediaMissing, StoreUnavailable, TooLarge

log = logging.getLogger(__name__)

SPOOL_IN_MEMORY = 1024 * 1024
MEDIA_URL_RE = re.compile(r"\As3://([a-z0-9][a-z0-9.\-]{1,61}[a-z0-9])(?:/(.*))?\Z")
_KEY_TAIL_RE = re.compile(r"([0-9a-f]{2})/([0-9a-f]{2})/([0-9a-f]{64})\Z")


def parse_media_url(url: str) -> tuple[str, str]:
    """(bucket, prefix) of s3://bucket/prefix; the prefix is '' or ends with '/'.
    ValueError when it is not such an address."""
    found = MEDIA_URL_RE.fullmatch(url.strip())
    if found is None:
        raise ValueError(url)
    prefix = (found.group(2) or "").strip("/")
    if "//" in prefix:
        raise ValueError(url)
    return found.group(1), f"{prefix}/" if prefix else ""


def _missing(err: Exception) -> bool:
    from botocore.exceptions import ClientError

    if not isinstance(err, ClientError):
        return False
    code = str(err.response.get("Error", {}).get("Code", ""))
    return code in ("404", "NoSuchKey", "NotFound")


class _Calls:
    """Turns boto3's failures into ours: a missing key into MediaMissing, anything else
    (network, credentials, permissions, a server error) into StoreUnavailable."""

    def __init__(self, sha256: str = ""):
        self.sha256 = sha256

    def __enter__(self) -> _Calls:
        return self

    def __exit__(self, kind, err, tb) -> bool:
        from botocore.exceptions import BotoCoreError, ClientError

        if err is None or isinstance(err, (MediaMissing, HashMismatch, TooLarge)):
            return False
        if _missing(err):
            raise MediaMissing(self.sha256) from err
        if isinstance(err, (BotoCoreError, ClientError)):
            log.error("media bucket: %s", err)
            raise StoreUnavailable(str(err)) from err
        return False


class S3File(io.RawIOBase):
    """A stored object read as a seekable file: a seek drops the open body and the next read
    asks for a range from there (how the console serves a range of a voice note)."""

    def __init__(self, store: S3Store, sha256: str, body: Any, size: int):
        super().__init__()
        self.store, self.sha256, self.size = store, sha256, size
        self._body, self._pos = body, 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._pos, io.SEEK_END: self.size}[whence]
        position = max(0, base + offset)
        if position != self._pos:
            self._drop_body()
            self._pos = position
        return self._pos

    def readinto(self, buffer) -> int:
        if self._pos >= self.size:
            return 0
        if self._body is None:
            with _Calls(self.sha256):
                self._body = self.store.client.get_object(
                    Bucket=self.store.bucket, Key=self.store.key(self.sha256),
                    Range=f"bytes={self._pos}-")["Body"]
        with _Calls(self.sha256):
            data = self._body.read(len(buffer))
        buffer[:len(data)] = data
        self._pos += len(data)
        return len(data)

    def readall(self) -> bytes:
        parts = []
        while data := self.read(CHUNK):
            parts.append(data)
        return b"".join(parts)

    def _drop_body(self) -> None:
        if self._body is not None:
            self._body.close()
            self._body = None

    def close(self) -> None:
        self._drop_body()
        super().close()


class S3Store:
    def __init__(self, bucket: str, prefix: str = "", *, endpoint_url: str | None = None,
                 access_key_id: str | None = None, secret_access_key: str | None = None,
                 region: str | None = None):
        self.bucket, self.prefix = bucket, prefix
        self._settings = {"endpoint_url": endpoint_url or None,
                          "aws_access_key_id": access_key_id or None,
                          "aws_secret_access_key": secret_access_key or None,
                          "region_name": region or None}
        self._client = None

    @classmethod
    def from_url(cls, url: str, **settings: Any) -> S3Store:
        bucket, prefix = parse_media_url(url)
        return cls(bucket, prefix, **settings)

    @property
    def client(self):
        """One boto3 client per store (thread-safe), made on first use: after gunicorn forks."""
        if self._client is None:
            import boto3
            from botocore.config import Config

            config = Config(
                connect_timeout=5, read_timeout=30, retries={"max_attempts": 3, "mode": "standard"},
                # S3-compatible servers differ in which checksum headers they know; the MD5
                # every one of them checks is sent by save() itself
                request_checksum_calculation="when_required",
                response_checksum_validation="when_required",
                s3={"addressing_style": "path"} if self._settings["endpoint_url"] else None)
            self._client = boto3.session.Session().client("s3", config=config, **self._settings)
        return self._client

    def key(self, sha256: str) -> str:
        return f"{self.prefix}{sha256[:2]}/{sha256[2:4]}/{sha256}"

    def describe(self) -> str:
        where = self._settings["endpoint_url"] or "AWS"
        return f"bucket s3://{self.bucket}/{self.prefix} at {where}"

    def save(self, sha256: str, stream: BinaryIO, limit: int) -> int:
        sha, md5, size = hashlib.sha256(), hashlib.md5(usedforsecurity=False), 0
        with tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY) as spool:
            while chunk := stream.read(CHUNK):
                size += len(chunk)
                if size > limit:
                    raise TooLarge()
                sha.update(chunk)
                md5.update(chunk)
                spool.write(chunk)
            if sha.hexdigest() != sha256:
                raise HashMismatch(sha.hexdigest())
            spool.seek(0)
            with _Calls(sha256):
                self.client.put_object(
                    Bucket=self.bucket, Key=self.key(sha256), Body=spool, ContentLength=size,
                    ContentMD5=base64.b64encode(md5.digest()).decode("ascii"),
                    Metadata={"sha256": sha256})
        return size

    def open(self, sha256: str) -> S3File:
        with _Calls(sha256):
            answer = self.client.get_object(Bucket=self.bucket, Key=self.key(sha256))
        return S3File(self, sha256, answer["Body"], int(answer["ContentLength"]))

    def stat(self, sha256: str) -> FileStat | None:
        try:
            with _Calls(sha256):
                head = self.client.head_object(Bucket=self.bucket, Key=self.key(sha256))
        except MediaMissing:
            return None
        return FileStat(int(head["ContentLength"]), _aware(head["LastModified"]))

    def exists(self, sha256: str) -> bool:
        return self.stat(sha256) is not None

    def size(self, sha256: str) -> int:
        found = self.stat(sha256)
        if found is None:
            raise MediaMissing(sha256)
        return found.size

    def stored_sha256(self, sha256: str) -> str | None:
        """The hash recorded with the object when it was stored, if any."""
        with _Calls(sha256):
            head = self.client.head_object(Bucket=self.bucket, Key=self.key(sha256))
        return head.get("Metadata", {}).get("sha256")

    def delete(self, sha256: str) -> None:
        with _Calls(sha256):
            self.client.delete_object(Bucket=self.bucket, Key=self.key(sha256))

    def iter_hashes(self) -> Iterator[tuple[str, datetime]]:
        for sha256, found in self.iter_stats():
            yield sha256, found.modified

    def iter_stats(self) -> Iterator[tuple[str, FileStat]]:
        with _Calls():
            pages = self.client.get_paginator("list_objects_v2").paginate(
                Bucket=self.bucket, Prefix=self.prefix)
            for page in pages:
                for item in page.get("Contents", ()):
                    tail = item["Key"][len(self.prefix):]
                    found = _KEY_TAIL_RE.fullmatch(tail)
                    if found and SHA256_RE.fullmatch(found.group(3)) and \
                            found.group(3).startswith(found.group(1) + found.group(2)):
                        yield found.group(3), FileStat(int(item["Size"]),
                                                       _aware(item["LastModified"]))


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
