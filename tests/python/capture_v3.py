"""Sends generated calls through the vendor's official Python SDK
(`alibabacloud-cr20181201`, which signs with V3, ACS3-HMAC-SHA256) to a
capture server on 127.0.0.1 and writes what the SDK signed and what arrived,
so that tests/signing_v3_python.rs can check tagdeck's V3 signer and verifier
against every request.

Usage (inside the venv of scripts/python-env.sh):
    python tests/python/capture_v3.py --cases 1190 --seed 7 --out captures.json

With `--against HOST:PORT --access-key-id ID --access-key-secret SECRET
[--security-token TOKEN] [--operations A,B,...]` the same generated calls go
to a running server instead (emulator/tests/v3_python_sdk.rs points it at
tagdeck-emulator), with those credentials only, and each case records the
answer: {operation, status, code} (code null for a success).

The SDK is used unchanged: a client per credential set (some with an STS
token), pointed at the capture server over http, one `<operation>_with_options`
call per case, cycling through all of the SDK's operations. Request models
are filled from their own type annotations with values from NASTY (non-ASCII,
spaces, `+ * ~ / % = & ?`, empty, JSON text); list, dict and model fields are
what the SDK sends as JSON text or flat (`Tag.1.Key`) parameters.

One observer is added: `Utils.get_authorization` is wrapped (called through,
its answer unchanged) to record the SDK's own inputs to the signature: the
query map it signed, its canonical query string (the SDK's own
`get_canonical_query_string` over that map) and its payload hash.

Output: {"sdk": "alibabacloud-cr20181201 X", "cases": [{operation, method,
access_key_id, access_key_secret, security_token, structured, sdk: {query,
canonical_query, payload_hash, authorization}, received: {method, target,
headers, body_base64}} | {operation, error}]}.
"""

import argparse
import base64
import importlib.metadata
import inspect
import json
import random
import sys
import threading
import typing
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from alibabacloud_cr20181201 import models as cr_models
from alibabacloud_cr20181201.client import Client
from alibabacloud_tea_openapi import utils as openapi_utils
from alibabacloud_tea_openapi import utils_models
from alibabacloud_tea_openapi.utils import Utils
from darabonba.model import DaraModel
from darabonba.runtime import RuntimeOptions

# Values that have broken signers before.
NASTY = [
    "",
    " ",
    "a b",
    "  padded  ",
    "+",
    "a+b",
    "*",
    "~",
    "/",
    "%",
    "=",
    "&",
    "?",
    "+ * ~ / % = & ?",
    "%20",
    "%2B",
    "%zz",
    "100%",
    "x=1&y=2?z",
    "semi;colon,comma",
    "quote'\"",
    "中文",
    "Grüße",
    "日本語 テスト",
    "🐳 whale",
    "e\u0301",
    "tab\there",
    "line\nbreak",
    '{"Key":"v a","n":1}',
    "[\"ns1\",\"ns 2\"]",
    "registry.cn-hangzhou.aliyuncs.com/ns/repo:v1.0",
    "v1.0.0-rc.1+build.5",
    "cri-abcdef0123456789",
]

INTEGERS = [0, 1, -1, 30, 100, 2**31 - 1, 2**53 + 1]

CREDENTIALS = [
    ("LTAI5tCrossCheckKey0001", "crossCheckSecret+/=0001", None),
    ("LTAI5tCrossCheckKey0002", "s3cr3t with space & more", None),
    ("STS.NTx9CrossCheckKey03", "stsSecret0003", "CAIS+sts/token=with&chars?1"),
]
# Every STS_EVERY-th case (and only those) uses the STS credentials.
STS_EVERY = 3


def text(rng):
    value = rng.choice(NASTY)
    if rng.random() < 0.3:
        value += rng.choice(NASTY)
    return value


def type_hints(cls):
    module = sys.modules[cls.__module__]
    try:
        return typing.get_type_hints(cls.__init__, globalns=vars(module))
    except Exception as error:  # noqa: BLE001 - named in the message
        raise SystemExit(f"cannot read the annotations of {cls.__name__}: {error}")


def value_for(hint, rng, depth):
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin is typing.Union:
        return value_for(next(a for a in args if a is not type(None)), rng, depth)
    if hint is str or hint is typing.Any:
        return text(rng)
    if hint is bool:
        return rng.random() < 0.5
    if hint is int:
        return rng.choice(INTEGERS)
    if hint is float:
        return rng.choice([0.5, 1.0, -2.25])
    if origin in (list, typing.List):
        return [value_for(args[0] if args else str, rng, depth + 1) for _ in range(rng.randint(0, 3))]
    if origin in (dict, typing.Dict):
        item = args[1] if len(args) == 2 else str
        return {text(rng) or "k": value_for(item, rng, depth + 1) for _ in range(rng.randint(0, 2))}
    if inspect.isclass(hint) and issubclass(hint, DaraModel):
        return model(hint, rng, depth + 1)
    raise SystemExit(f"no generator for the annotation {hint!r}")


def model(cls, rng, depth):
    """A model with each field set (more often near the top)."""
    fields = {}
    for name, hint in type_hints(cls).items():
        if name == "return":
            continue
        if rng.random() < (0.8 if depth == 0 else 0.6):
            fields[name] = value_for(hint, rng, depth)
    return cls(**fields)


def operations():
    """(operation, method name, request class) for every SDK operation."""
    found = []
    for name, _ in inspect.getmembers(Client, inspect.isfunction):
        if not name.endswith("_with_options") or name.endswith("_async"):
            continue
        base = name[: -len("_with_options")]
        camel = "".join(part.capitalize() for part in base.split("_"))
        # None: the operation takes no parameters (GetInstanceCount).
        request = getattr(cr_models, camel + "Request", None)
        # (self, request or tmp_req, runtime), or (self, runtime).
        takes_request = len(inspect.signature(getattr(Client, name)).parameters) == 3
        if takes_request and request is None:
            raise SystemExit(f"no request model for {name}")
        found.append((camel, name, request if takes_request else None))
    return found


class Capture(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # The head and the body are two writes: without this, each answer waits
    # for the client's delayed ACK (tens of milliseconds).
    disable_nagle_algorithm = True
    last = None

    def handle_any(self):
        length = int(self.headers.get("content-length") or 0)
        body = self.rfile.read(length) if length else b""
        Capture.last = {
            "method": self.command,
            "target": self.path,
            "headers": [[k, v] for k, v in self.headers.items()],
            "body_base64": base64.b64encode(body).decode("ascii"),
        }
        answer = json.dumps({"RequestId": "capture"}).encode()
        self.send_response(200)
        self.send_header("content-type", "application/json;charset=utf-8")
        self.send_header("content-length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    do_GET = handle_any
    do_POST = handle_any

    def log_message(self, *args):
        pass


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, required=True)
    parser.add_argument("--seed", type=int, required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--against")
    parser.add_argument("--access-key-id")
    parser.add_argument("--access-key-secret")
    parser.add_argument("--security-token")
    parser.add_argument("--operations")
    args = parser.parse_args()
    if args.against:
        return against(args)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Capture)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    endpoint = f"127.0.0.1:{server.server_address[1]}"

    signed = {}
    original = Utils.get_authorization

    def observed(request, sign_type, payload, ak, secret):
        authorization = original(request, sign_type, payload, ak, secret)
        signed["sdk"] = {
            "query": [[k, v] for k, v in (request.query or {}).items() if v is not None],
            "canonical_query": openapi_utils.get_canonical_query_string(request.query),
            "payload_hash": payload,
            "authorization": authorization,
        }
        return authorization

    Utils.get_authorization = staticmethod(observed)

    clients = [
        Client(
            utils_models.Config(
                access_key_id=key_id,
                access_key_secret=secret,
                security_token=token,
                endpoint=endpoint,
                protocol="http",
                region_id="cn-hangzhou",
            )
        )
        for key_id, secret, token in CREDENTIALS
    ]
    rng = random.Random(args.seed)
    ops = operations()
    cases = []
    for index in range(args.cases):
        operation, method_name, request_class = ops[index % len(ops)]
        which = 2 if index % STS_EVERY == 0 else rng.randint(0, 1)
        key_id, secret, token = CREDENTIALS[which]
        request = model(request_class, rng, 0) if request_class else None
        structured = sorted(
            name
            for name, value in (request.to_map() if request else {}).items()
            if isinstance(value, (list, dict))
        )
        signed.clear()
        Capture.last = None
        record = {
            "operation": operation,
            "access_key_id": key_id,
            "access_key_secret": secret,
            "security_token": token,
            "structured": structured,
        }
        try:
            call(clients[which], method_name, request)
        except Exception as error:  # noqa: BLE001 - reported per case
            record["error"] = f"{type(error).__name__}: {error}"[:500]
        record["sdk"] = signed.get("sdk")
        record["received"] = Capture.last
        cases.append(record)
    server.shutdown()

    with open(args.out, "w", encoding="utf-8") as out:
        json.dump(
            {
                "sdk": "alibabacloud-cr20181201 " + importlib.metadata.version("alibabacloud-cr20181201"),
                "operations": len(ops),
                "cases": cases,
            },
            out,
            ensure_ascii=False,
        )


def call(client, method_name, request):
    method = getattr(client, method_name)
    return method(RuntimeOptions()) if request is None else method(request, RuntimeOptions())


def against(args):
    """The generated calls, sent to a running server; the answers recorded."""
    client = Client(
        utils_models.Config(
            access_key_id=args.access_key_id,
            access_key_secret=args.access_key_secret,
            security_token=args.security_token,
            endpoint=args.against,
            protocol="http",
            region_id="cn-hangzhou",
        )
    )
    wanted = set(args.operations.split(",")) if args.operations else None
    ops = [op for op in operations() if wanted is None or op[0] in wanted]
    if not ops:
        raise SystemExit("none of --operations is an operation of the SDK")
    rng = random.Random(args.seed)
    cases = []
    for index in range(args.cases):
        operation, method_name, request_class = ops[index % len(ops)]
        request = model(request_class, rng, 0) if request_class else None
        record = {"operation": operation, "status": 200, "code": None}
        try:
            call(client, method_name, request)
        except Exception as error:  # noqa: BLE001 - recorded per case
            record["status"] = getattr(error, "status_code", None)
            record["code"] = getattr(error, "code", None) or f"{type(error).__name__}: {error}"[:300]
        cases.append(record)
    with open(args.out, "w", encoding="utf-8") as out:
        json.dump({"operations": len(ops), "cases": cases}, out, ensure_ascii=False)


if __name__ == "__main__":
    main()
