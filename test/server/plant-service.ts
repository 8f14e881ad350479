// A ConnectService holding real connector documents (Fabrik's format), for the live feed's and history's unit tests.
import type {
  ConnectorInfo,
  ConnectorState,
  ConnectorStatus,
  ConnectService,
  LiveSource,
  PluginInfo,
  RawConnectorConfig,
  TaskInfo,
} from "../../src/connect/service.ts";

/** Two machines on the simulated driver; the press with units and descriptions, the oven's tags in the tag format. */
export const PLANT_CONFIG: RawConnectorConfig = {
  name: "line1",
  topic: "plant.{source}",
  sources: {
    press: {
      url: "simulated://operator:hunter2@press?seed=3",
      jobs: [
        {
          name: "status",
          interval: "1s",
          tags: {
            pressure: { address: "RANDOM/pressure:REAL", unit: "bar", description: "Hydraulic pressure" },
            state: "RANDOM/state:INT",
            program: "STATE/program:STRING",
          },
        },
      ],
    },
    oven: {
      url: "simulated://oven",
      jobs: [
        {
          name: "temps",
          interval: "500ms",
          format: "tag",
          topic: "plant.oven.{tag}",
          tags: { zone1: "RANDOM/zone1:REAL", zone2: "RANDOM/zone2:REAL" },
        },
      ],
    },
  },
};

export class PlantConnectService implements ConnectService {
  readonly version = "0.1.0";
  readonly commit = "";
  readonly configs: Map<string, RawConnectorConfig>;
  readonly states = new Map<string, ConnectorState>();
  readonly live = new Map<string, LiveSource>();

  constructor(configs: Readonly<Record<string, RawConnectorConfig>> = { line1: PLANT_CONFIG }) {
    this.configs = new Map(Object.entries(configs));
  }

  async kafkaClusterId(): Promise<string> {
    return "cluster";
  }

  async connectorNames(): Promise<readonly string[]> {
    return [...this.configs.keys()];
  }

  async connector(name: string): Promise<ConnectorInfo | undefined> {
    const config = this.configs.get(name);
    return config === undefined ? undefined : { name, config, tasks: [], type: "source" };
  }

  async status(name: string): Promise<ConnectorStatus | undefined> {
    if (!this.configs.has(name)) return undefined;
    const state = this.states.get(name) ?? "RUNNING";
    const task = (id: number) => ({ id, state, worker_id: "w1" });
    return { name, connector: { state, worker_id: "w1" }, tasks: [task(0), task(1)], type: "source" };
  }

  async liveSource(source: string): Promise<LiveSource | undefined> {
    return this.live.get(source);
  }

  async tasks(): Promise<readonly TaskInfo[] | undefined> {
    throw new Error("not used");
  }
  async create(): Promise<ConnectorInfo> {
    throw new Error("not used");
  }
  async putConfig(): Promise<{ created: boolean; info: ConnectorInfo }> {
    throw new Error("not used");
  }
  async validate(): Promise<never[]> {
    return [];
  }
  async delete(): Promise<void> {}
  async pause(): Promise<void> {}
  async resume(): Promise<void> {}
  async restart(): Promise<void> {}
  async restartTask(): Promise<void> {}
  plugins(): readonly PluginInfo[] {
    return [];
  }
}
