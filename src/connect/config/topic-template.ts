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

/** Kafka's topic-name rule lives with the Kafka layer; config checks rendered topics with it and prefixes the path. */
export { topicNameProblem } from "../../kafka/index.ts";
