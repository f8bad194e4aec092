# The Rasa server: Rasa 3.6.21 on Python 3.11 from the project's lock (see scripts/setup_rasa_env.sh).
FROM python:3.11-slim
WORKDIR /app
COPY scripts/setup_rasa_env.sh scripts/
COPY assistant/requirements.lock assistant/
RUN RASA_VENV=/opt/rasa bash scripts/setup_rasa_env.sh
COPY assistant/ assistant/
COPY nlu_data/ nlu_data/
COPY models/ models/
ENV PATH=/opt/rasa/bin:$PATH HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1
EXPOSE 5005
CMD ["python", "-m", "assistant.rasa_server", "run", "--enable-api", "--model", "models", "--endpoints", "assistant/endpoints.prod.yml", \
     "--credentials", "assistant/credentials.yml", "--port", "5005"]
