# The API and the worker for temporal/docker-compose.yml (one image, two commands).
FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts
COPY . .
# The console is built here (Vite is a development dependency), then development packages go.
RUN node scripts/ensure-console.mjs && npm prune --omit=dev
ENV NODE_ENV=production
EXPOSE 3000
RUN node scripts/ensure-build.mjs
CMD ["node", "dist/server.js"]
