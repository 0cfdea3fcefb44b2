# One image for the workers, the completion intake and the codec server (docker-compose.yml picks
# the command of each).
ARG NODE_IMAGE=node:20.20.2-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

FROM ${NODE_IMAGE} AS production-deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production
WORKDIR /app
# Owned by root and only readable by the runtime user: the process cannot change its own code.
COPY --from=production-deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# Read at run time: the ProCapita queries (adapters/procapita/queries.ts).
COPY --from=build /app/sql ./sql
COPY package.json ./
# The processes write nothing to disk: snapshots, plans and delivery ids are in PostgreSQL. A folder
# one must write (or a named volume's mount point, which starts with the folder's owner) is made here
# with `RUN install -d -o node -g node <folder>` (test/integration/platform/production-image.test.ts).
USER node
CMD ["node", "dist/workers/main.js"]
