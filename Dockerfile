# eksauth in a container: `docker run --rm -e AWS_PROFILE -v ~/.aws:/home/nonroot/.aws:ro eksauth doctor ...`
# Build stage: compile and keep production dependencies only.
FROM node:22-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY . .
RUN npm run build && npm prune --omit=dev

# Runtime: distroless Node (no shell, no package manager), as the image's non-root user. eksauth
# talks to AWS and the API server itself; it needs no kubectl inside the image.
FROM gcr.io/distroless/nodejs22-debian12:nonroot
WORKDIR /app
COPY --from=build /src/package.json ./
COPY --from=build /src/bin ./bin
COPY --from=build /src/dist/src ./dist/src
COPY --from=build /src/dist/checks ./dist/checks
COPY --from=build /src/dist/token.cjs ./dist/token.cjs
COPY --from=build /src/node_modules ./node_modules
COPY --from=build /src/docs ./docs
COPY --from=build /src/scenarios ./scenarios
COPY --from=build /src/schema ./schema
COPY --from=build /src/LICENSE ./LICENSE
USER nonroot
ENV NO_COLOR=1
ENTRYPOINT ["/nodejs/bin/node", "/app/bin/eksauth.js"]
CMD ["--help"]
