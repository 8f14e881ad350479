// Connector configuration: load, translate (Fabrik's YAML/JSON or PLC4X's properties) and validate, every problem at once.
export { DEFAULTS, defaultDeadLetterTopic, defaultGroupId, defaultTopicTemplate, LIMITS } from "./defaults.ts";
export { ConfigError, type ConfigProblem, formatProblem } from "./errors.ts";
export {
  type ConfigCheck,
  type ConfigFileFormat,
  type ConfigOptions,
  type ConfigShape,
  checkConnectorConfig,
  checkConnectorConfigText,
  configFormatOf,
  connectorDocument,
  type LoadedConfig,
  loadConnectorConfig,
  parseConnectorConfig,
  validateConnectorConfig,
} from "./load.ts";
export type * from "./model.ts";
export { type PropertyEntry, parseProperties } from "./properties.ts";
export { renderTemplate, type TemplateNames, templateProblems, topicNameProblem } from "./topic-template.ts";
export { formatDuration, formatSize, parseDuration, parseSize } from "./units.ts";
