# Stand-in for Docker Hub's golang:1.24, the build image of RuntimeInterfaceClient.go(): the real Go
# 1.24 toolchain on a Debian rootfs. It comes from the Go module proxy as the module the go command
# itself downloads for GOTOOLCHAIN=go1.24.13 (golang.org/toolchain), checked against the SHA-256 of
# the zip the checksum database vouches for. Environment as in the official image (GOTOOLCHAIN=local,
# GOPATH=/go); GOPROXY and GOSUMDB are the toolchain's defaults (proxy.golang.org also serves the
# checksum database, so nothing else needs to be reachable).
FROM localhost/e2e-base:bookworm
ARG TARGETARCH
ARG GO_VERSION=1.24.13
RUN case "$TARGETARCH" in \
      amd64) sum=d2b048367a3d1a748b87f756fa06df12ce3b419e1d5f2a3612acb8950d615f9f ;; \
      arm64) sum=50c7b3e59fa87479d8edf3e9ad81daa477c050fb580f2661cb3b8adaf70af86c ;; \
      *) echo "no Go toolchain pinned for $TARGETARCH" >&2; exit 1 ;; \
    esac \
    && curl -fsSL -o /tmp/go.zip "https://proxy.golang.org/golang.org/toolchain/@v/v0.0.1-go$GO_VERSION.linux-$TARGETARCH.zip" \
    && echo "$sum  /tmp/go.zip" | sha256sum -c --quiet - \
    && python3 -c "import os, zipfile; z = zipfile.ZipFile('/tmp/go.zip'); [os.chmod(z.extract(i, '/tmp/go'), i.external_attr >> 16 & 0o777) for i in z.infolist() if not i.is_dir()]" \
    && mv /tmp/go/golang.org/toolchain@*/ /usr/local/go \
    && rm -rf /tmp/go /tmp/go.zip \
    && /usr/local/go/bin/go version
ENV GOTOOLCHAIN=local GOPATH=/go PATH=/go/bin:/usr/local/go/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
WORKDIR /go
