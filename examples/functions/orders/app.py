"""One image, two functions: each function's CMD picks its handler."""
import json
import os
import uuid


def create_order(event, context):
    body = json.loads(event.get("body") or "{}")
    order = {"id": str(uuid.uuid4()), "item": body.get("item", "unknown"), "table": os.environ.get("TABLE_NAME")}
    return {"statusCode": 201, "body": json.dumps(order)}


def list_orders(event, context):
    return {"statusCode": 200, "body": json.dumps({"orders": [], "table": os.environ.get("TABLE_NAME")})}
