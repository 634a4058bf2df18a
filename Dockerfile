# Multi-stage build for people who have Docker; the README's commands do not
# need it. The web app is built by Node, embedded into the binary by cargo
# (build.rs), and the runtime image holds only the binary (migrations,
# Swagger UI and the web app are compiled in); it runs as an unprivileged user.
FROM node:20-bookworm AS web
WORKDIR /src
# The web app is typed from the committed OpenAPI document.
COPY openapi/openapi.json openapi/openapi.json
COPY web/package.json web/package-lock.json web/
RUN cd web && npm ci --no-audit --no-fund
COPY web web
RUN cd web && npm run build

FROM rust:1-bookworm AS build
WORKDIR /src
# Everything the manifest names (tests and the bench example included, or
# cargo refuses the manifest); .dockerignore keeps build output and data out.
COPY . .
COPY --from=web /src/web/dist web/dist
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
