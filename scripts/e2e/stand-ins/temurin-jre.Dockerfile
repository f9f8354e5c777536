# Stand-in for Docker Hub's eclipse-temurin:21-jre (which cannot be pulled here), the base image a
# RuntimeInterfaceClient.java() function runs on: Debian's Java runtime with java at
# /opt/java/openjdk/bin/java, where the eclipse-temurin images keep it (a link to Debian's JRE).
# Not Java 21: Debian bookworm ships OpenJDK 17 (openjdk-17-jre-headless); the RIC needs Java 8+.
FROM localhost/e2e-base:bookworm
RUN apt-get update -qq \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends openjdk-17-jre-headless >/dev/null \
    && rm -rf /var/lib/apt/lists/* \
    && mkdir -p /opt/java && ln -s "$(dirname "$(dirname "$(readlink -f /usr/bin/java)")")" /opt/java/openjdk
ENV JAVA_HOME=/opt/java/openjdk
