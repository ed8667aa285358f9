"""`minikctl serve`: a Kubernetes 1.32 API server over the same store (issue 14).

The server is one more front end beside the CLI: every request goes through the same object
API (minikctl.api.server.API, inside minikctl.api.cluster.Session's transactions), so
validation, defaulting, admission and the controllers are those the CLI runs.

- certs: the cluster's CA, serving certificate and bearer token (kept in the store's meta)
- discovery: /api, /apis, /apis/GROUP/VERSION, aggregated discovery (apidiscovery.k8s.io/v2)
- rest: one request -> one response, synchronous, on one thread that owns the store
- app: the HTTP front (aiohttp, an optional extra: minikctl[server]), start-up and shutdown
"""
