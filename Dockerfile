# syntax=docker/dockerfile:1
# The Zhiyin server image (docs/decisions/035-backups-and-deployment.md). The first stage installs
# everything and builds; the second keeps what `npm start` runs: the production dependencies
# (tsx among them: it runs server/main.ts, which imports app/ and db/ as TypeScript), the build,
# the sources and the migrations. Backups and restores run in it too (npm run backup / restore).
ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
# npm ci applies patches/ to the installed packages (decision 054), so they come first.
COPY package.json package-lock.json ./
COPY patches ./patches
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    PORT=3000 \
    DATA_DIR=/data \
    NPM_CONFIG_UPDATE_NOTIFIER=false
WORKDIR /app
COPY --from=build /app/package.json /app/package-lock.json /app/tsconfig.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/app ./app
COPY --from=build /app/db ./db
COPY --from=build /app/server ./server
COPY --from=build /app/scripts ./scripts
COPY --from=build /app/content ./content
COPY --from=build /app/public ./public
COPY --from=build /app/build ./build
# The server rebuilds when a source is newer than its build (server/build-if-needed.ts), which
# would need the dev dependencies pruned above: the build is made the newest file here. The
# data and replica folders belong to the unprivileged user, so volumes mounted there do too.
RUN touch build/index.js \
 && mkdir -p /data /replica \
 && chown node:node /data /replica
USER node
VOLUME ["/data"]
EXPOSE 3000
# Node's own fetch: the slim image has no curl. /healthz answers 503 when the database does not.
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# What `npm start` runs, without npm in between: tsx passes SIGTERM on, so `docker stop` lets the
# server finish its open requests and its jobs' current pass.
CMD ["node_modules/.bin/tsx", "server/main.ts"]
