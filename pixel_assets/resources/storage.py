"""The storage root as a resource: a local folder or ``s3://bucket/prefix``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import dagster as dg
from pydantic import PrivateAttr

from pixel_assets.catalog import open_storage
from pixel_assets.settings import Settings
from pixel_assets.warehouse.storage import Storage

if TYPE_CHECKING:  # dagster-aws (boto3) costs ~0.9 s to import; only S3 users need it
    from dagster_aws.s3 import S3Resource


class StorageResource(dg.ConfigurableResource):
    """Where audio files and warehouse tables live.

    ``data_dir`` is a local folder or ``s3://bucket/prefix``; for S3-compatible servers set
    ``s3_endpoint_url``. Credentials come from the standard AWS variables unless given.
    """

    data_dir: str = "data"
    s3_endpoint_url: str | None = None
    region_name: str | None = None
    aws_access_key_id: str | None = None
    aws_secret_access_key: str | None = None

    _storage: Storage | None = PrivateAttr(default=None)

    @classmethod
    def from_settings(cls, settings: Settings) -> StorageResource:
        return cls(
            data_dir=settings.data_dir,
            s3_endpoint_url=settings.s3_endpoint_url,
            region_name=settings.aws_region,
            aws_access_key_id=dg.EnvVar("AWS_ACCESS_KEY_ID") if _has("AWS_ACCESS_KEY_ID") else None,
            aws_secret_access_key=(
                dg.EnvVar("AWS_SECRET_ACCESS_KEY") if _has("AWS_SECRET_ACCESS_KEY") else None
            ),
        )

    def s3_resource(self) -> S3Resource:
        """dagster-aws's S3 resource with the same endpoint and credentials."""
        from dagster_aws.s3 import S3Resource

        return S3Resource(
            endpoint_url=self.s3_endpoint_url,
            region_name=self.region_name,
            aws_access_key_id=self.aws_access_key_id,
            aws_secret_access_key=self.aws_secret_access_key,
        )

    def _fsspec_options(self) -> dict[str, Any]:
        options: dict[str, Any] = {}
        if self.s3_endpoint_url:
            options["endpoint_url"] = self.s3_endpoint_url
        if self.aws_access_key_id:
            options["key"] = self.aws_access_key_id
        if self.aws_secret_access_key:
            options["secret"] = self.aws_secret_access_key
        if self.region_name:
            options["client_kwargs"] = {"region_name": self.region_name}
        return options

    def get_storage(self) -> Storage:
        """The :class:`Storage` for this root, built once per process."""
        if self._storage is None:
            remote = "://" in self.data_dir and not self.data_dir.startswith("file://")
            self._storage = open_storage(
                self.data_dir, storage_options=self._fsspec_options() if remote else {}
            )
        return self._storage


def _has(name: str) -> bool:
    import os

    return bool(os.environ.get(name))
