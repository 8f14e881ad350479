// Kafka's rule for topic names, the one place every layer that names or accepts a topic checks it.

/** Kafka refuses any other character in a topic name (its `Topic.validate`). */
const TOPIC_CHARS = /^[a-zA-Z0-9._-]+$/;
export const MAX_TOPIC_NAME_LENGTH = 249;

/**
 * Why Kafka would refuse `name` as a topic name, or undefined when it is a valid one. The text names the first problem
 * only, and the offending character with its 1-based column, so a caller can put it after its own "where".
 */
export function topicNameProblem(name: string): string | undefined {
  if (name.length === 0) return "a topic name is empty";
  // Kafka keeps topics in directories named after them: these two would be the directory itself and its parent.
  if (name === "." || name === "..") return `'${name}' is not a topic name`;
  if (name.length > MAX_TOPIC_NAME_LENGTH) {
    return `topic name is ${name.length} characters, more than ${MAX_TOPIC_NAME_LENGTH}`;
  }
  if (!TOPIC_CHARS.test(name)) {
    const at = [...name].findIndex((c) => !TOPIC_CHARS.test(c));
    return `'${[...name][at]}' at column ${at + 1} of topic '${name}'; topics use letters, digits, '.', '_' and '-'`;
  }
  return undefined;
}
