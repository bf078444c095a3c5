FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml requirements.lock ./
COPY workbench/ workbench/
COPY agents/ agents/
RUN pip install --no-cache-dir -c requirements.lock .
COPY . .
RUN python manage.py collectstatic --noinput -v0
EXPOSE 8000
