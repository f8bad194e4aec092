"""HTTP and WebSocket routes of the service."""
