import { expect } from 'vitest';

/** The rejection of `promise`, checked to be an `errorClass` (the test fails if it resolves or throws anything else). */
export async function rejectionOf<E extends Error>(promise: Promise<unknown>, errorClass: new (...args: never[]) => E): Promise<E> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(errorClass);
  return err as E;
}
