# The API and the worker for temporal/docker-compose.yml (one image, two commands).
FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts
COPY . .
ENV NODE_ENV=production
EXPOSE 3000
RUN node scripts/ensure-build.mjs
CMD ["node", "dist/server.js"]
