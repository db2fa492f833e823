"""Mint an EKS token with botocore at a frozen time, the way `aws eks get-token` does.

Reads one JSON object per line on stdin:
  {"accessKeyId", "secretAccessKey", "sessionToken"?, "region"?, "clusterId", "time": ISO-8601 UTC,
   "env"?: {...}}
and prints one JSON line per input: {"url", "token"} or {"error"}.

It drives the installed aws CLI's own TokenGenerator and STSClientFactory when awscli is
importable (so the test compares against the CLI's code, not a copy of it), and otherwise the same
three botocore calls those classes make. Offline: presigning never touches the network.
"""

import base64
import datetime
import json
import os
import sys

import botocore.auth
import botocore.session

try:
    from awscli.customizations.eks.get_token import STSClientFactory, TokenGenerator
except ImportError:  # botocore without the CLI: the same calls, inlined
    STSClientFactory = None
    TokenGenerator = None

FROZEN = {"now": None}


def frozen_now(remove_tzinfo=True):
    value = FROZEN["now"]
    return value.replace(tzinfo=None) if remove_tzinfo else value


# botocore's SigV4 signers read the clock through this one function.
botocore.auth.get_current_datetime = frozen_now


def mint(spec):
    FROZEN["now"] = datetime.datetime.fromisoformat(spec["time"].replace("Z", "+00:00"))
    saved = dict(os.environ)
    try:
        for name in ("AWS_STS_REGIONAL_ENDPOINTS", "AWS_USE_FIPS_ENDPOINT", "AWS_USE_DUALSTACK_ENDPOINT"):
            os.environ.pop(name, None)
        os.environ.update(spec.get("env", {}))
        session = botocore.session.Session()
        session.set_credentials(spec["accessKeyId"], spec["secretAccessKey"], spec.get("sessionToken"))
        region = spec.get("region")
        if TokenGenerator is not None:
            client = STSClientFactory(session).get_sts_client(region_name=region)
            token = TokenGenerator(client).get_token(spec["clusterId"])
        else:
            client = session.create_client("sts", region_name=region)

            def retrieve(params, context, **kwargs):
                if "x-k8s-aws-id" in params:
                    context["x-k8s-aws-id"] = params.pop("x-k8s-aws-id")

            def inject(request, **kwargs):
                if "x-k8s-aws-id" in request.context:
                    request.headers["x-k8s-aws-id"] = request.context["x-k8s-aws-id"]

            client.meta.events.register("provide-client-params.sts.GetCallerIdentity", retrieve)
            client.meta.events.register("before-sign.sts.GetCallerIdentity", inject)
            url = client.generate_presigned_url(
                "get_caller_identity", Params={"x-k8s-aws-id": spec["clusterId"]}, ExpiresIn=60, HttpMethod="GET"
            )
            token = "k8s-aws-v1." + base64.urlsafe_b64encode(url.encode("utf-8")).decode("utf-8").rstrip("=")
        body = token[len("k8s-aws-v1."):]
        url = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)).decode("utf-8")
        return {"url": url, "token": token}
    finally:
        os.environ.clear()
        os.environ.update(saved)


def main():
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            result = mint(json.loads(line))
        except Exception as error:  # reported per case, so one bad input does not hide the others
            result = {"error": f"{type(error).__name__}: {error}"}
        sys.stdout.write(json.dumps(result) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
