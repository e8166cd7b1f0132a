# The three images, one target each. Build from the repository root:
#   docker build --target api -t darkroom-api .
#   docker build --target worker -t darkroom-worker .
#   docker build --target web -t darkroom-web .
# The dependencies are installed once, in the deps stage, for all three; each
# app is then built in its own stage, so a target builds only its own app.
ARG NODE_IMAGE=node:22.12-bookworm-slim

FROM ${NODE_IMAGE} AS deps
RUN npm install --global pnpm@12.4.2
WORKDIR /repo
# Dependencies first, from the lockfile alone, so that a source change reuses this layer.
COPY pnpm-lock.yaml pnpm-workspace.yaml ./
RUN pnpm fetch
COPY . .
RUN pnpm install --offline --frozen-lockfile --filter @darkroom/api... --filter @darkroom/worker... --filter @darkroom/web...

FROM deps AS api-build
RUN pnpm --filter @darkroom/api build \
 && pnpm --filter @darkroom/api deploy --prod --legacy /out

FROM deps AS worker-build
RUN pnpm --filter @darkroom/worker build \
 && pnpm --filter @darkroom/worker deploy --prod --legacy /out

FROM deps AS web-build
RUN pnpm --filter @darkroom/web build

# Debian to build and to run: sharp's prebuilt libvips is built for glibc.
FROM ${NODE_IMAGE} AS api
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000
WORKDIR /app
COPY --from=api-build --chown=node:node /out ./
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:3000/api/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/main.mjs"]

FROM ${NODE_IMAGE} AS worker
# Alone in its container, the worker may use its CPU in full.
ENV NODE_ENV=production WORKER_NICE=0 WORKER_OPS_HOST=0.0.0.0 WORKER_OPS_PORT=9464
WORKDIR /app
COPY --from=worker-build --chown=node:node /out ./
USER node
EXPOSE 9464
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:9464/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/main.mjs"]

# The web app: its built assets, served by nginx as an unprivileged user on
# 8080, which also forwards /api and /socket.io to the API.
FROM nginxinc/nginx-unprivileged:1.27-alpine AS web
# Filled in from the environment when the container starts.
COPY apps/web/nginx.conf.template /etc/nginx/templates/default.conf.template
COPY --from=web-build /repo/apps/web/dist /usr/share/nginx/html
# S3_PUBLIC_ORIGIN: where browsers send direct uploads, which the pages'
# Content-Security-Policy allows (MinIO of docker-compose by default).
ENV API_UPSTREAM=api:3000 S3_PUBLIC_ORIGIN=http://localhost:9000
# nginx starts a worker per core of the machine ("auto"), however few of them
# a container may use; two serve static files and proxy plenty.
USER root
RUN sed -i 's/^worker_processes .*;/worker_processes 2;/' /etc/nginx/nginx.conf
USER 101
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --retries=3 \
  CMD wget --quiet --output-document=/dev/null http://127.0.0.1:8080/healthz || exit 1
