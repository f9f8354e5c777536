"""Fetches a Lambda layer version's content while an image builds (cdk-lambda-container).

Usage: python3 fetch-layer-version.py <layer version ARN> <destination directory>

Runs in a throwaway build stage. Credentials come from a build secret (an AWS config or
credentials file mounted for this one RUN, named by AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE):
nothing of them is written to the file system, the image history or the Dockerfile. Files and
folders get a fixed timestamp so the image layer is the same on every build.
"""
import io
import os
import sys
import urllib.request
import zipfile

import boto3

FIXED_TIME = 946684800  # 2000-01-01T00:00:00Z

arn, destination = sys.argv[1], sys.argv[2]
region = arn.split(":")[3]
layer = boto3.client("lambda", region_name=region).get_layer_version_by_arn(Arn=arn)
with urllib.request.urlopen(layer["Content"]["Location"]) as response:
    data = response.read()

os.makedirs(destination, exist_ok=True)
with zipfile.ZipFile(io.BytesIO(data)) as archive:
    for info in archive.infolist():
        name = os.path.normpath(info.filename)
        if name.startswith("..") or os.path.isabs(name):
            sys.exit(f"{arn}: entry {info.filename!r} points outside the layer")
        target = os.path.join(destination, name)
        if info.is_dir():
            os.makedirs(target, exist_ok=True)
            continue
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "wb") as out:
            out.write(archive.read(info))
        mode = (info.external_attr >> 16) & 0o777
        os.chmod(target, mode or (0o755 if name.startswith("extensions" + os.sep) else 0o644))

top = os.path.dirname(os.path.abspath(destination))
for root, dirs, files in os.walk(top, topdown=False):
    for name in files + dirs:
        os.utime(os.path.join(root, name), (FIXED_TIME, FIXED_TIME), follow_symlinks=False)
os.utime(top, (FIXED_TIME, FIXED_TIME))
print(f"fetched {arn}: {len(data)} bytes", flush=True)
