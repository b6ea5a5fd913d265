import { useEffect, useRef, type ReactNode } from "react";
import "./dialog.css";
import { Button } from "./Button";
import { t } from "../i18n";

interface DialogProps {
  open: boolean;
  title: string;
  /** Called for Esc, the close button and a click on the backdrop. */
  onClose: () => void;
  children: ReactNode;
  footer?: ReactNode;
  testId?: string;
  wide?: boolean;
}

/**
 * A modal built on the native <dialog>: WebKit gives it focus trapping, Esc handling and
 * an inert background for free.
 */
export function Dialog({ open, title, onClose, children, footer, testId, wide = false }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);

  return (
    <dialog
      ref={ref}
      className={wide ? "dialog dialog--wide" : "dialog"}
      data-testid={testId}
      aria-label={title}
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
      onClick={(event) => {
        if (event.target === ref.current) onClose();
      }}
    >
      <header className="dialog-header">
        <h2>{title}</h2>
        <button type="button" className="icon-button" aria-label={t("common-close")} data-testid="close-dialog" onClick={onClose}>
          ×
        </button>
      </header>
      <div className="dialog-body">{children}</div>
      {footer ? <footer className="dialog-footer">{footer}</footer> : null}
    </dialog>
  );
}

interface ConfirmDialogProps {
  open: boolean;
  title: string;
  /** What will happen, naming how many are affected ("Delete 37 users? This cannot be undone."). */
  message: ReactNode;
  confirmLabel: string;
  destructive?: boolean;
  busy?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
  /** Choices that go with the action, below the message. */
  children?: ReactNode;
}

/** Asks before a destructive or bulk action. Confirm is `data-testid="confirm"`. */
export function ConfirmDialog({
  open,
  title,
  message,
  confirmLabel,
  destructive = false,
  busy = false,
  onConfirm,
  onCancel,
  children,
}: ConfirmDialogProps) {
  return (
    <Dialog
      open={open}
      title={title}
      onClose={onCancel}
      testId="confirm-dialog"
      footer={
        <>
          <Button onClick={onCancel} testId="cancel">{t("common-cancel")}</Button>
          <button
            type="button"
            className={destructive ? "button button--danger" : "button button--primary"}
            onClick={onConfirm}
            disabled={busy}
            data-testid="confirm"
          >
            {confirmLabel}
          </button>
        </>
      }
    >
      <p className="confirm-message">{message}</p>
      {children}
    </Dialog>
  );
}
