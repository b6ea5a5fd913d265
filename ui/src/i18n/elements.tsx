import { Fragment, type ReactNode } from "react";
import { t, type MessageArgs } from "../i18n";

/** Stands where an element goes while the message is formatted; no message or data holds it. */
const MARK = "\u0001";

/**
 * `t` for a sentence with elements in it (a command in <code>, a date in <time>): the message
 * stays one whole sentence, so a translation puts each element where its word order needs it.
 * `elements` fill the placeables of those names; `args` the others, as for `t`.
 */
export function tElements(id: string, elements: Record<string, ReactNode>, args: MessageArgs = {}): ReactNode {
  const marked: MessageArgs = { ...args };
  for (const name of Object.keys(elements)) marked[name] = `${MARK}${name}${MARK}`;
  return t(id, marked)
    .split(MARK)
    .map((part, i) => (i % 2 === 1 ? <Fragment key={i}>{elements[part]}</Fragment> : part));
}
