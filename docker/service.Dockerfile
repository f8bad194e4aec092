# The service environment: our FastAPI API and the Rasa SDK action server share this image.
FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY scripts/setup_service_env.sh scripts/
COPY database/ database/
COPY bank/ bank/
COPY privacy/ privacy/
COPY recommender/ recommender/
COPY journeys/ journeys/
COPY simulation/ simulation/
COPY assistant/ assistant/
COPY service/ service/
COPY stack/ stack/
COPY migrations/ migrations/
COPY alembic.ini ./
RUN SERVICE_VENV=/opt/venv bash scripts/setup_service_env.sh
ENV PATH=/opt/venv/bin:$PATH HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1
EXPOSE 8000 5055
CMD ["uvicorn", "service.main:app", "--host", "0.0.0.0", "--port", "8000", "--ws", "wsproto"]
