/**
 * Adds extension layers to a Dockerfile the user wrote: the layers' own stages go before its
 * first FROM (after any global ARG and parser directive), their COPY steps right after the final
 * stage's FROM, so they sit below everything the user's final stage does. Pure: text in, text out.
 */
import { Instruction, Stage } from './model';
import { parseDockerfile } from './parse';
import { renderDockerfile, renderInstruction } from './render';

/** Marks what this library inserted. */
export const COMPOSED_MARKER = 'Added by cdk-lambda-container (imageLayers):';

export function composeDockerfile(text: string, addition: { readonly stages: readonly Stage[]; readonly copies: readonly Instruction[] }): string {
  const parsed = parseDockerfile(text);
  const froms = parsed.instructions.filter(i => i.keyword === 'FROM');
  if (froms.length === 0) {
    throw new Error('the Dockerfile has no FROM instruction');
  }
  const lines = text.split(/\r?\n/);
  // The final FROM may continue over several lines.
  const finalFromEnd = froms[froms.length - 1].endLine - 1;
  const firstFrom = froms[0].line - 1;

  const stages = addition.stages.length > 0
    ? [`# ${COMPOSED_MARKER} the layers' own stages.`, renderDockerfile({ stages: addition.stages }, parsed).trimEnd(), '']
    : [];
  const copies = [`# ${COMPOSED_MARKER} the layers, first in the final stage.`, ...addition.copies.map(i => renderInstruction(i, parsed))];
  return [
    ...lines.slice(0, firstFrom),
    ...stages,
    ...lines.slice(firstFrom, finalFromEnd + 1),
    ...copies,
    ...lines.slice(finalFromEnd + 1),
  ].join('\n');
}
