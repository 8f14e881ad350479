// Topic and key templates: `plant.{source}.{job}` names a topic from the source, job and tag it carries.

/** The names a template may use. `tag` exists only for records of one tag (the tag format). */
export interface TemplateNames {
  readonly source: string;
  readonly job: string;
  readonly tag?: string;
}

export type Placeholder = keyof TemplateNames;

const PLACEHOLDER = /\{([^{}]*)\}/g;

/** `template` with every `{source}`, `{job}` and `{tag}` replaced. Check templates with `templateProblems` first. */
export function renderTemplate(template: string, names: TemplateNames): string {
  if (!template.includes("{")) return template;
  return template.replace(PLACEHOLDER, (whole, name: string) => {
    const value = names[name as Placeholder];
    return value ?? whole;
  });
}

/** What is wrong with a template, each problem with its 1-based column; empty when it is usable. */
export function templateProblems(template: string, allowed: readonly Placeholder[]): string[] {
  const problems: string[] = [];
  let open = -1;
  for (let i = 0; i < template.length; i++) {
    const char = template[i];
    if (char === "{") {
      if (open >= 0) problems.push(`'{' inside a placeholder at column ${i + 1}`);
      open = i;
    } else if (char === "}") {
      if (open < 0) {
        problems.push(`'}' without '{' at column ${i + 1}`);
        continue;
      }
      const name = template.slice(open + 1, i);
      if (!(allowed as readonly string[]).includes(name)) {
        const expected = allowed.map((p) => `{${p}}`).join(", ");
        problems.push(`unknown placeholder '{${name}}' at column ${open + 1}; expected ${expected}`);
      }
      open = -1;
    }
  }
  if (open >= 0) problems.push(`'{' not closed at column ${open + 1}`);
  return problems;
}

const TOPIC_CHARS = /^[a-zA-Z0-9._-]+$/;
const MAX_TOPIC_LENGTH = 249;

/** Why Kafka would refuse `name` as a topic name, or undefined when it is a valid one. */
export function topicNameProblem(name: string): string | undefined {
  if (name.length === 0) return "a topic name is empty";
  if (name === "." || name === "..") return `'${name}' is not a topic name`;
  if (name.length > MAX_TOPIC_LENGTH) return `topic name is ${name.length} characters, more than ${MAX_TOPIC_LENGTH}`;
  if (!TOPIC_CHARS.test(name)) {
    const at = [...name].findIndex((c) => !TOPIC_CHARS.test(c));
    return `'${name[at]}' at column ${at + 1} of topic '${name}'; topics use letters, digits, '.', '_' and '-'`;
  }
  return undefined;
}
