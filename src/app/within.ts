/**
 * What `work` settles to, or what `late` gives if it has not settled within `ms` (a rejected promise makes the
 * result reject). The timer never keeps the process alive and is cleared as soon as either side settles.
 */
export function within<T, L>(work: Promise<T>, ms: number, late: () => L | Promise<L>): Promise<T | L> {
  let timer: NodeJS.Timeout | undefined;
  const lapsed = new Promise<L>((resolve) => {
    timer = setTimeout(() => resolve(late()), ms);
    timer.unref();
  });
  return Promise.race([work, lapsed]).finally(() => clearTimeout(timer));
}
