// The worker's own resources: Connect's `GET /` (version, commit, Kafka cluster) and Prometheus' `GET /metrics`.
import type { FastifyInstance } from "fastify";
import type { ConnectService } from "../../service.ts";
import type { ConnectMetrics } from "../metrics.ts";

export function workerRoutes(app: FastifyInstance, service: ConnectService, metrics: ConnectMetrics): void {
  app.get("/", async () => ({
    version: service.version,
    commit: service.commit,
    kafka_cluster_id: await service.kafkaClusterId(),
  }));

  app.get("/metrics", async (_request, reply) => {
    const text = await metrics.metricsText();
    return reply.type(metrics.contentType).send(text);
  });
}
