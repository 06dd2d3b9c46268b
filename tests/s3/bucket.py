"""Helpers of the bucket tests: the bucket as a test sees it, and the API calls they make."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass


@dataclass
class Bucket:
    name: str
    client: object

    def keys(self) -> list[str]:
        pages = self.client.get_paginator("list_objects_v2").paginate(Bucket=self.name)
        return sorted(item["Key"] for page in pages for item in page.get("Contents", ()))

    def get(self, key: str) -> bytes:
        return self.client.get_object(Bucket=self.name, Key=key)["Body"].read()

    def put(self, key: str, data: bytes) -> None:
        self.client.put_object(Bucket=self.name, Key=key, Body=data)


def media_key(sha: str, prefix: str = "media/") -> str:
    return f"{prefix}{sha[:2]}/{sha[2:4]}/{sha}"


def sha_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def put_file(client, headers, data: bytes, content_type: str = "image/jpeg", status=(200, 201)):
    response = client.put(f"/api/v1/attachments/{sha_of(data)}", data=data, headers=headers,
                          content_type=content_type)
    assert response.status_code in status, response.get_json()
    return response


def send(client, headers, item) -> dict:
    result = client.post("/api/v1/submissions", json={"submissions": [item]},
                         headers=headers).get_json()["results"][0]
    return result
