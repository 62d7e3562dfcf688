# hundredx: a multi-stage image. The build stage compiles TypeScript with the dev dependencies; the runtime
# stage holds the compiled build (dist/), the bundled data and production dependencies only, and runs as the
# unprivileged `node` user. `npm run check:prod` checks the runtime stage's contents without Docker.
#
#   docker build -t hundredx .
#   docker compose up -d          # with Redis; see docker-compose.yml and the README

ARG NODE_IMAGE=node:24-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY bin ./bin
COPY src ./src
COPY commands ./commands
RUN npm run build

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
# The same list as scripts/check-prod.ts (COPIED): keep the two in step.
COPY --from=build /app/dist ./dist
COPY bin ./bin
COPY data/bars ./data/bars
COPY data/universe ./data/universe
COPY data/options ./data/options
COPY .env.example ./
# State (the ledger, the outbox, the state file or database) and the diaries outlive the container: volumes,
# created here so they belong to `node` when Docker first fills them.
RUN mkdir -p data/state diary && chown node:node data/state diary
VOLUME ["/app/data/state", "/app/diary"]
USER node

# /healthz is served on HTTP_PORT (default 8080, bound to 127.0.0.1 inside the container). Node's own fetch
# asks it, so the image needs no curl.
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.HTTP_PORT || 8080) + '/healthz', { signal: AbortSignal.timeout(4000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]

# node itself as the entry (not npm): SIGTERM from `docker stop` reaches the bot, which finishes running jobs
# and keeps undelivered alerts for the next start.
CMD ["node", "dist/src/app/main.js"]
