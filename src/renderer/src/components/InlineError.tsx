import { AlertIcon } from './icons.tsx';

/** A readable error next to what caused it. */
export function InlineError({ message, testId = 'inline-error' }: { message: string; testId?: string }) {
  return (
    <p className="inline-error" role="alert" data-testid={testId}>
      <AlertIcon size={16} />
      <span>{message}</span>
    </p>
  );
}
