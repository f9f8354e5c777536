# The Debian rootfs every stand-in starts from, trusting the host's CA bundle (this machine reaches
# PyPI and npm through a TLS-intercepting proxy; on other machines the bundle is the usual one).
ARG ROOTFS=localhost/e2e-rootfs:bookworm
FROM ${ROOTFS}
COPY host-ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
ENV SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt \
    PIP_CERT=/etc/ssl/certs/ca-certificates.crt \
    REQUESTS_CA_BUNDLE=/etc/ssl/certs/ca-certificates.crt \
    AWS_CA_BUNDLE=/etc/ssl/certs/ca-certificates.crt \
    NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt
