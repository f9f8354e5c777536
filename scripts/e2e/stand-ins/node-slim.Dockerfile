# Stand-in for Docker Hub's node:22-bookworm-slim: Debian's Node.js and npm (no Lambda pieces),
# with node at /usr/local/bin/node where the official images keep it. (Debian ships Node 18.)
# node-gyp gets the Node headers from libnode-dev instead of downloading them (nodejs.org is not
# reachable here; the official images download them the same way).
FROM localhost/e2e-base:bookworm
ENV npm_config_nodedir=/usr
RUN apt-get update -qq \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nodejs npm libnode-dev >/dev/null \
    && rm -rf /var/lib/apt/lists/* \
    && ln -s /usr/bin/node /usr/local/bin/node
