# One replica of the playground, after Streamlit's "Deploy Streamlit using Docker" guide: a slim
# Python base, requirements.txt only, the health check on /_stcore/health. Differences: the code is
# copied (not cloned), so no git or build tools (every requirement installs from a wheel); the
# health check uses Python (the slim image has no curl); it runs as a non-root user; the port
# comes from $PORT. deploy/compose.yaml runs several of these behind nginx.
FROM python:3.11-slim

# No file watcher: the code in an image never changes. No welcome message: its URLs are the
# container's own, and on 0.0.0.0 Streamlit asks an outside server for the external IP to print it.
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PORT=8501 \
    STREAMLIT_SERVER_FILE_WATCHER_TYPE=none \
    STREAMLIT_LOGGER_HIDE_WELCOME_MESSAGE=true

# Streamlit cannot run an app from / (its guide): the app lives in /app.
WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt
RUN useradd --create-home --uid 10001 playground
# Owned by root and read-only for the app's user: the app writes no files.
COPY . .
USER playground

EXPOSE 8501
# Streamlit answers 200 "ok" when it accepts browsers, 503 while it starts or stops.
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 \
    CMD python -c "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/_stcore/health' % os.environ['PORT'], timeout=4)"
# .streamlit/config.toml (copied with the code) sets headless, no usage statistics and the upload cap.
CMD ["sh", "-c", "exec streamlit run streamlit_app.py --server.port=\"$PORT\" --server.address=0.0.0.0"]
