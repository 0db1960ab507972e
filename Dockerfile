# itrm production image: gunicorn serves itrm.wsgi:application on :8000; the same image runs the
# Celery worker and beat (see docker-compose.yml). Dependencies come from uv.lock, without the dev
# group, into /app/.venv.

FROM python:3.11-slim-bookworm AS base
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1


# --- builder: resolve nothing, install exactly what uv.lock pins ---------------------------
FROM base AS builder
ENV UV_PYTHON_DOWNLOADS=never \
    UV_PROJECT_ENVIRONMENT=/app/.venv \
    UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_NO_PROGRESS=1
RUN pip install uv==0.13.9
WORKDIR /app
# Only the lock files, so this layer is rebuilt when dependencies change, not when code does.
COPY pyproject.toml uv.lock ./
RUN uv sync --frozen --no-dev --no-install-project


# --- runtime: no uv, no build tools, a non-root user ---------------------------------------
FROM base AS runtime
# Pango and fonts for WeasyPrint (the monthly report PDFs).
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-liberation \
 && rm -rf /var/lib/apt/lists/*
RUN groupadd --system --gid 10001 itrm \
 && useradd --system --uid 10001 --gid itrm --create-home --home-dir /home/itrm \
        --shell /usr/sbin/nologin itrm
WORKDIR /app
ENV PATH="/app/.venv/bin:${PATH}" \
    VIRTUAL_ENV=/app/.venv \
    DJANGO_SETTINGS_MODULE=itrm.settings \
    ITRM_ENV=production

# Same base image as the builder, so the venv's python symlinks (/usr/local/bin/python3.11) hold.
COPY --from=builder /app/.venv /app/.venv
# The code stays owned by root (the app cannot rewrite itself); only staticfiles/ and media/
# belong to the app user.
COPY . /app
RUN mkdir -p /app/staticfiles /app/media \
 && chown itrm:itrm /app/staticfiles /app/media

USER itrm
# Settings refuse to load in production without SECRET_KEY and ALLOWED_HOSTS; these dummy values
# exist for this one command only and are not kept in the image's environment.
RUN ITRM_ENV=production SECRET_KEY=build-only ALLOWED_HOSTS=localhost \
    python manage.py collectstatic --noinput

EXPOSE 8000
CMD ["gunicorn", "itrm.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", \
     "--access-logfile", "-"]
