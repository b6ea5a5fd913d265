import { useState } from "react";
import type { UserId } from "../bindings/UserId";
import { userAt, type LoadedUsers } from "./pageLoader";
import { loadedIds } from "./UserTable";

export interface Selection {
  selected: ReadonlySet<UserId>;
  /** Clicks a row's box; with `extend` (shift) every row from the last click to this one. */
  toggle: (index: number, extend: boolean) => void;
  /** The header box: selects every loaded row, or clears them when all are selected. */
  togglePage: () => void;
  replace: (ids: Iterable<UserId>) => void;
  clear: () => void;
  /** Drops users that no longer exist or no longer belong to the list. */
  forget: (ids: readonly UserId[]) => void;
}

/** Which users of the list are selected for a bulk action. */
export function useSelection(data: LoadedUsers | null): Selection {
  const [selected, setSelected] = useState<ReadonlySet<UserId>>(new Set());
  const [anchor, setAnchor] = useState<number | null>(null);

  const toggle = (index: number, extend: boolean) => {
    if (!data) return;
    const next = new Set(selected);
    const user = userAt(data, index);
    if (!user) return;
    const adding = !next.has(user.id);
    const [from, to] = extend && anchor !== null ? [Math.min(anchor, index), Math.max(anchor, index)] : [index, index];
    for (let i = from; i <= to; i++) {
      const u = userAt(data, i);
      if (!u) continue;
      if (adding) next.add(u.id);
      else next.delete(u.id);
    }
    setAnchor(index);
    setSelected(next);
  };

  const togglePage = () => {
    if (!data) return;
    const ids = loadedIds(data);
    const all = ids.every((id) => selected.has(id));
    setSelected(all ? new Set() : new Set([...selected, ...ids]));
  };

  return {
    selected,
    toggle,
    togglePage,
    replace: (ids) => {
      setSelected(new Set(ids));
    },
    clear: () => {
      setSelected(new Set());
    },
    forget: (ids) => {
      setSelected((current) => new Set([...current].filter((id) => !ids.includes(id))));
    },
  };
}
