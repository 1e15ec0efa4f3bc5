# One image for the web (ASGI), worker and beat services of docker-compose.yml.
FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 VAR_DIR=/data
WORKDIR /app
# espeak-ng, MeCab and the Noto CJK fonts: the animatic's voices, Japanese readings for them, and
# its subtitles in every script.
RUN apt-get update && apt-get install -y --no-install-recommends curl espeak-ng fonts-noto-cjk \
    mecab mecab-ipadic-utf8 \
    && rm -rf /var/lib/apt/lists/*
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
RUN DATABASE_URL=sqlite:////tmp/build.sqlite3 python manage.py collectstatic --noinput -v0
EXPOSE 8000
CMD ["uvicorn", "config.asgi:application", "--host", "0.0.0.0", "--port", "8000", "--no-access-log", \
     "--ws-max-size", "65536"]
