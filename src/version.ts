// Fabrik's version, read from package.json once, for every API that reports one (Connect's and ksqlDB's info).
import packageJson from "../package.json" with { type: "json" };

export const FABRIK_VERSION: string = packageJson.version;
