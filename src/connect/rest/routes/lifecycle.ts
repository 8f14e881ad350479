// Connect's connector lifecycle resources: status, pause, resume, restart, and the tasks of a connector.
import type { FastifyInstance } from "fastify";
import type { ConnectorStatus, ConnectService, StateInfo } from "../../service.ts";
import { RestError } from "../errors.ts";
import { connectorNotFound, type NameParams, nameParams } from "./connectors.ts";

interface TaskParams extends NameParams {
  readonly task: number;
}

const taskParams = {
  type: "object",
  required: ["name", "task"],
  properties: { name: { type: "string", minLength: 1 }, task: { type: "integer", minimum: 0 } },
} as const;

interface RestartQuery {
  readonly includeTasks: boolean;
  readonly onlyFailed: boolean;
}

const restartQuery = {
  type: "object",
  properties: {
    includeTasks: { type: "boolean", default: false },
    onlyFailed: { type: "boolean", default: false },
  },
} as const;

function restarting<T extends StateInfo>(state: T, restarts: boolean): T {
  if (!restarts) return state;
  const { trace: _trace, ...rest } = state;
  return { ...rest, state: "RESTARTING" } as T;
}

/**
 * Connect answers a restart of more than the connector with the status as it was, every instance that will be
 * restarted shown RESTARTING: the connector unless only failed ones were asked for and it had not failed, and (with
 * includeTasks) each task on the same rule.
 */
export function restartingStatus(before: ConnectorStatus, query: RestartQuery): ConnectorStatus {
  const restarts = (state: StateInfo) => !query.onlyFailed || state.state === "FAILED";
  return {
    ...before,
    connector: restarting(before.connector, restarts(before.connector)),
    tasks: before.tasks.map((task) => restarting(task, query.includeTasks && restarts(task))),
  };
}

export function lifecycleRoutes(app: FastifyInstance, service: ConnectService): void {
  app.get<{ Params: NameParams }>("/connectors/:name/status", { schema: { params: nameParams } }, async (request) => {
    const status = await service.status(request.params.name);
    if (status === undefined) throw connectorNotFound(request.params.name);
    return status;
  });

  app.put<{ Params: NameParams }>(
    "/connectors/:name/pause",
    { schema: { params: nameParams } },
    async (request, reply) => {
      await service.pause(request.params.name);
      return reply.code(202).send();
    },
  );

  app.put<{ Params: NameParams }>(
    "/connectors/:name/resume",
    { schema: { params: nameParams } },
    async (request, reply) => {
      await service.resume(request.params.name);
      return reply.code(202).send();
    },
  );

  app.post<{ Params: NameParams; Querystring: RestartQuery }>(
    "/connectors/:name/restart",
    { schema: { params: nameParams, querystring: restartQuery } },
    async (request, reply) => {
      const { name } = request.params;
      const options = { includeTasks: request.query.includeTasks, onlyFailed: request.query.onlyFailed };
      // Without either flag Connect restarts the connector alone and answers without a body, as before KIP-745.
      if (!options.includeTasks && !options.onlyFailed) {
        await service.restart(name, options);
        return reply.code(204).send();
      }
      const before = await service.status(name);
      if (before === undefined) throw connectorNotFound(name);
      await service.restart(name, options);
      return reply.code(202).send(restartingStatus(before, options));
    },
  );

  app.get<{ Params: NameParams }>("/connectors/:name/tasks", { schema: { params: nameParams } }, async (request) => {
    const tasks = await service.tasks(request.params.name);
    if (tasks === undefined) throw connectorNotFound(request.params.name);
    return tasks;
  });

  app.get<{ Params: TaskParams }>(
    "/connectors/:name/tasks/:task/status",
    { schema: { params: taskParams } },
    async (request) => {
      const { name, task } = request.params;
      const status = await service.status(name);
      if (status === undefined) throw connectorNotFound(name);
      const found = status.tasks.find((t) => t.id === task);
      if (found === undefined) throw new RestError("NOT_FOUND", `No status found for task ${name}-${task}`);
      return found;
    },
  );

  app.post<{ Params: TaskParams }>(
    "/connectors/:name/tasks/:task/restart",
    { schema: { params: taskParams } },
    async (request, reply) => {
      await service.restartTask(request.params.name, request.params.task);
      return reply.code(204).send();
    },
  );
}
