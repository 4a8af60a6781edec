"""Calls a server with the vendor's V1 Python SDK, `aliyun-python-sdk-core`
(CommonRequest, signature 1.0), by GET and by POST, with values that need
encoding; prints one JSON line per call: {method, ok, code, body}.

emulator/tests/v3_python_sdk.rs uses it to check that V1 keeps working beside
V3 (the emulator tells them apart by the Authorization header).

Usage: python tests/python/aliyunsdkcore_v1.py HOST:PORT KEY_ID SECRET INSTANCE_ID REGION_ID
"""

import json
import sys

from aliyunsdkcore.acs_exception.exceptions import ServerException
from aliyunsdkcore.client import AcsClient
from aliyunsdkcore.request import CommonRequest


def main():
    endpoint, key_id, secret, instance, region = sys.argv[1:6]
    client = AcsClient(key_id, secret, region)
    for method in ("GET", "POST"):
        request = CommonRequest(domain=endpoint, version="2018-12-01", action_name="ListRepository")
        request.set_protocol_type("http")
        request.set_method(method)
        request.set_accept_format("json")
        request.add_query_param("InstanceId", instance)
        request.add_query_param("RegionId", region)
        request.add_query_param("RepoName", "a b+c ~*中 %20&=?")
        result = {"method": method, "ok": True, "code": None}
        try:
            result["body"] = json.loads(client.do_action_with_exception(request))
        except ServerException as error:
            result.update(ok=False, code=error.get_error_code())
        print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
