import type { ButtonHTMLAttributes, ReactNode } from "react";

const LOOKS = {
  plain: "button",
  primary: "button button--primary",
  danger: "button button--danger",
  link: "link-button",
} as const;

interface ButtonProps extends Omit<ButtonHTMLAttributes<HTMLButtonElement>, "type" | "className" | "onClick"> {
  look?: keyof typeof LOOKS;
  testId?: string;
  onClick: () => void;
  children: ReactNode;
}

/** A button that acts on this screen (it never submits a form), in one of the app's looks. */
export function Button({ look = "plain", testId, onClick, children, ...rest }: ButtonProps) {
  return (
    <button type="button" className={LOOKS[look]} data-testid={testId} onClick={onClick} {...rest}>
      {children}
    </button>
  );
}
