#!/usr/bin/env python3
"""Loopback HTTP helpers for the registry tests, beside the real registry server.

  registry_front.py token CERT KEY ISSUER SERVICE USER PASSWORD LOG PORT_FILE
      A token endpoint for the registry's `auth: token` mode. GET /token?service=S&scope=...
      with Basic USER:PASSWORD answers {"token": JWT}: RS256-signed with KEY, whose
      certificate CERT goes in the x5c header (the registry trusts it through its
      rootcertbundle), granting the actions each scope asks for. Other credentials get 401.
  registry_front.py decoy LOG PORT_FILE
      A registry that must never learn anyone's credentials: every request gets a 401 with a
      Bearer challenge whose realm is its own /token, which answers 401 as well.
  registry_front.py redirect UPSTREAM USER PASSWORD LOG PORT_FILE
      A registry front that asks for Basic USER:PASSWORD, proxies /v2/ requests to UPSTREAM
      (an anonymous registry, "http://127.0.0.1:PORT"), and answers blob GETs with a 307 to a
      second listener on another port (the "storage"), which serves the blob from UPSTREAM.
  registry_front.py flaky UPSTREAM LOG PORT_FILE
      A front of UPSTREAM that fails each manifest request once with 429 (Retry-After: 1) and
      each blob request once with 503 before proxying it; any path under /v2/broken/ always
      gets 503.
  registry_front.py tamper UPSTREAM LOG PORT_FILE
      A front of UPSTREAM that flips the middle byte of every blob larger than 64 KiB (the
      layers of the tests' images, not their configs), keeping the registry's headers.
  registry_front.py cut UPSTREAM LOG PORT_FILE
      A front of UPSTREAM that breaks off every blob larger than 64 KiB half-way (the headers
      announce it whole, then the connection closes), and answers a range request for it
      ("Range: bytes=N-") with 206 and the rest.
  registry_front.py odd LOG PORT_FILE
      A registry that answers manifests wrongly on purpose: /v2/schema1/... a Docker schema 1
      manifest, /v2/huge/... a 5 MiB manifest, /v2/other/... a valid manifest whatever digest
      was asked for; /v2/ answers 200.

Each writes "LISTENER METHOD PATH AUTHORIZATION" per request to LOG (AUTHORIZATION is "-"
when absent) and then the port(s) it listens on (127.0.0.1, chosen by the kernel) to
PORT_FILE, space-separated, once it accepts connections.
"""
import base64
import http.server
import json
import os
import socket
import sys
import threading
import time
import urllib.parse
import urllib.request
import uuid

lock = threading.Lock()


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def write_ports(port_file, ports):
    with open(port_file + ".tmp", "w") as out:
        out.write(" ".join(str(p) for p in ports))
    os.rename(port_file + ".tmp", port_file)


def serve(handler, log, port_file):
    """Serves `handler` on a kernel-chosen loopback port, logging to `log`, until killed."""
    handler.log_path = log
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    write_ports(port_file, [server.server_address[1]])
    server.serve_forever()


class Logged(http.server.BaseHTTPRequestHandler):
    log_path = None
    listener = "front"

    def log_message(self, fmt, *args):
        pass

    def record(self):
        auth = self.headers.get("Authorization", "-")
        with lock, open(self.log_path, "a") as log:
            log.write("%s %s %s %s\n" % (self.listener, self.command, self.path, auth))

    def answer(self, status, body=b"", headers=()):
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


def basic_ok(handler, user, password):
    expected = "Basic " + base64.b64encode(("%s:%s" % (user, password)).encode()).decode()
    return handler.headers.get("Authorization") == expected


def token_mode(cert, key, issuer, service, user, password, log, port_file):
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import padding

    with open(cert, "rb") as f:
        der = x509.load_pem_x509_certificate(f.read()).public_bytes(serialization.Encoding.DER)
    with open(key, "rb") as f:
        private = serialization.load_pem_private_key(f.read(), password=None)

    def sign(claims):
        header = {"typ": "JWT", "alg": "RS256", "x5c": [base64.b64encode(der).decode()]}
        signing_input = b64url(json.dumps(header).encode()) + "." + b64url(
            json.dumps(claims).encode())
        signature = private.sign(signing_input.encode(), padding.PKCS1v15(), hashes.SHA256())
        return signing_input + "." + b64url(signature)

    def grant(fields):
        """A signed token granting what each "scope" of `fields` (parsed query or form) asks."""
        access = []
        for scope in fields.get("scope", []):
            kind, name, actions = scope.split(":")
            access.append({"type": kind, "name": name, "actions": actions.split(",")})
        now = int(time.time())
        return sign({"iss": issuer, "sub": user, "aud": fields.get("service", [service])[0],
                     "exp": now + 600, "nbf": now - 60, "iat": now, "jti": uuid.uuid4().hex,
                     "access": access})

    class Handler(Logged):
        def do_GET(self):
            self.record()
            url = urllib.parse.urlparse(self.path)
            if url.path != "/token":
                return self.answer(404)
            if not basic_ok(self, user, password):
                return self.answer(401, b'{"details":"bad credentials"}')
            token = grant(urllib.parse.parse_qs(url.query))
            body = json.dumps({"token": token, "expires_in": 600}).encode()
            self.answer(200, body, [("Content-Type", "application/json")])

        def do_POST(self):
            # The OAuth2 refresh-token grant that clients send for an identity token; the
            # test's identity token is PASSWORD.
            self.record()
            length = int(self.headers.get("Content-Length", "0"))
            form = urllib.parse.parse_qs(self.rfile.read(length).decode())
            if (urllib.parse.urlparse(self.path).path != "/token"
                    or form.get("grant_type") != ["refresh_token"]
                    or form.get("refresh_token") != [password]):
                return self.answer(401, b'{"error":"invalid_grant"}')
            body = json.dumps({"access_token": grant(form), "expires_in": 600}).encode()
            self.answer(200, body, [("Content-Type", "application/json")])

    serve(Handler, log, port_file)


def decoy_mode(log, port_file):
    class Handler(Logged):
        def do_GET(self):
            self.record()
            port = self.server.server_address[1]
            challenge = 'Bearer realm="http://127.0.0.1:%d/token",service="decoy"' % port
            self.answer(401, b'{"errors":[{"code":"UNAUTHORIZED","message":"decoy"}]}',
                        [("WWW-Authenticate", challenge), ("Content-Type", "application/json")])

        do_HEAD = do_GET

        def do_POST(self):
            self.do_GET()

    serve(Handler, log, port_file)


def proxy(handler, upstream, path, tamper=False):
    request = urllib.request.Request(upstream + path, method=handler.command)
    for name in ("Accept",):
        if handler.headers.get(name):
            request.add_header(name, handler.headers.get(name))
    try:
        with urllib.request.urlopen(request) as response:
            body = response.read()
            if tamper and len(body) > 65536:
                middle = len(body) // 2
                body = body[:middle] + bytes([body[middle] ^ 1]) + body[middle + 1:]
            headers = [(n, v) for n, v in response.getheaders()
                       if n.lower() in ("content-type", "docker-content-digest")]
            handler.answer(response.status, body, headers)
    except urllib.error.HTTPError as error:
        handler.answer(error.code, error.read(), [("Content-Type", "application/json")])


def redirect_mode(upstream, user, password, log, port_file):
    storage = None

    class Storage(Logged):
        listener = "storage"

        def do_GET(self):
            self.record()
            proxy(self, upstream, self.path[len("/storage"):])

    class Front(Logged):
        def do_GET(self):
            self.record()
            if not basic_ok(self, user, password):
                return self.answer(401, b"", [("WWW-Authenticate", 'Basic realm="front"')])
            if "/blobs/" in self.path:
                location = "http://127.0.0.1:%d/storage%s" % (storage.server_address[1], self.path)
                return self.answer(307, b"", [("Location", location)])
            proxy(self, upstream, self.path)

        do_HEAD = do_GET

    Front.log_path = log
    Storage.log_path = log
    front = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Front)
    storage = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Storage)
    threading.Thread(target=storage.serve_forever, daemon=True).start()
    write_ports(port_file, [front.server_address[1], storage.server_address[1]])
    front.serve_forever()


def flaky_mode(upstream, log, port_file):
    seen = set()

    class Front(Logged):
        def do_GET(self):
            self.record()
            with lock:
                first = self.path not in seen
                seen.add(self.path)
            if self.path.startswith("/v2/broken/"):
                return self.answer(503)
            if first and "/manifests/" in self.path:
                return self.answer(429, b"", [("Retry-After", "1")])
            if first and "/blobs/" in self.path:
                return self.answer(503)
            proxy(self, upstream, self.path)

    serve(Front, log, port_file)


def tamper_mode(upstream, log, port_file):
    class Front(Logged):
        def do_GET(self):
            self.record()
            proxy(self, upstream, self.path, tamper="/blobs/" in self.path)

    serve(Front, log, port_file)


def cut_mode(upstream, log, port_file):
    class Front(Logged):
        def do_GET(self):
            self.record()
            if "/blobs/" not in self.path:
                return proxy(self, upstream, self.path)
            with urllib.request.urlopen(upstream + self.path) as response:
                body = response.read()
            if len(body) <= 65536:
                return self.answer(200, body)
            wanted = self.headers.get("Range", "")
            if wanted.startswith("bytes=") and wanted.endswith("-"):
                start = int(wanted[len("bytes="):-1])
                content_range = "bytes %d-%d/%d" % (start, len(body) - 1, len(body))
                return self.answer(206, body[start:], [("Content-Range", content_range)])
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body[:len(body) // 2])
            self.wfile.flush()
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)

    serve(Front, log, port_file)


def odd_mode(log, port_file):
    manifest = json.dumps({
        "schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {"mediaType": "application/vnd.oci.image.config.v1+json",
                   "digest": "sha256:" + "a" * 64, "size": 2},
        "layers": []}).encode()

    class Front(Logged):
        def do_GET(self):
            self.record()
            if self.path == "/v2/":
                return self.answer(200, b"{}")
            if self.path.startswith("/v2/schema1/manifests/"):
                body = json.dumps({"schemaVersion": 1, "name": "schema1", "tag": "1",
                                   "fsLayers": [], "history": []}).encode()
                kind = "application/vnd.docker.distribution.manifest.v1+prettyjws"
                return self.answer(200, body, [("Content-Type", kind)])
            if self.path.startswith("/v2/huge/manifests/"):
                return self.answer(200, b" " * (5 << 20) + manifest,
                                   [("Content-Type", "application/vnd.oci.image.manifest.v1+json")])
            if self.path.startswith("/v2/other/manifests/"):
                return self.answer(200, manifest,
                                   [("Content-Type", "application/vnd.oci.image.manifest.v1+json")])
            self.answer(404)

    serve(Front, log, port_file)


if __name__ == "__main__":
    mode, args = sys.argv[1], sys.argv[2:]
    if mode == "token":
        token_mode(*args)
    elif mode == "decoy":
        decoy_mode(*args)
    elif mode == "redirect":
        redirect_mode(*args)
    elif mode == "flaky":
        flaky_mode(*args)
    elif mode == "tamper":
        tamper_mode(*args)
    elif mode == "cut":
        cut_mode(*args)
    elif mode == "odd":
        odd_mode(*args)
    else:
        sys.exit("unknown mode " + mode)
