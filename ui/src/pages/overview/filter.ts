// The overview's filter: which machines and tags match the words typed. Every word must match, each either the
// machine (its name, connector, protocol, URL) or the tag (alias, address, unit, description); a word that names the
// machine keeps all of its tags.
import type { PlantJob, PlantSource, PlantTag } from "../../api/live-types.ts";
import { protocolName } from "../../components/protocol.ts";

export interface TagEntry {
  job: PlantJob;
  tag: PlantTag;
}

export interface VisibleSource {
  source: PlantSource;
  tags: TagEntry[];
  /** How many tags the machine has in all (the card says "5 of 12" when filtered). */
  total: number;
}

function words(text: string): string[] {
  return text
    .toLowerCase()
    .split(/\s+/)
    .filter((word) => word !== "");
}

function sourceText(source: PlantSource): string {
  return [source.source, source.connector, source.protocol, protocolName(source.protocol), source.url]
    .join(" ")
    .toLowerCase();
}

function tagText(entry: TagEntry): string {
  const { tag, job } = entry;
  return [tag.alias, tag.address, tag.unit ?? "", tag.description ?? "", job.name].join(" ").toLowerCase();
}

export function allTags(source: PlantSource): TagEntry[] {
  return source.jobs.flatMap((job) => job.tags.map((tag) => ({ job, tag })));
}

/** The machines and tags that match `text` (all of them for an empty text), in catalog order. */
export function filterPlant(sources: readonly PlantSource[], text: string): VisibleSource[] {
  const terms = words(text);
  const visible: VisibleSource[] = [];
  for (const source of sources) {
    const tags = allTags(source);
    if (terms.length === 0) {
      visible.push({ source, tags, total: tags.length });
      continue;
    }
    const machine = sourceText(source);
    const open = terms.filter((term) => !machine.includes(term));
    const matching =
      open.length === 0 ? tags : tags.filter((entry) => open.every((term) => tagText(entry).includes(term)));
    if (matching.length > 0) visible.push({ source, tags: matching, total: tags.length });
  }
  return visible;
}
