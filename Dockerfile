# One image for every part of Ledgerline: the command picks the part (see compose.yaml).
# The entry points are the ones `npm run start:*` and the topology test (test/ops/topology.test.ts) use.
FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# Production dependencies only; tsx runs the TypeScript sources as the tests do, esbuild builds the console.
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY . .
# Not root: nothing in the image needs it, and a compromised process should not own the image.
USER node
EXPOSE 4000
# The gateway by default; compose.yaml overrides the command for subgraphs, workers and migrations.
CMD ["node", "--import", "tsx", "gateway/server.ts"]
