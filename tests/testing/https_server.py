#!/usr/bin/env python3
"""A small HTTPS file server for tests: serves a directory, plus paths that fail on purpose.

  https_server.py CERT KEY ROOT PORT_FILE

Writes the port it listens on (127.0.0.1, chosen by the kernel) to PORT_FILE once it accepts
connections. Paths:
  /files/NAME        the file ROOT/NAME
  /fail-once/NAME    503 on the first request for NAME, then the file
  /throttle/NAME     429 with Retry-After: 1 on the first request, then the file
  /redirect-http/NAME  302 to the same file over plain http://
  /status/CODE       an empty answer with that status
Every request is appended to ROOT/requests.log as "METHOD PATH".
"""
import http.server
import os
import ssl
import sys
import threading

cert, key, root, port_file = sys.argv[1:5]
seen = set()
lock = threading.Lock()


class Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, fmt, *args):
        pass  # Requests are logged once each, in do_GET.

    def log_request_line(self):
        with lock, open(os.path.join(root, "requests.log"), "a") as log:
            log.write("%s %s\n" % (self.command, self.path))

    def send_file(self, name):
        path = os.path.join(root, os.path.basename(name))
        if not os.path.isfile(path):
            self.send_error(404)
            return
        with open(path, "rb") as body:
            data = body.read()
        self.send_response(200)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def first_time(self, key):
        with lock:
            if key in seen:
                return False
            seen.add(key)
            return True

    def do_GET(self):
        self.log_request_line()
        parts = self.path.split("/", 2)
        kind, name = (parts[1], parts[2]) if len(parts) == 3 else ("", "")
        if kind == "files":
            self.send_file(name)
        elif kind == "fail-once" and self.first_time(self.path):
            self.send_error(503)
        elif kind == "fail-once":
            self.send_file(name)
        elif kind == "throttle" and self.first_time(self.path):
            self.send_response(429)
            self.send_header("Retry-After", "1")
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif kind == "throttle":
            self.send_file(name)
        elif kind == "redirect-http":
            self.send_response(302)
            self.send_header("Location", "http://127.0.0.1:%d/files/%s" % (port, name))
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif kind == "status":
            self.send_response(int(name))
            self.send_header("Content-Length", "0")
            self.end_headers()
        else:
            self.send_error(404)


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
context.load_cert_chain(cert, key)
server.socket = context.wrap_socket(server.socket, server_side=True)
port = server.server_address[1]
with open(port_file + ".tmp", "w") as out:
    out.write(str(port))
os.rename(port_file + ".tmp", port_file)
server.serve_forever()
