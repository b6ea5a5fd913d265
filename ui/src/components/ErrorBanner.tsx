import type { AppError } from "../api";

/**
 * What went wrong and what to do, as one sentence at the top of a screen or dialog,
 * read out by screen readers as it appears. Nothing when there is no message.
 */
export function ErrorBanner({ message, testId }: { message: string | null | undefined; testId?: string }) {
  if (!message) return null;
  return (
    <p className="form-banner" role="alert" data-testid={testId}>
      {message}
    </p>
  );
}

/** A form's error for its banner: none when it names fields, whose own messages show it. */
export function formMessage(error: AppError | null | undefined): string | null {
  return error && error.fields.length === 0 ? error.message : null;
}
