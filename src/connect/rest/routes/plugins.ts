// Connect's connector-plugins resources: the plugins this worker offers, and validating a configuration for one.
import type { FastifyInstance } from "fastify";
import type { ConnectService, PluginInfo, RawConnectorConfig } from "../../service.ts";
import { configInfos } from "../config-infos.ts";
import { RestError } from "../errors.ts";

const ALIAS_SUFFIX = "Connector";

/** Connect accepts a plugin by class name, simple name, or simple name without the `Connector` suffix. */
function aliasOf(name: string): string {
  const simple = name.slice(name.lastIndexOf(".") + 1);
  return simple.endsWith(ALIAS_SUFFIX) && simple.length > ALIAS_SUFFIX.length
    ? simple.slice(0, -ALIAS_SUFFIX.length)
    : simple;
}

export function findPlugin(plugins: readonly PluginInfo[], name: string): PluginInfo | undefined {
  return plugins.find((p) => p.class === name) ?? plugins.find((p) => aliasOf(p.class) === aliasOf(name));
}

export function pluginRoutes(app: FastifyInstance, service: ConnectService): void {
  app.get<{ Querystring: { connectorsOnly: boolean } }>(
    "/connector-plugins",
    {
      schema: {
        querystring: { type: "object", properties: { connectorsOnly: { type: "boolean", default: true } } },
      },
    },
    // Fabrik has connectors only (no converters or transforms), so connectorsOnly=false lists the same plugins.
    async () => service.plugins(),
  );

  app.put<{ Params: { plugin: string }; Body: RawConnectorConfig }>(
    "/connector-plugins/:plugin/config/validate",
    {
      schema: {
        params: { type: "object", required: ["plugin"], properties: { plugin: { type: "string", minLength: 1 } } },
        body: { type: "object" },
      },
    },
    async (request) => {
      const plugins = service.plugins();
      const plugin = findPlugin(plugins, request.params.plugin);
      if (plugin === undefined) {
        const known = plugins.map((p) => p.class).join(", ");
        throw new RestError(
          "NOT_FOUND",
          `Unknown connector plugin ${request.params.plugin}; this worker has: ${known}`,
        );
      }
      const config = request.body;
      const included = config["connector.class"];
      if (typeof included === "string" && findPlugin([plugin], included) === undefined) {
        throw new RestError(
          "BAD_REQUEST",
          `Included connector type ${included} does not match request type ${request.params.plugin}`,
        );
      }
      return configInfos(plugin.class, config, await service.validate(config));
    },
  );
}
