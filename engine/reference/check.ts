// Input checks the CPU references share: every given array has the length its shape implies.

/** [name, array or absent, the length its shape implies]. */
export type WantedLength = [string, ArrayLike<number> | null | undefined, number];

/** Throws `who: name has n values, expected len` for the first given array of the wrong length. */
export function checkLengths(who: string, want: WantedLength[]): void {
  for (const [name, arr, len] of want) {
    if (arr && arr.length !== len)
      throw new Error(`${who}: ${name} has ${arr.length} values, expected ${len}`);
  }
}
