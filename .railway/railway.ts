// GPU Tracker on Railway, as Infrastructure as Code. Railway stopped reading railway.json / railway.toml on
// 2026-12-01; this file replaces them. Railway does not read it on push: `railway config plan` shows what it would
// change in the linked project and `railway config apply` applies it. Walk-through: deployments/railway/README.md.
//
// Both app services build from the repository root with their own Dockerfile, chosen by RAILWAY_DOCKERFILE_PATH
// (the Dockerfile path, restart policy, cron schedule and draining time are not part of the IaC surface yet, so the
// first and the last travel as service variables and the others are dashboard settings; see the README's table).
// No `source` is declared: connect the GitHub repository to each service once in the dashboard.
import { defineRailway, group, postgres, project, service } from "railway/iac";

export default defineRailway(() => {
  // Railway's PostgreSQL: DATABASE_URL is postgresql://…@postgres.railway.internal:5432/railway on the private
  // network. The services accept it as is; over the public proxy add ?sslmode=require (self-signed certificate:
  // "require" encrypts without verifying, like libpq).
  const db = postgres("Postgres");

  // The read-only API. Railway injects PORT and health-checks it at deploy time; /ready is 200 once the database
  // answers.
  const api = service("api", {
    healthcheck: "/ready",
    healthcheckTimeout: 120,
    env: {
      DATABASE_URL: db.env.DATABASE_URL,
      LOG_FORMAT: "json",
      RAILWAY_DOCKERFILE_PATH: "/services/api/Dockerfile",
      // SIGTERM to SIGKILL; Railway's default is 0, which would cut the API's 10 s drain short.
      RAILWAY_DEPLOYMENT_DRAINING_SECONDS: "20",
    },
  });

  // The worker as a daemon: migrates, then scrapes every SCRAPE_INTERVAL_SECONDS. Its ops server (/health,
  // /metrics) listens on the PORT Railway injects.
  const worker = service("worker", {
    healthcheck: "/health",
    healthcheckTimeout: 300,
    env: {
      DATABASE_URL: db.env.DATABASE_URL,
      WORKER_MODE: "daemon",
      SCRAPE_INTERVAL_SECONDS: "3600",
      LOG_FORMAT: "json",
      RAILWAY_DOCKERFILE_PATH: "/services/worker/Dockerfile",
      // The worker waits SHUTDOWN_GRACE_SECONDS (25) for the page in flight.
      RAILWAY_DEPLOYMENT_DRAINING_SECONDS: "35",
    },
  });

  // The worker as a cron job: one run, then exit (0 all sources ok, 2 some failed, 1 could not run). Set its
  // cron schedule and the restart policy "Never" in the dashboard. Keep this one or the daemon above: both at once
  // is safe (a source is scraped by one worker at a time) but pointless.
  const workerCron = service("worker-cron", {
    env: {
      DATABASE_URL: db.env.DATABASE_URL,
      WORKER_MODE: "oneshot",
      LOG_FORMAT: "json",
      RAILWAY_DOCKERFILE_PATH: "/services/worker/Dockerfile",
      RAILWAY_DEPLOYMENT_DRAINING_SECONDS: "35",
    },
  });

  return project("gpu-tracker", {
    resources: [group("GPU Tracker", [db, api, worker, workerCron])],
  });
});
