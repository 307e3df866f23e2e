# Images for the API and the workers. Build from the repository root:
#   docker build --target api -t ablate-api .
#   docker build --target worker-gpu -t ablate-worker-gpu .   (tfjs-node-gpu 4.22: CUDA 11.2 + cuDNN 8.1)
#   docker build --target worker-cpu -t ablate-worker-cpu .

FROM node:20-bookworm-slim AS api
WORKDIR /app
COPY . .
RUN npm ci --omit=optional && npm cache clean --force
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000
EXPOSE 3000
CMD ["node", "--import", "tsx", "apps/api/src/server.ts"]

FROM node:20-bookworm-slim AS worker-cpu
WORKDIR /app
COPY . .
# tfjs-node (CPU, libtensorflow) installs where the build can reach Google storage; otherwise wasm is used.
RUN npm ci && npm cache clean --force
ENV NODE_ENV=production
CMD ["node", "--import", "tsx", "apps/worker/src/main.ts"]

FROM nvidia/cuda:11.2.2-cudnn8-runtime-ubuntu20.04 AS worker-gpu
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates curl gnupg python3 make g++ \
 && curl -fsSL https://deb.nodesource.com/setup_20.x | bash - && apt-get install -y nodejs && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY . .
# The optional @tensorflow/tfjs-node-gpu downloads libtensorflow (GPU) during this install.
RUN npm ci && npm cache clean --force
ENV NODE_ENV=production ABLATE_BACKEND=tensorflow-gpu TF_FORCE_GPU_ALLOW_GROWTH=true
CMD ["node", "--import", "tsx", "apps/worker/src/main.ts"]
