/** A count with its noun, for messages and the pages' status lines: `1 article`, `2 articles`, `0 problems`. */
export function counted(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
