"""The service's web server: /healthz, /readyz and /metrics now, the office's page later (issue 16)."""
