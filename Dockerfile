# The service's image: `node dist/apps/api/src/main.js` on production dependencies only. What a
# container does comes from ROLES (api, worker or both); see docs/deployment.md.
#
#   docker build -t customer-lifecycle .
#   docker run --rm -p 127.0.0.1:3000:3000 -e AUTH_API_KEYS=admin:ops:<32+ characters> customer-lifecycle
#
# Without EVENTSTORE_CONNECTION_STRING and DATABASE_URL it runs on the embedded stores under
# DATA_DIR (/app/data: mount a volume there), one container only; docker-compose.yml runs it on
# EventStoreDB and PostgreSQL.

ARG NODE_IMAGE=node:20-bookworm-slim

# Dependencies are installed with a compiler at hand: better-sqlite3 (the embedded event store)
# builds from source when no prebuilt binary can be fetched.
FROM ${NODE_IMAGE} AS toolchain
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./

# npm ci refuses this lock file (it lists only the Linux builds of packages with per-platform
# optional binaries); an install from the lock installs the same tree.
FROM toolchain AS build
RUN npm install --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY apps apps
COPY libs libs
RUN npm run build

FROM toolchain AS production-dependencies
RUN npm install --omit=dev --no-audit --no-fund

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    PORT=3000 \
    DATA_DIR=/app/data
WORKDIR /app
# package.json maps the `#name` imports to dist/ and says the code is ES modules.
COPY package.json package-lock.json ./
COPY --from=production-dependencies /app/node_modules node_modules
COPY --from=build /app/dist dist
# Applied at start; found by walking up from dist/libs/read-model/src/database.
COPY libs/read-model/drizzle libs/read-model/drizzle
RUN mkdir -p /app/data && chown node:node /app/data
USER node
EXPOSE 3000
# Live while the process serves HTTP; /health/ready (dependencies answer, read model caught up)
# is for load balancers, which take a lagging replica out without restarting it.
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/health/live').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/apps/api/src/main.js"]
