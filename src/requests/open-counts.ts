/**
 * How many requests each user has that are not closed. Asked on every message a user types
 * (while a request is open, messages go to its lawyer), so it is kept in memory: loaded once,
 * then counted up and down by the only writer, this process (through RequestLifecycle).
 */
export class OpenRequestCounts {
  private counts: Promise<Map<number, number>> | undefined;

  constructor(private readonly loadCounts: () => Promise<Map<number, number>>) {}

  async has(userId: number): Promise<boolean> {
    return (await this.load()).has(userId);
  }

  async opened(userId: number): Promise<void> {
    const counts = await this.load();
    counts.set(userId, (counts.get(userId) ?? 0) + 1);
  }

  async closed(userId: number, howMany = 1): Promise<void> {
    const counts = await this.load();
    const left = (counts.get(userId) ?? howMany) - howMany;
    if (left > 0) counts.set(userId, left);
    else counts.delete(userId);
  }

  private load(): Promise<Map<number, number>> {
    this.counts ??= this.loadCounts();
    return this.counts;
  }
}
