# syntax=docker/dockerfile:1
# Stage 1: build the CSS and copy GOV.UK Frontend's script and images (Node only here).
FROM node:20-bookworm-slim AS assets
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY static ./static
COPY scripts/copy-assets.mjs ./scripts/copy-assets.mjs
RUN npm run build

# Stage 2: the Python application, run as a non-root user by gunicorn.
FROM python:3.11-slim-bookworm
# PYTHONPATH: web, worker and beat all import the apps from /app, where the templates and
# data files sit beside them (BASE_DIR is worked out from alliance/settings.py's own path).
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PYTHONPATH=/app
# Pango for WeasyPrint (the parenting plan's PDF summary).
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 \
 && rm -rf /var/lib/apt/lists/*
RUN useradd --create-home --uid 10001 alliance
WORKDIR /app
COPY pyproject.toml ./
COPY alliance ./alliance
COPY directory ./directory
COPY referrals ./referrals
COPY resources ./resources
RUN pip install .
COPY manage.py ./
COPY templates ./templates
COPY static ./static
COPY --from=assets /src/build ./build
# collectstatic needs settings that import cleanly; these build-time values are not secrets
# and are not used at run time.
RUN SECRET_KEY=build-only DATABASE_URL=postgres://build/none REDIS_URL=redis://build:6379/0 \
    ALLOWED_HOSTS=build python manage.py collectstatic --noinput \
 && chown -R alliance:alliance /app
USER alliance
EXPOSE 8000
# check --deploy first: the portal refuses to start on a session store that writes to disk
# (docs/deployment.md). exec: gunicorn receives the container's stop signal itself. No
# gunicorn access log: a path can reveal an answer, so the portal logs route names instead.
CMD ["sh", "-c", "python manage.py check --deploy --fail-level ERROR && exec gunicorn alliance.wsgi --bind 0.0.0.0:8000 --workers 3 --threads 4"]
