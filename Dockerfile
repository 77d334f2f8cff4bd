# Production image: compiled TypeScript on Node 24 LTS. The embedded store is not built here;
# production uses MongoDB and Redis (see docker-compose.yml).
FROM node:24-bookworm-slim AS build
WORKDIR /app
# argon2 is compiled from source (its prebuilt binary crashes on some glibc builds).
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
COPY scripts ./scripts
COPY store ./store
# No Go in this stage: the postinstall only warns that the embedded store was not built.
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY workers ./workers
COPY public ./public
RUN npm run build && npm prune --omit=dev

FROM node:24-bookworm-slim
ENV NODE_ENV=production LOG_LEVEL=warn HOST=0.0.0.0 PORT=3000
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY src/import/import.schema.json ./src/import/import.schema.json
COPY src/demo/demo-stories.json ./src/demo/demo-stories.json
COPY templates ./templates
COPY locales ./locales
COPY --from=build /app/public ./public
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --retries=5 CMD node -e "fetch('http://127.0.0.1:3000/readyz').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"
# A smaller new space (8 MB semi-spaces, not 16) keeps web and worker ~10-15 MB smaller resident
# (docs/benchmarks.md, Memory); V8 sizes it at start, so it is a command-line flag.
CMD ["node", "--max-semi-space-size=4", "dist/src/bin/web.js"]
