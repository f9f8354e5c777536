# Stand-in for Docker Hub's maven:3-eclipse-temurin-21, the build image of RuntimeInterfaceClient.java():
# the eclipse-temurin stand-in (temurin-jre.Dockerfile) plus Debian's JDK and Maven (3.8). Not Java 21:
# Debian bookworm ships OpenJDK 17. Maven downloads from Maven Central like the real image does;
# Java does not read the CA bundle file the other stand-ins trust (rootfs.Dockerfile), so each of
# its certificates is added to the JDK's trust store (cacerts) through update-ca-certificates.
FROM docker.io/library/eclipse-temurin:21-jre
RUN mkdir -p /usr/local/share/ca-certificates/e2e-bundle \
    && awk '/-----BEGIN CERTIFICATE-----/ { n++; f = sprintf("/usr/local/share/ca-certificates/e2e-bundle/%03d.crt", n) } n { print > f } /-----END CERTIFICATE-----/ { close(f) }' /etc/ssl/certs/ca-certificates.crt \
    && apt-get update -qq \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends openjdk-17-jdk-headless maven >/dev/null \
    && update-ca-certificates --fresh >/dev/null 2>&1 \
    && rm -rf /var/lib/apt/lists/*
ENV MAVEN_HOME=/usr/share/maven
