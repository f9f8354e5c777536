"""S3-triggered thumbnailer: reads each uploaded image and writes a thumbnail beside it.

boto3 honours AWS_ENDPOINT_URL, so the same code runs against LocalStack in local tests.
"""
import io
import os
import urllib.parse

import boto3
from image_utils import thumbnail_key  # from the image-utils layer (/opt/python)
from PIL import Image

s3 = boto3.client("s3")
SIZE = int(os.environ.get("THUMBNAIL_SIZE", "128"))
PREFIX = os.environ.get("THUMBNAIL_PREFIX", "thumbnails/")


def handler(event, context):
    written = []
    for record in event.get("Records", []):
        bucket = record["s3"]["bucket"]["name"]
        key = urllib.parse.unquote_plus(record["s3"]["object"]["key"])
        if key.startswith(PREFIX):
            continue  # never thumbnail our own output
        body = s3.get_object(Bucket=bucket, Key=key)["Body"].read()
        image = Image.open(io.BytesIO(body))
        image.thumbnail((SIZE, SIZE))
        out = io.BytesIO()
        image.convert("RGB").save(out, format="JPEG")
        target = thumbnail_key(key, PREFIX)
        s3.put_object(Bucket=bucket, Key=target, Body=out.getvalue(), ContentType="image/jpeg")
        written.append({"bucket": bucket, "key": target, "size": list(image.size)})
    return {"thumbnails": written}
