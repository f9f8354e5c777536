# Stand-in for Docker Hub's python:3.13-slim: a plain Debian Python (no Lambda pieces at all) with
# the interpreter at /usr/local/bin/python, where the official images keep it.
FROM localhost/e2e-base:bookworm
RUN rm -f /usr/lib/python3*/EXTERNALLY-MANAGED && ln -s /usr/bin/python3 /usr/local/bin/python
