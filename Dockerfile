# Multi-stage build for people who have Docker; the README's commands do not
# need it. The runtime image holds only the binary (migrations and Swagger UI
# are compiled in) and runs as an unprivileged user.
FROM rust:1-bookworm AS build
WORKDIR /src
COPY Cargo.toml Cargo.lock ./
COPY src ./src
COPY migrations ./migrations
COPY openapi ./openapi
RUN cargo build --release --locked --bin peerlog

FROM debian:bookworm-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates curl \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --no-create-home peerlog
COPY --from=build /src/target/release/peerlog /usr/local/bin/peerlog
USER peerlog
ENV PEERLOG_BIND=0.0.0.0:8080
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --retries=5 CMD curl -fsS http://127.0.0.1:8080/ready || exit 1
ENTRYPOINT ["/usr/local/bin/peerlog"]
CMD ["serve"]
