import { useEffect } from "react";
import type { DatabaseInfo } from "../bindings/DatabaseInfo";

/** The page's title names the directory open, as the window's title bar does. */
export function useDocumentTitle(info: DatabaseInfo | null) {
  useEffect(() => {
    if (info) document.title = info.title;
  }, [info]);
}
